#!/usr/bin/env python3
"""End-to-end test for `escalate serve` with real neighbours. Loopback only; bounded in time (well under a minute).

1. Alertmanager: a real `prometheus-alertmanager` posts its webhook (bearer token, send_resolved) to
   /v1/integrations/alertmanager; an alert posted to Alertmanager opens an incident that notifies through a file
   sink, and the same alert resolved in Alertmanager resolves the incident, with Alertmanager in its timeline.
2. Policy reload: SIGHUP with a changed policy makes new incidents take the new compiled version (as `escalate
   compile` computes it) while an open incident keeps, and escalates by, the one it started with; SIGHUP with a broken policy is refused (the log shows the diagnostic
   at file:line:col) and the last good version keeps serving; POST /v1/reload refuses the broken set with a 422
   and the diagnostics, and accepts it once fixed.
3. Restart: an open incident escalates by the policy version it started with after a SIGKILL and a restart onto
   changed policies.

Usage: scripts/testing/serve_e2e.py .build/debug/escalate [--alertmanager prometheus-alertmanager]
"""
import argparse, datetime, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

from e2e_checks import Checks, Failure, free_port  # shared with the other end-to-end scripts

ORGANISATION, TOKEN = "e2e", "e2e-token"

POLICY = """
organisation: {{ id: e2e, name: Serve e2e, timezone: UTC }}
contacts:
  frontline: {{ name: Front line, addresses: {{ log: frontline }} }}
  oncall: {{ name: On call, addresses: {{ log: oncall }} }}
  backup: {{ name: Backup, addresses: {{ log: backup }} }}
channels:
  sink: {{ plugin: file, address: log, settings: {{ path: "{sink}" }} }}
templates:
  page: {{ body: "{{{{ incident.title }}}}" }}
policies:
  alerts:
    name: Alerts
    layers:
      - {{ id: first, notify: [{{ contact: {first} }}], via: [sink], template: page, timeout: {timeout} }}
      - {{ id: second, notify: [{{ contact: {second} }}], via: [sink], template: page }}
"""

ALERTMANAGER = """
global:
  resolve_timeout: 5s
route:
  receiver: escalate
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: escalate
    webhook_configs:
      - url: "http://127.0.0.1:{port}/v1/integrations/alertmanager?policy=alerts"
        send_resolved: true
        http_config:
          authorization: {{ type: Bearer, credentials: "{token}" }}
"""


def call(port, method, path, body=None, token=TOKEN, timeout=5):
    """(status, parsed JSON body or text) of a request; HTTP errors are answers too."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"{}")
    except ValueError:
        return status, raw.decode(errors="replace")


def wait_for(predicate, seconds, interval=0.25):
    """The first truthy value of predicate() within `seconds`, else None."""
    deadline = time.time() + seconds
    while True:
        try:
            value = predicate()
        except (urllib.error.URLError, ConnectionError, OSError):
            value = None
        if value:
            return value
        if time.time() > deadline:
            return None
        time.sleep(interval)


def read(path):
    if not os.path.exists(path):
        return ""
    with open(path, errors="replace") as handle:
        return handle.read()


def lines(path):
    return [json.loads(line) for line in read(path).splitlines() if line.strip()]


def write_policy(path, sink, first="frontline", timeout="10m", second="oncall"):
    with open(path, "w") as handle:
        handle.write(POLICY.format(sink=sink, first=first, timeout=timeout, second=second))


def compiled_version(binary, path, policy="alerts"):
    """The version `escalate compile` gives the policy: what the server must stamp on incidents."""
    result = subprocess.run([binary, "compile", path], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        sys.exit(f"serve e2e: `escalate compile {path}` failed:\n{result.stderr}")
    graphs = json.loads(result.stdout)
    for graph in graphs if isinstance(graphs, list) else [graphs]:
        for compiled in graph.get("policies", []):
            if compiled.get("id") == policy:
                return compiled["version"]
    sys.exit(f"serve e2e: `escalate compile {path}` has no policy '{policy}'")


def iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Processes:
    """Started processes, each logging to a file in the test folder; all are stopped at the end."""

    def __init__(self, folder):
        self.folder, self.running = folder, []

    def start(self, name, argv, env=None):
        log = open(os.path.join(self.folder, f"{name}.log"), "a")
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        self.running.append(process)
        return process

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_server(checks, processes, binary, folder, name, port, extra=()):
    env = dict(os.environ, ESCALATE_TOKENS=f"{ORGANISATION}={TOKEN}")
    argv = [binary, "serve", "--policies", folder, "--db", os.path.join(folder, "db.sqlite"), "--port", str(port), *extra]
    process = processes.start(name, argv, env)
    up = wait_for(lambda: process.poll() is not None or call(port, "GET", "/healthz", timeout=1)[0] == 200, 10, 0.05)
    checks.require(up and process.poll() is None, f"the server did not start within 10 s; see {processes.folder}/{name}.log")
    return process


def notify_error(root):
    """Alertmanager's last failed webhook delivery, if any: the quickest clue when no incident arrives."""
    failures = [line for line in read(os.path.join(root, "alertmanager.log")).splitlines() if "Notify for alerts failed" in line]
    return f"; alertmanager's last failure: {failures[-1]}" if failures else ""


def find_incident(port, predicate):
    status, body = call(port, "GET", "/v1/incidents")
    if status != 200:
        return None
    return next((incident for incident in body.get("incidents", []) if predicate(incident)), None)


def alertmanager_part(checks, args, root, processes):
    folder = os.path.join(root, "alertmanager")
    os.makedirs(folder)
    sink = os.path.join(folder, "sink.jsonl")
    write_policy(os.path.join(folder, "org.yaml"), sink)
    serve_port, am_port = free_port(), free_port()
    start_server(checks, processes, args.binary, folder, "serve", serve_port)

    config = os.path.join(root, "alertmanager.yml")
    with open(config, "w") as handle:
        handle.write(ALERTMANAGER.format(port=serve_port, token=TOKEN))
    storage = os.path.join(root, "alertmanager-data")
    os.makedirs(storage)
    manager = processes.start("alertmanager", [
        args.alertmanager, f"--config.file={config}", f"--storage.path={storage}",
        f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address=", "--log.level=debug"])
    ready = wait_for(lambda: manager.poll() is not None or call(am_port, "GET", "/-/ready", token=None, timeout=1)[0] == 200, 15, 0.1)
    checks.require(ready and manager.poll() is None, f"alertmanager did not start within 15 s; see {root}/alertmanager.log")

    labels = {"alertname": "E2EDiskFull", "severity": "critical", "instance": "db1"}
    started = datetime.datetime.now(datetime.timezone.utc)
    alert = {"labels": labels, "annotations": {"summary": "Disk full on db1"}, "startsAt": iso(started),
             "endsAt": iso(started + datetime.timedelta(minutes=10))}
    status, body = call(am_port, "POST", "/api/v2/alerts", [alert], token=None)
    checks.require(status == 200, f"alertmanager refused the alert: {status} {body}")

    is_ours = lambda incident: (incident.get("dedup_key") or "").startswith("alertmanager:")
    incident = wait_for(lambda: find_incident(serve_port, lambda i: is_ours(i) and i["status"] == "open"), 30)
    checks.require(incident is not None, "no open incident from alertmanager's webhook within 30 s "
                   f"(see {root}/alertmanager.log and {root}/serve.log){notify_error(root)}")
    opened = time.time()
    checks.check(incident["policy"] == "alerts", f"the incident took policy '{incident['policy']}', not 'alerts' (?policy=alerts)")
    checks.check(incident["title"] == "Disk full on db1", f"the incident title is '{incident['title']}', not the alert's summary")
    fields = incident.get("fields", {})
    checks.check(fields.get("alertname") == "E2EDiskFull" and fields.get("severity") == "critical",
                 f"the incident fields lack the alert's labels: {fields}")
    incident_id = incident["id"]
    delivered = wait_for(lambda: [d for d in lines(sink) if d.get("message", {}).get("incident_id") == incident_id], 10)
    checks.check(bool(delivered) and delivered[0]["message"].get("body") == "Disk full on db1",
                 f"the file sink got no notification for {incident_id} within 10 s: {delivered}")

    ended = datetime.datetime.now(datetime.timezone.utc)
    status, body = call(am_port, "POST", "/api/v2/alerts", [dict(alert, endsAt=iso(ended))], token=None)
    checks.require(status == 200, f"alertmanager refused the resolved alert: {status} {body}")
    resolved_at = time.time()

    def resolved():
        status, detail = call(serve_port, "GET", f"/v1/incidents/{incident_id}")
        return detail if status == 200 and detail["incident"]["status"] == "resolved" else None

    detail = wait_for(resolved, 30)
    checks.require(detail is not None, f"incident {incident_id} was not resolved within 30 s of resolving the alert "
                   f"(see {root}/alertmanager.log and {root}/serve.log){notify_error(root)}")
    checks.check(detail["incident"].get("resolved_by") == "alertmanager",
                 f"the incident was resolved by '{detail['incident'].get('resolvedBy')}', not alertmanager")
    texts = [entry["text"] for entry in detail["timeline"]]
    checks.check(any("alertmanager" in text for text in texts), f"the timeline does not mention alertmanager: {texts}")
    others = find_incident(serve_port, lambda i: is_ours(i) and i["id"] != incident_id)
    checks.check(others is None, f"alertmanager's repeated notifications opened a second incident: {others}")
    print(f"serve e2e: alertmanager: incident {incident_id} opened in {opened - started.timestamp():.1f} s, "
          f"resolved {time.time() - resolved_at:.1f} s after the alert", flush=True)


def reload_part(checks, args, root, processes):
    folder = os.path.join(root, "reload")
    os.makedirs(folder)
    sink, policy = os.path.join(folder, "sink.jsonl"), os.path.join(folder, "org.yaml")

    def prepare(name, **changes):
        """A policy file beside the served one, and its version by `escalate compile` (None for a broken one)."""
        path = os.path.join(root, f"{name}.yaml")
        write_policy(path, sink, **changes)
        return path, compiled_version(args.binary, path) if changes.get("first", "frontline") == "frontline" else None

    def install(path):
        shutil.copyfile(path, policy + ".new")
        os.replace(policy + ".new", policy)

    # Version 1 escalates after 3 s to oncall; its successors wait longer and escalate to backup instead.
    first, first_version = prepare("v1", timeout="3s", second="oncall")
    second, second_version = prepare("v2", timeout="15m", second="backup")
    broken, _ = prepare("broken", first="nobody", timeout="20m", second="backup")
    third, third_version = prepare("v3", timeout="20m", second="backup")
    checks.require(len({first_version, second_version, third_version}) == 3, "changing the policy did not change the compiled version")
    install(first)
    port = free_port()
    server = start_server(checks, processes, args.binary, folder, "reload-serve", port)
    log = os.path.join(root, "reload-serve.log")
    count = [0]

    def trigger():
        count[0] += 1
        status, body = call(port, "POST", "/v1/incidents", {"policy": "alerts", "title": f"reload {count[0]}", "dedup_key": f"reload-{count[0]}"})
        if status != 201:  # counted only when it fails: the SIGHUP poll triggers a varying number of incidents
            checks.require(False, f"POST /v1/incidents answered {status}, not 201: {body}")
        return body

    old = trigger()
    checks.require("version" in old, f"an incident does not show its policy version: {old}")
    checks.check(old["version"] == first_version, f"the incident has version {old['version']}, `escalate compile` says {first_version}")

    # A good change, reloaded with SIGHUP: new incidents take the new version; the open one keeps its own.
    install(second)
    server.send_signal(signal.SIGHUP)
    new = wait_for(lambda: (lambda incident: incident if incident["version"] != first_version else None)(trigger()), 10, 0.3)
    checks.require(new is not None, f"no new incident took the new version within 10 s of SIGHUP (see {log})")
    checks.check(new["version"] == second_version, f"after SIGHUP a new incident has version {new['version']}, expected {second_version}")
    checks.check(wait_for(lambda: "policies reloaded (SIGHUP)" in read(log), 5), f"the server log does not say the SIGHUP reload happened (see {log})")
    status, detail = call(port, "GET", f"/v1/incidents/{old['id']}")
    checks.check(status == 200 and detail["incident"]["version"] == first_version,
                 f"after the reload the first incident reports version {detail.get('incident', {}).get('version') if status == 200 else status}, not its own {first_version}")
    # The first incident runs on its own version after the reload: its 3 s layer escalates to oncall, not backup.
    escalated = wait_for(lambda: [d for d in lines(sink) if d.get("message", {}).get("incident_id") == old["id"]
                                  and d["message"].get("metadata", {}).get("origin") == "layer second"], 10)
    checks.check(escalated and [d["address"] for d in escalated] == ["oncall"],
                 f"after the reload the first incident did not escalate by its own version (3 s, to oncall) within 10 s: {escalated}")
    status, acknowledged = call(port, "POST", f"/v1/incidents/{old['id']}/acknowledge", {"by": "e2e"})
    checks.check(status == 200 and acknowledged.get("status") == "acknowledged" and acknowledged.get("version") == first_version,
                 f"acknowledging the first incident after the reload: {status} {acknowledged}")

    # A broken change, reloaded with SIGHUP: refused, the diagnostic logged at file:line:col, the last good set kept.
    install(broken)
    before = len(read(log))
    server.send_signal(signal.SIGHUP)
    refused = wait_for(lambda: "reload refused" in read(log)[before:] and read(log)[before:], 10)
    checks.require(refused, f"the server log does not say the broken reload was refused within 10 s (see {log})")
    diagnostic = re.search(r"org\.yaml:\d+:\d+: error: .*nobody", refused)
    checks.check(diagnostic is not None, f"the refused reload's log lacks the diagnostic at org.yaml:LINE:COL: {refused!r}")
    kept = trigger()
    checks.check(kept["version"] == second_version, f"after a refused reload a new incident has version {kept['version']}, not the last good {second_version}")

    # POST /v1/reload: needs the token; refuses the broken set with 422 and the diagnostics; accepts it fixed.
    status, body = call(port, "POST", "/v1/reload", token=None)
    checks.check(status == 401, f"POST /v1/reload without a token answered {status}, not 401: {body}")
    status, body = call(port, "POST", "/v1/reload")
    diagnostics = body.get("diagnostics", "") if isinstance(body, dict) else ""
    checks.check(status == 422, f"POST /v1/reload of a broken set answered {status}, not 422: {body}")
    checks.check(re.search(r"org\.yaml:\d+:\d+: error: .*nobody", str(diagnostics)) is not None,
                 f"POST /v1/reload's refusal lacks the diagnostic at org.yaml:LINE:COL: {body}")
    checks.check(trigger()["version"] == second_version, "after a refused POST /v1/reload new incidents lost the last good version")
    install(third)
    status, body = call(port, "POST", "/v1/reload")
    checks.check(status == 200 and isinstance(body, dict) and body.get("status") == "reloaded",
                 f"POST /v1/reload of a fixed set answered {status}: {body}")
    latest = trigger()
    checks.check(latest["version"] == third_version, f"after POST /v1/reload a new incident has version {latest['version']}, expected {third_version}")
    checks.check(server.poll() is None, f"the server exited during the reload checks (see {log})")
    print(f"serve e2e: reload: versions {first_version} -> {second_version} (SIGHUP) -> refused twice -> {third_version} (POST /v1/reload)", flush=True)


def restart_part(checks, args, root, processes):
    """An open incident keeps its policy version across a restart onto changed policies (the version is snapshotted
    in the database at trigger), so it escalates by the rules it started with."""
    folder = os.path.join(root, "restart")
    os.makedirs(folder)
    sink, policy = os.path.join(folder, "sink.jsonl"), os.path.join(folder, "org.yaml")
    write_policy(policy, sink, timeout="3s", second="oncall")
    port = free_port()
    server = start_server(checks, processes, args.binary, folder, "restart-serve", port)
    status, incident = call(port, "POST", "/v1/incidents", {"policy": "alerts", "title": "restart"})
    checks.require(status == 201, f"POST /v1/incidents answered {status}: {incident}")
    server.kill()
    server.wait()
    write_policy(policy, sink, timeout="15m", second="backup")
    start_server(checks, processes, args.binary, folder, "restart-serve", port)
    escalated = wait_for(lambda: [d for d in lines(sink) if d.get("message", {}).get("incident_id") == incident["id"]
                                  and d["message"].get("metadata", {}).get("origin") == "layer second"], 15)
    own = checks.check(escalated and [d["address"] for d in escalated] == ["oncall"],
                 f"after a restart onto changed policies the open incident did not escalate by its own version (3 s, to oncall) within 15 s: {escalated}")
    status, detail = call(port, "GET", f"/v1/incidents/{incident['id']}")
    checks.check(status == 200 and detail["incident"]["version"] == incident["version"],
                 f"after the restart the incident reports another version: {detail if status == 200 else status}")
    if own:
        print(f"serve e2e: restart: incident {incident['id']} escalated on its own version {incident['version']} after a SIGKILL and a policy change",
              flush=True)


def throttle_part(checks, args, root, processes):
    """`--pages-per-contact-per-minute 2`: three incidents paging one contact give two pages at once; the third
    waits its turn (a minute later), and the incident still shows it pending. A value out of range is refused."""
    folder = os.path.join(root, "throttle")
    os.makedirs(folder)
    sink, policy = os.path.join(folder, "sink.jsonl"), os.path.join(folder, "org.yaml")
    write_policy(policy, sink)
    refused = subprocess.run([args.binary, "serve", "--policies", folder, "--pages-per-contact-per-minute", "0"],
                             capture_output=True, text=True, timeout=30)
    checks.check(refused.returncode != 0 and "--pages-per-contact-per-minute must be from 1" in refused.stderr,
                 f"--pages-per-contact-per-minute 0 was not refused with a clear message: {refused.returncode} {refused.stderr[-300:]}")
    port = free_port()
    start_server(checks, processes, args.binary, folder, "throttle-serve", port, ["--pages-per-contact-per-minute", "2"])
    ids = []
    for index in range(3):
        status, incident = call(port, "POST", "/v1/incidents", {"policy": "alerts", "title": f"throttle {index}"})
        checks.require(status == 201, f"POST /v1/incidents answered {status}: {incident}")
        ids.append(incident["id"])
    paged = wait_for(lambda: len(lines(sink)) >= 2, 10)
    time.sleep(1.5)  # a third page, if the limit were not applied, would be written well within this
    pages = [d for d in lines(sink) if d.get("address") == "frontline"]
    if checks.check(paged and len(pages) == 2,
                    f"with --pages-per-contact-per-minute 2, three incidents gave {len(pages)} pages to frontline, not 2: {pages}"):
        print("serve e2e: throttle: 2 of 3 pages to one contact went at once with --pages-per-contact-per-minute 2", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--alertmanager", default="prometheus-alertmanager", help="the Alertmanager binary")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"serve e2e: {args.binary} is not an executable escalate binary (build it first: swift build)")
    manager = shutil.which(args.alertmanager)
    if not manager:
        sys.exit(f"serve e2e: {args.alertmanager} is not installed (apt-get install prometheus-alertmanager, or run scripts/test.sh)")
    args.alertmanager = manager
    root = tempfile.mkdtemp(prefix="escalate-serve-e2e-")
    checks = Checks("serve e2e")
    began = time.time()
    # Stopped from outside (CI timeout, ^C): still stop the servers, so no port stays taken.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("serve e2e: stopped by SIGTERM"))
    for part in (alertmanager_part, reload_part, restart_part, throttle_part):
        processes = Processes(root)
        try:
            part(checks, args, root, processes)
        except Failure:
            pass  # counted and printed; the next part runs on its own server
        except Exception as error:  # an answer of an unexpected shape: a failure too, with what was seen
            checks.check(False, f"{part.__name__} stopped on {error!r}")
        finally:
            processes.stop_all()
    print(f"serve e2e: {checks.passed} passed, {checks.failed} failed in {time.time() - began:.1f} s")
    if checks.failed:
        sys.exit(f"serve e2e: {checks.failed} check(s) failed; the serve and alertmanager logs are in {root}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
