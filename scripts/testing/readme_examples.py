#!/usr/bin/env python3
"""Lints every complete policy example in README.md (a ```yaml block with organisation, contacts, channels, templates
and policies sections; shorter blocks are excerpts) with the
real plugins, so the newcomer's guide never shows a policy that `escalate lint` refuses. Usage:
readme_examples.py ESCALATE [README]. Exit status 1 when an example has errors."""
import pathlib
import re
import subprocess
import sys
import tempfile

escalate = sys.argv[1]
readme = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else pathlib.Path(__file__).resolve().parents[2] / "README.md")
blocks = re.findall(r"```yaml\n(.*?)```", readme.read_text(), flags=re.S)
sections = ["organisation", "contacts", "channels", "templates", "policies"]
examples = [block for block in blocks if all(re.search(rf"^{section}:", block, flags=re.M) for section in sections)]
if not examples:
    sys.exit("readme examples: no complete policy example found in README.md")
failed = 0
with tempfile.TemporaryDirectory() as folder:
    for index, block in enumerate(examples, start=1):
        path = pathlib.Path(folder) / f"readme-example-{index}.yaml"
        path.write_text(block)
        result = subprocess.run([escalate, "lint", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            failed += 1
            print(f"readme examples: example {index} does not lint clean:\n{result.stdout}{result.stderr}", file=sys.stderr)
print(f"readme examples: {len(examples) - failed} of {len(examples)} lint clean")
sys.exit(1 if failed else 0)
