#!/usr/bin/env bash
# Checks the library and plugin sources with swift-format's rules from .swift-format: no force unwraps, no try!,
# no implicitly unwrapped optionals, and lines of at most 240 characters (tests may force-unwrap). Layout is not
# enforced. Exits non-zero with file:line:col for every finding.
set -euo pipefail
cd "$(dirname "$0")/.."
findings=$(swift format lint -r Sources plugins/*/Sources ChannelAPI/Sources Benchmarks 2>&1 \
  | grep -E "\[(NeverForceUnwrap|NeverUseForceTry|NeverUseImplicitlyUnwrappedOptionals|LineLength)\]" || true)
if [ -n "$findings" ]; then
  echo "$findings" >&2
  echo "scripts/swift-lint.sh: $(echo "$findings" | wc -l) finding(s)" >&2
  exit 1
fi
echo "scripts/swift-lint.sh: no findings"
