#!/usr/bin/env python3
"""The API contract: `openapi.yaml` as served by a real `escalate serve` must be what the server does. Runs
schemathesis (PyPI) with all its checks, bounded (a fixed seed and number of examples per operation, so it takes
about half a minute), against a server on loopback with a bearer token and an integration key (as Opsgenie's
GenieKey on its routes):
- every request the schema allows is accepted, or refused with a status the operation documents;
- every request the schema forbids is refused;
- every status, header and body the server answers is the one the schema documents for it.
The exceptions (opaque cursors and signed link tokens that are forged, the 30-day bound of a snooze) are in
scripts/testing/schemathesis.toml, each with its reason.

Usage: scripts/testing/api_contract.py .build/debug/escalate [--max-examples N] [--seed N]
"""
import argparse, os, shutil, signal, subprocess, sys, tempfile, time, urllib.request, urllib.error

from e2e_checks import free_port

POLICY = """
organisation: { id: contract, name: Contract, timezone: UTC }
contacts:
  jessie: { name: Jessie, addresses: { log: jessie } }
channels:
  sink: { plugin: file, address: log, settings: { path: "%s" } }
templates:
  page: { body: "{{ incident.title }} ack: {{ incident.ack_url }}" }
policies:
  alerts:
    name: Alerts
    layers:
      - { id: first, notify: [{ contact: jessie }], via: [sink], template: page, timeout: 10m }
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--max-examples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"api contract: {binary} is not an executable escalate binary (build it first: swift build)")
    schemathesis = shutil.which("schemathesis") or shutil.which("st")
    if not schemathesis:
        sys.exit("api contract: schemathesis is not installed (python3 -m pip install schemathesis, or run scripts/test.sh)")
    folder = tempfile.mkdtemp(prefix="escalate-api-contract-")
    with open(os.path.join(folder, "policy.yaml"), "w") as handle:
        handle.write(POLICY % os.path.join(folder, "sink.jsonl"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, ESCALATE_TOKENS="contract=contract-token", ESCALATE_INTEGRATION_KEYS="contract/alerts=contract-key")
    log = open(os.path.join(folder, "serve.log"), "w")
    server = subprocess.Popen(
        [binary, "serve", "--policies", os.path.join(folder, "policy.yaml"), "--db", os.path.join(folder, "db.sqlite"), "--port", str(port),
         "--events-per-minute", "1000000"],  # 429 is tested by the Swift suite; here it would end the coverage
        env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("api contract: stopped by SIGTERM"))
    try:
        deadline = time.time() + 10
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.time() > deadline or server.poll() is not None:
                    sys.exit(f"api contract: the server did not start; see {folder}/serve.log")
                time.sleep(0.05)
        config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemathesis.toml")
        argv = [schemathesis, "--config-file", config, "run", base + "/openapi.yaml", "--url", base,
                "--checks", "all",
                "--max-examples", str(args.max_examples), "--seed", str(args.seed), "--phases", "examples,coverage,fuzzing",
                "--no-color"]
        credentials = dict(os.environ, ESCALATE_CONTRACT_TOKEN="contract-token", ESCALATE_CONTRACT_KEY="contract-key")
        result = subprocess.run(argv, cwd=folder, timeout=600, env=credentials)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    if result.returncode != 0:
        sys.exit(f"api contract: schemathesis found the server and openapi.yaml apart (above); the server log is in {folder}")
    print("api contract: schemathesis found nothing")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
