#!/usr/bin/env python3
"""Benchmark of `escalate serve` on SQLite and on PostgreSQL with 1, 2 and 3 processes: durable events per second
(trigger requests answered 2xx, each one committed before its answer, from concurrent clients round-robin over the
processes) and the dispatch lag p99: from a trigger's 2xx answer to its page in the sink file, whichever process sent
it (seen by a watcher polling the file every 20 ms), printed side by side. Starts a private PostgreSQL (scripts/testing/pg_server.py). Loopback only.

Usage: scripts/testing/cluster_bench.py .build/debug/escalate [--seconds 10] [--clients 16]
"""
import argparse, json, os, sys, tempfile, threading, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import free_port, request  # noqa: E402
from pg_server import PostgresServer  # noqa: E402
import subprocess  # noqa: E402

POLICY = """
organisation: { id: crash, name: Benchmark, timezone: UTC }
contacts:
%s
channels:
  sink: { plugin: file, address: log, settings: { path: "%s" } }
templates:
  page: { body: "{{ incident.title }}" }
policies:
  outage:
    name: Outage
    fields:
      who: { type: contact, required: true }
    layers:
      - { id: first, notify: [{ field: who }], via: [sink], template: page }
"""

def start(binary, folder, db, port, index):
    log = open(os.path.join(folder, f"serve-{index}.log"), "a")
    process = subprocess.Popen([binary, "serve", "--policies", os.path.join(folder, "org.yaml"), "--db", db, "--port", str(port),
                                "--link-key", os.path.join(folder, "link.key"), "--log-level", "warning"],
                               env=dict(os.environ, ESCALATE_TOKENS="crash=crash-token"), stdout=log, stderr=log)
    for _ in range(300):
        try:
            request(port, "GET", "/readyz", timeout=1)
            return process
        except Exception:
            if process.poll() is not None:
                sys.exit(f"benchmark: a server exited at start; see {folder}/serve-{index}.log")
            time.sleep(0.05)
    sys.exit("benchmark: a server did not start")

class SinkWatcher(threading.Thread):
    """Notes when each incident's page first appears in the sink file (reading only what was appended)."""
    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.seen, self.done, self.offset, self.partial = path, {}, threading.Event(), 0, b""

    def run(self):
        while not self.done.is_set():
            self.read()
            time.sleep(0.02)
        self.read()

    def read(self):
        if not os.path.exists(self.path):
            return
        now = time.time()
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            data = self.partial + handle.read()
            self.offset = handle.tell()
        *lines, self.partial = data.split(b"\n")
        for line in lines:
            if line.strip():
                self.seen.setdefault(json.loads(line)["message"]["incident_id"], now)

def run(binary, db, processes, seconds, clients, people=200):
    folder = tempfile.mkdtemp(prefix="escalate-bench-")
    with open(os.path.join(folder, "org.yaml"), "w") as handle:
        handle.write(POLICY % ("\n".join(f"  c{n}: {{ name: P{n}, addresses: {{ log: c{n} }} }}" for n in range(people)),
                               os.path.join(folder, "sink.jsonl")))
    db = db or os.path.join(folder, "db.sqlite")
    ports = [free_port() for _ in range(processes)]
    servers = [start(binary, folder, db, port, i) for i, port in enumerate(ports)]
    watcher = SinkWatcher(os.path.join(folder, "sink.jsonl"))
    watcher.start()
    answered_at = {}
    answered, errors, lock, stop = [0], [0], threading.Lock(), time.time() + seconds
    def client(number):
        sent = 0
        while time.time() < stop:
            port = ports[(number + sent) % len(ports)]
            try:
                body = request(port, "POST", "/v1/incidents",
                               {"title": "bench", "dedup_key": f"b{number}-{sent}", "fields": {"who": f"c{(number * 7 + sent) % people}"}})
                with lock:
                    answered[0] += 1
                    answered_at[body["id"]] = time.time()
            except (urllib.error.URLError, OSError):
                with lock:
                    errors[0] += 1
            sent += 1
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - began
    time.sleep(3)   # let the outbox drain
    watcher.done.set()
    watcher.join()
    lags = sorted(max(0.0, watcher.seen[i] - at) for i, at in answered_at.items() if i in watcher.seen)
    p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))] if lags else None
    missing = len(answered_at) - len(lags)
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=30)
    return answered[0] / elapsed, p99, errors[0] + missing

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    rows = [("SQLite", 1, *run(args.binary, None, 1, args.seconds, args.clients))]
    with PostgresServer() as server:
        for processes in (1, 2, 3):
            db = server.create_database(f"bench{processes}")
            rows.append(("PostgreSQL", processes, *run(args.binary, db, processes, args.seconds, args.clients)))
    print(f"{'store':<11} {'processes':>9} {'events/s':>9} {'dispatch lag p99':>17} {'errors or unpaged':>18}")
    for store, processes, rate, p99, errors in rows:
        lag = "n/a" if p99 is None else f"{p99 * 1000:.0f} ms"
        print(f"{store:<11} {processes:>9} {rate:>9.1f} {lag:>17} {errors:>18}")

if __name__ == "__main__":
    main()
