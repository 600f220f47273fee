#!/usr/bin/env python3
"""Cluster test for `escalate serve` on PostgreSQL: three processes share one database behind a round-robin client,
random processes are SIGKILLed (and restarted after a while) under load, and at the end every incident must have had
its notification delivered once per layer: no lost page, no notification reaching a person on two channels (a double
page), and no key sent twice by live processes (a copy is allowed only when a kill cut its first send off: the file
plugin forwards the idempotency key so the receiver drops the copy). Each process incarnation writes its own sink
files, so a copy is traced to the process that sent it. The layer-2 timers (3 s) of incidents whose process died
must fire within the lease bound. Starts a private PostgreSQL (scripts/testing/pg_server.py) unless --db is given.

A quarter of the stops are graceful (SIGTERM: the process hands its leases back at once); with --pauses, processes are
also frozen (SIGSTOP) past their lease and thawed: others take their work over and their late results are refused.

Usage: scripts/testing/cluster_test.py .build/debug/escalate [--incidents 60] [--kills 4] [--seed 1] [--slow 0.3] [--pauses 2] [--db postgres://…]
"""
import argparse, json, os, random, signal, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import free_port, request  # noqa: E402
import pg_server  # noqa: E402
from pg_server import PostgresServer  # noqa: E402

SINK = """#!/usr/bin/env python3
# A slow pager for the cluster test's exec channel: takes SLOW seconds, then appends the request to $SINK.
import fcntl, json, os, sys, time
request = json.load(sys.stdin)
time.sleep(float(os.environ.get("SLOW", "0")))
with open(os.environ["SINK"], "a") as handle:
    fcntl.flock(handle, fcntl.LOCK_EX)
    handle.write(json.dumps(request) + "\\n")
print(json.dumps({"ok": True}))
"""

SLOW_PRIMARY = 'primary: {{ plugin: exec, address: log, settings: {{ command: "{sink}", timeout: 30s, env: {{ SINK: "${{env:SINK_PRIMARY}}", SLOW: "{slow}" }} }} }}'

POLICY = """
organisation: {{ id: crash, name: Cluster test, timezone: UTC }}
contacts:
{contacts}
channels:
  primary: {{ plugin: file, address: log, settings: {{ path: "${{env:SINK_PRIMARY}}" }} }}
  backup: {{ plugin: file, address: log, settings: {{ path: "${{env:SINK_BACKUP}}" }} }}
templates:
  page: {{ body: "{{{{ incident.title }}}}" }}
policies:
  outage:
    name: Outage
    fields:
      who: {{ type: contact, required: true }}
    layers:
      - {{ id: first, notify: [{{ field: who }}], via: [primary, backup], template: page, timeout: 3s }}
      - {{ id: second, notify: [{{ field: who }}], via: [primary, backup], template: page }}
"""
PROCESSES = 3
LEASE = 3

class Node:
    """One `serve` process slot: a port, and the incarnations (process runs) it has had."""
    def __init__(self, index, port):
        self.index, self.port, self.process, self.generation = index, port, None, 0
        self.killed = set()   # sink tags of incarnations that were SIGKILLed

    @property
    def tag(self):
        return f"n{self.index}g{self.generation}"

    def start(self, binary, folder, db):
        self.generation += 1
        env = dict(os.environ, ESCALATE_TOKENS="crash=crash-token",
                   SINK_PRIMARY=os.path.join(folder, f"primary-{self.tag}.jsonl"), SINK_BACKUP=os.path.join(folder, f"backup-{self.tag}.jsonl"))
        log = open(os.path.join(folder, f"serve-n{self.index}.log"), "a")
        self.process = subprocess.Popen(
            [binary, "serve", "--policies", os.path.join(folder, "org.yaml"), "--db", db, "--port", str(self.port), "--lease-seconds", str(LEASE),
             "--link-key", os.path.join(folder, "link.key")], env=env, stdout=log, stderr=log)
        for _ in range(300):
            try:
                request(self.port, "GET", "/readyz", timeout=1)
                return
            except Exception:
                if self.process.poll() is not None:
                    sys.exit(f"cluster test: process {self.index} exited at start; see {folder}/serve-n{self.index}.log")
                time.sleep(0.05)
        self.process.kill()
        sys.exit(f"cluster test: process {self.index} did not start within 15 s")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.killed.add(self.tag)

    def pause(self, seconds):
        """SIGSTOP for longer than the lease, then SIGCONT: its claims pass to others, and its late results are refused."""
        self.process.send_signal(signal.SIGSTOP)
        time.sleep(seconds)
        self.process.send_signal(signal.SIGCONT)
        self.killed.add(self.tag)   # a copy of a send it had in flight is explained, as for a kill

    def stop(self):
        """SIGTERM: sends in flight finish, then the process releases its leases at once."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

def sinks(folder):
    """Every delivery written: (incarnation tag, channel file kind, record)."""
    found = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".jsonl"):
            kind, tag = name[:-6].split("-", 1)
            with open(os.path.join(folder, name)) as handle:
                found += [(tag, kind, json.loads(line)) for line in handle if line.strip()]
    return found

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--incidents", type=int, default=60)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pauses", type=int, default=0, help="SIGSTOP a process for longer than the lease this many times")
    parser.add_argument("--slow", type=float, default=0, help="primary sends take this long (an exec channel), so kills cut sends off")
    parser.add_argument("--db", help="a postgres:// URL of an empty database (default: a private server)")
    args = parser.parse_args()
    if args.db:
        return run(args, args.db)
    pg_server.stop_on_sigterm()
    with PostgresServer() as server:
        return run(args, server.create_database("cluster"))

def run(args, db):
    rng = random.Random(args.seed)
    folder = tempfile.mkdtemp(prefix="escalate-cluster-")
    with open(os.path.join(folder, "org.yaml"), "w") as handle:
        contacts = "\n".join(f"  c{n}: {{ name: Person {n}, addresses: {{ log: c{n} }} }}" for n in range(20))
        policy = POLICY.format(contacts=contacts)
        if args.slow > 0:
            # Sends that take a while, so that kills land mid-send and other processes take them over.
            sink = os.path.join(folder, "sink.py")
            with open(sink, "w") as script:
                script.write(SINK)
            os.chmod(sink, 0o755)
            policy = policy.replace('primary: { plugin: file, address: log, settings: { path: "${env:SINK_PRIMARY}" } }',
                                    SLOW_PRIMARY.format(sink=sink, slow=args.slow))
        handle.write(policy)
    nodes = [Node(i, free_port()) for i in range(PROCESSES)]
    try:
        return exercise(args, db, rng, folder, nodes)
    finally:
        for node in nodes:   # also on an interrupt: no server outlives the test
            if node.alive():
                node.process.kill()
                node.process.wait()

def exercise(args, db, rng, folder, nodes):
    for node in nodes:
        node.start(args.binary, folder, db)   # one after another: the first creates the shared link key file
    first_seen, stop = {}, threading.Event()
    def watch():
        while not stop.is_set():
            now = time.time()
            try:
                for _, _, record in sinks(folder):
                    first_seen.setdefault(record["message"]["idempotency_key"], now)
            except (ValueError, OSError):
                pass   # a line being written; read it next time
            time.sleep(0.2)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    kill_points = sorted(rng.sample(range(2, args.incidents), min(args.kills, args.incidents - 2)))
    pause_points = set(rng.sample(sorted(set(range(2, args.incidents)) - set(kill_points)), min(args.pauses, max(0, args.incidents - 2 - len(kill_points)))))
    pauses = 0
    triggered, kills, stops, restarts, down = {}, 0, 0, [], {}
    started = time.time()
    for index in range(args.incidents):
        # Round robin over the live processes; a request cut off by a kill goes to the next (the dedup key makes it safe).
        for attempt in range(PROCESSES * 2):
            node = nodes[(index + attempt) % PROCESSES]
            if not node.alive():
                continue
            try:
                body = request(node.port, "POST", "/v1/incidents",
                               {"title": f"incident {index}", "dedup_key": f"cluster-{index}", "fields": {"who": f"c{index % 20}"}})
                triggered[body.get("id") or body.get("incident", {}).get("id") or f"#{index}"] = time.time()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        for slot, when in list(down.items()):
            if time.time() >= when:
                nodes[slot].start(args.binary, folder, db)
                restarts.append(slot)
                del down[slot]
        if index in pause_points:
            live = [n for n in nodes if n.alive()]
            if live:
                time.sleep(rng.uniform(0, 0.3))
                rng.choice(live).pause(LEASE + 2)
                pauses += 1
        if kill_points and index == kill_points[0]:
            kill_points.pop(0)
            live = [n for n in nodes if n.alive()]
            if len(live) > 1:
                time.sleep(rng.uniform(0, 0.5))   # anywhere: mid-commit, mid-claim, mid-send
                victim = rng.choice(live)
                if rng.random() < 0.25:
                    victim.stop()
                    stops += 1
                else:
                    victim.kill()
                    kills += 1
                down[victim.index] = time.time() + rng.uniform(1, 4)
        time.sleep(rng.uniform(0, 0.1))
    for slot in list(down):
        time.sleep(max(0, down[slot] - time.time()))
        nodes[slot].start(args.binary, folder, db)
        restarts.append(slot)
    load_seconds = time.time() - started
    incidents = {}
    for node in nodes:
        if node.alive():
            incidents = {i["id"]: i for i in all_incidents(node.port)}
            break
    expected = set(incidents)
    settle = time.time() + 40
    while time.time() < settle:
        layers = {(r["message"]["incident_id"], r["message"]["idempotency_key"].split("/")[1]) for _, _, r in sinks(folder)}
        per_incident = {}
        for incident_id, _ in layers:
            per_incident[incident_id] = per_incident.get(incident_id, 0) + 1
        if all(per_incident.get(i, 0) >= 2 for i in expected):
            break
        time.sleep(0.5)
    metrics = {}
    for node in nodes:
        try:
            text = urllib.request.urlopen(f"http://127.0.0.1:{node.port}/metrics", timeout=5).read().decode()
            for line in text.splitlines():
                if line.startswith("escalate_cluster_"):
                    name = line.split("{")[0] + ("{" + line.split("{")[1].split(",")[0] + "}" if "kind=" in line else "")
                    metrics[name] = metrics.get(name, 0) + float(line.rsplit(" ", 1)[1])
        except Exception:
            pass
    for node in nodes:
        if node.alive():
            node.process.send_signal(signal.SIGTERM)
    for node in nodes:
        if node.process:
            try:
                node.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                node.process.kill()
    stop.set()
    watcher.join()
    killed = set().union(*(n.killed for n in nodes))
    records = sinks(folder)
    senders = {}
    for tag, _, record in records:
        senders.setdefault(record["message"]["idempotency_key"], []).append(tag)
    copies = {k: t for k, t in senders.items() if len(t) > 1}
    explained = {k for k, t in copies.items() if any(tag in killed for tag in t)}
    double_sends = sorted(set(copies) - explained)
    notifications, channels = {}, {}
    for key in senders:
        base = key.rsplit("/", 1)[0]
        notifications.setdefault(base.split("/")[0], set()).add(base)
        channels.setdefault(base, set()).add(key.rsplit("/", 1)[1])
    double_pages = sorted(base for base, used in channels.items() if len(used) > 1)
    missing = sorted(i for i in expected if len(notifications.get(i, ())) < 2)
    # Layer 2 falls due 3 s after the trigger; after a death it must still fire within the lease (+ slack for load).
    seen_by_incident = {}
    for key, when in first_seen.items():
        seen_by_incident.setdefault(key.split("/")[0], []).append(when)
    # The later of an incident's two notifications is layer 2's.
    lags = sorted(max(seen_by_incident[i]) - (triggered[i] + 3) for i in triggered if len(seen_by_incident.get(i, [])) >= 2)
    bound = LEASE + 10
    late = [lag for lag in lags if lag > bound]
    pages = len(senders)
    print(f"cluster test: {PROCESSES} processes, {len(expected)} incidents ({len(triggered)} trigger requests answered) in {load_seconds:.1f}s, "
          f"{kills} SIGKILLs, {stops} SIGTERMs, {pauses} pauses past the lease, {len(restarts)} restarts; {pages} pages ({len(records)} deliveries, {len(explained)} resent with the same key "
          f"after a kill cut a send off, {sum(1 for _, kind, _ in records if kind == 'backup')} by fallback)")
    if lags:
        print(f"cluster test: layer-2 lag after its due instant: median {lags[len(lags) // 2]:.1f}s, max {lags[-1]:.1f}s (bound {bound}s)")
    print("cluster test, counters of the processes running at the end: " + ", ".join(f"{k.replace('escalate_cluster_', '')} {int(v)}" for k, v in sorted(metrics.items())))
    failed = 0
    if len(expected) < args.incidents * 0.9:
        print(f"cluster test: only {len(expected)} of {args.incidents} incidents were stored"); failed += 1
    if missing:
        print(f"cluster test: {len(missing)} incidents lack a delivered notification per layer: {missing[:5]} (logs in {folder})"); failed += 1
    if double_pages:
        print(f"cluster test: notifications that paged a person on two channels: {double_pages[:5]} (logs in {folder})"); failed += 1
    if double_sends:
        print(f"cluster test: keys sent twice by processes that were not killed: {double_sends[:5]} ({[senders[k] for k in double_sends[:5]]})"); failed += 1
    if late:
        print(f"cluster test: {len(late)} layer-2 timers fired later than {bound}s after they fell due"); failed += 1
    print(f"{5 - failed} passed, {failed} failed")
    return 1 if failed else 0

def all_incidents(port, page_size=100):
    incidents, cursor = [], None
    while True:
        body = request(port, "GET", f"/v1/incidents?limit={page_size}" + (f"&cursor={cursor}" if cursor else ""))
        incidents += body["incidents"]
        cursor = body.get("next_cursor")
        if not cursor:
            return incidents

if __name__ == "__main__":
    sys.exit(main())
