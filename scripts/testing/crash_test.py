#!/usr/bin/env python3
"""Crash test for `escalate serve`: load it with incidents, SIGKILL it at random moments, restart it, and check
against file sinks that every due notification was delivered (through the channel fallback when a send was cut
off) and that nobody was paged twice: the file plugin forwards each delivery's idempotency key, so a send a kill
cut off is resent with the same key and the receiver drops the copy (counted, not a failure); what must never
happen is one notification reaching a person on two channels, or under two keys. Loopback only; bounded.

With --slow-exec SECONDS the primary channel is an `exec` command that takes that long per page (a Python script
that, as the exec protocol asks, drops a key it already delivered): kills then land while commands run, so a
restarted server must stop the commands the crash left behind before it decides (killed unfinished: resent with
the same key), and at the end no command of this run may outlive the server.

Usage: scripts/testing/crash_test.py .build/debug/escalate [--incidents 40] [--kills 5] [--seed 1] [--slow-exec 1]
"""
import argparse, json, os, random, signal, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

POLICY = """
organisation: {{ id: crash, name: Crash test, timezone: UTC }}
contacts:
{contacts}
channels:
  primary: {{ plugin: file, address: log, settings: {{ path: "{primary}" }} }}
  backup: {{ plugin: file, address: log, settings: {{ path: "{backup}" }} }}
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

SLOW_PAGE = """#!/usr/bin/env python3
# A slow exec channel: records each attempt, waits, then appends the request to the sink unless its key is there.
import fcntl, json, os, sys, time
request = json.loads(sys.stdin.readline())
key = request["message"]["idempotency_key"]
with open(os.environ["ATTEMPTS"], "a") as attempts:
    attempts.write(key + "\\n")
time.sleep(float(os.environ["DELAY"]))
with open(os.environ["SINK"] + ".lock", "w") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    seen = set()
    if os.path.exists(os.environ["SINK"]):
        with open(os.environ["SINK"]) as sink:
            seen = {json.loads(line)["message"]["idempotency_key"] for line in sink if line.strip()}
    if key not in seen:
        with open(os.environ["SINK"], "a") as sink:
            sink.write(json.dumps(request) + "\\n")
print(json.dumps({"ok": True}))
"""

def leftover_commands(sink):
    """Processes of this run's exec channel still alive: their environment names the delivery and this sink."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read().split(b"\0")
            with open(f"/proc/{entry}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X") and f"SINK={sink}".encode() in environ and any(e.startswith(b"ESCALATE_DELIVERY_KEY=") for e in environ):
            found.append(int(entry))
    return found

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def request(port, method, path, body=None, timeout=5):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Authorization": "Bearer crash-token", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return json.loads(response.read() or b"{}")

def all_incidents(port, page_size=25):
    """Every incident, following next_cursor page by page (GET /v1/incidents holds at most 500 per page)."""
    incidents, cursor, pages = [], None, 0
    while True:
        path = f"/v1/incidents?limit={page_size}" + (f"&cursor={cursor}" if cursor else "")
        body = request(port, "GET", path)
        incidents += body["incidents"]
        cursor, pages = body.get("next_cursor"), pages + 1
        if not cursor or pages > 10_000:
            return incidents

def start(binary, folder, port):
    env = dict(os.environ, ESCALATE_TOKENS="crash=crash-token")
    log = open(os.path.join(folder, "serve.log"), "a")
    process = subprocess.Popen([binary, "serve", "--policies", os.path.join(folder, "org.yaml"), "--db",
                                os.path.join(folder, "db.sqlite"), "--port", str(port)], env=env, stdout=log, stderr=log)
    for _ in range(200):
        try:
            request(port, "GET", "/healthz", timeout=1)
            return process
        except Exception:
            if process.poll() is not None:
                sys.exit(f"crash test: the server exited at start; see {folder}/serve.log")
            time.sleep(0.05)
    process.kill()
    sys.exit("crash test: the server did not start within 10 s")

def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--incidents", type=int, default=40)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow-exec", type=float, default=0, help="seconds each page on the primary (exec) channel takes")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = tempfile.mkdtemp(prefix="escalate-crash-")
    primary, backup = os.path.join(folder, "primary.jsonl"), os.path.join(folder, "backup.jsonl")
    with open(os.path.join(folder, "org.yaml"), "w") as handle:
        # Enough people share the load (at most 6 pages each), so per-contact throttling (10 a minute) does not hold
        # deliveries back.
        people = max(10, args.incidents // 3)
        contacts = "\n".join(f"  c{n}: {{ name: Person {n}, addresses: {{ log: c{n} }} }}" for n in range(people))
        text = POLICY.format(primary=primary, backup=backup, contacts=contacts)
        if args.slow_exec > 0:
            script = os.path.join(folder, "slow_page.py")
            with open(script, "w") as code:
                code.write(SLOW_PAGE)
            attempts = os.path.join(folder, "attempts.txt")
            text = text.replace(
                f'primary: {{ plugin: file, address: log, settings: {{ path: "{primary}" }} }}',
                f'primary: {{ plugin: exec, address: log, settings: {{ command: python3, args: ["{script}"], timeout: 30s, '
                f'env: {{ SINK: "{primary}", ATTEMPTS: "{attempts}", DELAY: "{args.slow_exec}" }} }} }}')
        handle.write(text)
    port = free_port()
    server = start(args.binary, folder, port)
    kill_points = sorted(rng.sample(range(1, args.incidents), min(args.kills, args.incidents - 1)))
    triggered, kills = 0, 0
    deadline = time.time() + 120
    for index in range(args.incidents):
        if time.time() > deadline:
            break
        try:
            request(port, "POST", "/v1/incidents", {"title": f"incident {index}", "dedup_key": f"crash-{index}", "fields": {"who": f"c{index % people}"}})
            triggered += 1
        except (urllib.error.URLError, ConnectionError, OSError):
            pass  # the kill may have cut this request off; the dedup key makes a retry safe
        if kill_points and index == kill_points[0]:
            kill_points.pop(0)
            time.sleep(rng.uniform(0, 0.3))  # land the kill anywhere: mid-commit, mid-dispatch, between timers
            server.send_signal(signal.SIGKILL)
            server.wait()
            kills += 1
            time.sleep(rng.uniform(0, 1.5))   # timers may fall due while it is down
            server = start(args.binary, folder, port)
    # Let every incident reach its second layer (3 s timer) and the outbox drain.
    incidents = all_incidents(port)
    expected = {incident["id"] for incident in incidents}
    # A slow channel runs at most 20 commands at once (the bound per channel), each taking --slow-exec seconds or more
    # on a loaded machine: give every page that long, five at a time.
    settle = time.time() + 30 + (2 * len(expected) * args.slow_exec) / 5
    while time.time() < settle:
        delivered = lines(primary) + lines(backup)
        layers = {(d["message"]["incident_id"], d["message"]["idempotency_key"].split("/")[1]) for d in delivered}
        per_incident = {}
        for incident_id, _ in layers:
            per_incident[incident_id] = per_incident.get(incident_id, 0) + 1
        if all(per_incident.get(i, 0) >= 2 for i in expected):
            break
        time.sleep(0.5)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    delivered = lines(primary) + lines(backup)
    keys = [d["message"]["idempotency_key"] for d in delivered]
    resent = len(keys) - len(set(keys))   # same key again: the receiver's key check drops it
    # A notification is the key without its channel index (KEY/INDEX); each needs one delivery on some channel,
    # and must reach its person on one channel only (a second channel would be a second page).
    notifications = {}
    channels_per_notification = {}
    for key in set(keys):
        base = key.rsplit("/", 1)[0]
        incident = base.split("/")[0]
        notifications.setdefault(incident, set()).add(base)
        channels_per_notification.setdefault(base, set()).add(key.rsplit("/", 1)[1])
    double_pages = sorted(base for base, channels in channels_per_notification.items() if len(channels) > 1)
    missing = sorted(i for i in expected if len(notifications.get(i, ())) < 2)
    print(f"crash test: {len(expected)} incidents ({triggered} trigger requests answered), {kills} SIGKILLs, "
          f"{len(set(keys))} pages ({len(delivered)} deliveries; {resent} resent with the same key after an interrupted send, "
          f"{len(lines(backup))} by fallback)")
    failed = 0
    if len(expected) < args.incidents // 2:
        print(f"crash test: only {len(expected)} incidents were stored"); failed += 1
    if missing:
        print(f"crash test: {len(missing)} incidents lack a delivered notification per layer: {missing[:5]}"); failed += 1
    if double_pages:
        print(f"crash test: notifications that paged a person on two channels: {double_pages[:5]}"); failed += 1
    checks = 3
    if args.slow_exec > 0:
        checks += 1
        with open(os.path.join(folder, "serve.log")) as handle:
            stopped = sum(1 for line in handle if "stopped what a crash left running" in line)
        with open(os.path.join(folder, "attempts.txt")) as handle:
            attempts = sum(1 for line in handle if line.strip())
        left = leftover_commands(primary)
        print(f"crash test (slow exec, {args.slow_exec}s a page): {attempts} command runs for {len(lines(primary))} pages on it; "
              f"a restart stopped leftover commands {stopped} time(s); {len(left)} command(s) outlived the server")
        if left:
            print(f"crash test: exec commands outlived the server: pids {left[:5]}"); failed += 1
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
    print(f"{checks - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
