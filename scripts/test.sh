#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need first (check-jsonschema from PyPI for schema
# validation, aiosmtpd from PyPI for the e-mail plugin's SMTP server, openapi-spec-validator from PyPI for
# Sources/EscalationServer/openapi.yaml, the stock clients pdpyras, pagerduty and opsgenie-sdk and schemathesis
# from PyPI for scripts/testing/stock_clients.py and api_contract.py, twilio from PyPI for scripts/testing/inbound_replies.py, Graphviz's dot from Debian for the graph
# tests, Prometheus Alertmanager from Debian for scripts/testing/serve_e2e.py, which CI runs after the suite, and PostgreSQL from Debian for the PostgreSQL store tests),
# so it works on a fresh machine. Extra arguments go to `swift test` (e.g. --filter Loader).
set -euo pipefail
cd "$(dirname "$0")/.."

need_pip=()
command -v check-jsonschema >/dev/null 2>&1 || need_pip+=("check-jsonschema")
python3 -c "import aiosmtpd" >/dev/null 2>&1 || need_pip+=("aiosmtpd")
command -v openapi-spec-validator >/dev/null 2>&1 || need_pip+=("openapi-spec-validator")
python3 -c "import pdpyras" >/dev/null 2>&1 || need_pip+=("pdpyras")
python3 -c "import pagerduty" >/dev/null 2>&1 || need_pip+=("pagerduty")
python3 -c "import opsgenie_sdk" >/dev/null 2>&1 || need_pip+=("opsgenie-sdk")
command -v schemathesis >/dev/null 2>&1 || need_pip+=("schemathesis")
python3 -c "import twilio" >/dev/null 2>&1 || need_pip+=("twilio")
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${need_pip[*]} from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check "${need_pip[@]}"
  hash -r
fi

need_apt=()
command -v dot >/dev/null 2>&1 || need_apt+=("graphviz")
command -v prometheus-alertmanager >/dev/null 2>&1 || need_apt+=("prometheus-alertmanager")
command -v openssl >/dev/null 2>&1 || need_apt+=("openssl")
# PostgreSQL's server binaries, for the PostgreSQL store's contract suite and scripts/testing/cluster_test.py.
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=("postgresql")
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: installing ${need_apt[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    hash -r
  else
    echo "scripts/test.sh: ${need_apt[*]} is missing and cannot be installed here (needs root and apt-get): sudo apt-get install ${need_apt[*]}" >&2
  fi
fi

# The API contract must be a valid OpenAPI document (the server serves it at /openapi.yaml).
openapi-spec-validator Sources/EscalationServer/openapi.yaml
swift build --build-tests
# In parallel (swift test's default): tests share no global state (each has its own RecordingChannel.Log), executor
# tests wait on a ManualClock rather than real time, and tests against real servers and processes use loose bounds.
# The PostgreSQL tests run against a private server (scripts/testing/pg_server.py: a temporary folder, a free port on
# 127.0.0.1, an unprivileged user) unless ESCALATE_TEST_POSTGRES_URL names one already.
run=(swift test --skip-build "$@")
if [ -z "${ESCALATE_TEST_POSTGRES_URL:-}" ]; then
  run=(python3 scripts/testing/pg_server.py -- "${run[@]}")
fi
# The suite's output is long and a CI log often keeps only its end, so a failing run repeats its failures last.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
"${run[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "scripts/test.sh: swift test failed (exit $status). Its failures again:" >&2
  grep -E -A4 '✘ Test .*(recorded an issue|failed)|Fatal error|error: Exited' "$log" | head -200 >&2 || true
fi
exit "$status"
