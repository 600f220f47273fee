#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need first (check-jsonschema from PyPI for schema
# validation), so it works on a fresh machine. Extra arguments go to `swift test` (e.g. --filter Loader).
set -euo pipefail
cd "$(dirname "$0")/.."

need_pip=()
command -v check-jsonschema >/dev/null 2>&1 || need_pip+=("check-jsonschema")
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${need_pip[*]} from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check "${need_pip[@]}"
  hash -r
fi

swift build --build-tests
exec swift test --skip-build "$@"
