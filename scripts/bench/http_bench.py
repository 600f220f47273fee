#!/usr/bin/env python3
"""The HTTP parts of issue 15's benchmarks, against a real `escalate serve` and its peers on the same machine.
Figures are printed beside the peer and/or the physical limit and written to a JSON file; nothing is asserted.

Sections (`--sections`, comma-separated; default all):
  ingest   HTTP ingest side by side: wrk (-t2 -c16 -d20s, a Lua body) against `serve` (POST /v1/incidents, a distinct
           dedup key per request, so every request opens a new incident: one durable commit and one first-layer
           delivery each) and against Prometheus Alertmanager (POST /api/v2/alerts, one alert with a label varying
           per request, so every request is a new alert), alternated A, B, A, B, each run on a fresh process; the
           disk's commit limit (scripts/bench/disk_limit.py) in the same run.
  burst    6,000 distinct triggers as fast as 32 keep-alive clients can send them; time from the last 2xx until
           all first-layer deliveries are in the file sink; trigger latency and dispatch lag per incident.
  memory   RSS of `serve` idle, then with 100,000 open incidents (first layer waits 24 h, so every timer is pending).
  restart  SIGTERM after `memory`, restart on the same database: time to /healthz 200, time to the first due
           timer firing (incidents opened just before the stop whose 2 s timers are overdue at restart), lateness of
           timers that come due 30 s after they were opened (after the restart), and RSS after.
  lint     `escalate lint` on 1,000 organisations (copies of the bundled ones) against `amtool check-config` on an
           Alertmanager config of the same size, after a sync, alternated in 3 rounds: bytes/s, best of 3, and the ratio.
  sweep    wrk at 1, 4, 16 and 64 connections against one `serve` (10 s each), with a probe trigger every 100 ms
           whose dispatch lag (2xx to the delivery in the sink) is measured; then the plot.
  plot     docs/performance-load.png from the JSON (events/s and dispatch lag against load).

Full size takes 8-12 minutes on 2 cores (the 100,000 incidents take most of it); --quick about a minute.
Usage: scripts/bench/http_bench.py [--binary .build/release/escalate] [--quick] [--sections ingest,burst,...]
       [--incidents 100000] [--burst 6000] [--orgs 1000] [--json out/http-bench.json] [--plot docs/performance-load.png]
Needs wrk (installed with apt-get when missing), prometheus-alertmanager and amtool (Debian packages), matplotlib
(installed with pip when missing). Loopback only; temporary folders; every child process is stopped at exit.
"""
import argparse, atexit, datetime, http.client, itertools, json, os, platform, re, shutil, signal, statistics
import subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "testing"))
from e2e_checks import free_port, stop, wait_or_kill  # noqa: E402  (shared with the end-to-end scripts)

ORGANISATION, TOKEN = "bench", "bench-token"
CHILDREN = []  # every process started, stopped at exit


# --- the policy served ---------------------------------------------------------------------------------------------
# Bundled style (policies/*/): an organisation, people, a channel, a template and policies. The channel is the file
# plugin, so a delivery is a line in a file the benchmark can watch. `hold` waits 24 h on its first layer (its timer
# stays pending), `due` 2 s and `later` 30 s (the restart section's timers).
POLICY_FILES = {
    "organisation.yaml": """\
# The benchmark's organisation (scripts/bench/http_bench.py).
version: 1

organisation:
  id: bench
  name: Benchmark
  timezone: UTC
""",
    "people.yaml": None,  # generated: CONTACTS on-call people (see people_yaml)
    "channels.yaml": """\
channels:
  sink:
    plugin: file
    address: log
    description: Every delivery as a line of JSON, for the benchmark to watch
    settings:
      path: "{sink}"
""",
    "templates.yaml": """\
templates:
  page:
    subject: "{{{{ incident.title }}}}"
    body: >-
      @{{{{ recipient.name }}}}: {{{{ incident.title }}}}. Timeline: {{{{ incident.url }}}}
      Ack: {{{{ incident.ack_url }}}}
""",
    "policies.yaml": None,  # generated (see policies_yaml)
}

RESERVED = 1000  # contacts beyond the load's, paged only by the restart's timers and the sweep's probes


def people_yaml(contacts):
    """CONTACTS on-call people. Every incident names its own `owner` and `backup` among them (as alerts name the
    service's on-call): serve sends at most 10 pages per contact per minute, so a flood to one person would measure
    that limit, not dispatch."""
    lines = ["# On-call people of the benchmark's organisation.", "contacts:"]
    for index in range(contacts + RESERVED):
        lines.append(f"  oncall-{index:05d}: {{ name: On call {index:05d}, addresses: {{ log: oncall-{index:05d} }} }}")
    return "\n".join(lines) + "\n"


def policies_yaml(later):
    """`hold` waits 24 h on its first layer (its timer stays pending), `due` 2 s, `later` LATER (restart section)."""
    text = "policies:\n"
    for policy, name, timeout in (("hold", "then its backup after a day", "24h"), ("due", "then the backup after 2 s", "2s"),
                                  ("later", f"then the backup after {later}", later)):
        text += f"""  {policy}:
    name: Page the alerting service's owner, {name}
    fields:
      owner: {{ type: contact, required: true, description: the on-call person of the alerting service }}
      backup: {{ type: contact, required: true, description: who is paged next }}
      host: {{ type: string, description: the alerting host }}
    layers:
      - id: first
        notify: [{{ field: owner }}]
        via: [sink]
        template: page
        timeout: {timeout}
      - id: second
        notify: [{{ field: backup }}]
        via: [sink]
        template: page
"""
    return text


ALERTMANAGER_CONFIG = """\
route:
  receiver: "null"
receivers:
  - name: "null"
"""

# wrk scripts. Each wrk thread has its own Lua state: setup() gives each a number, so keys are distinct across threads;
# the run's tag (after `--`) keeps them distinct across runs. done() prints the figures as one JSON line.
WRK_COMMON = """
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  tag = args[1] or "run"
  contacts = tonumber(args[2] or "1000")
end
function done(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""

WRK_ESCALATE = WRK_COMMON + """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
request = function()
  counter = counter + 1
  local key = string.format("%%s-%%d-%%d", tag, tid, counter)
  local n = tid * 1000003 + counter
  local body = string.format('{"policy":"hold","title":"wrk %%s","dedup_key":"%%s","fields":{"owner":"oncall-%%05d",' ..
    '"backup":"oncall-%%05d","host":"web-%%d"}}', key, key, n %% contacts, (n + math.floor(contacts / 2)) %% contacts, counter %% 50)
  return wrk.format(nil, "/v1/incidents", nil, body)
end
""" % TOKEN

WRK_ALERTMANAGER = WRK_COMMON + """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local key = string.format("%s-%d-%d", tag, tid, counter)
  local body = string.format('[{"labels":{"alertname":"BenchAlert","severity":"critical","instance":"%s","host":"web-%d"},' ..
    '"annotations":{"summary":"wrk %s"}}]', key, counter % 50, key)
  return wrk.format(nil, "/api/v2/alerts", nil, body)
end
"""


# --- helpers -------------------------------------------------------------------------------------------------------
def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[index]


def ensure_wrk():
    if shutil.which("wrk"):
        return "wrk"
    log("wrk is missing: apt-get install -y wrk")
    if subprocess.run(["apt-get", "install", "-y", "wrk"], stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update"], stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "wrk"], stdout=subprocess.DEVNULL, check=True)
    return "wrk"


def ensure_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        log("matplotlib is missing: pip install matplotlib")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "matplotlib"], check=True)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def stop_children():
    for process in CHILDREN:
        if process.poll() is None:
            try:
                stop(process, timeout=15)
            except Exception:  # noqa: BLE001  (exit path: kill what is left)
                process.kill()


def start(argv, logfile, env=None):
    handle = open(logfile, "ab")
    process = subprocess.Popen(argv, env=env, stdout=handle, stderr=handle, stdin=subprocess.DEVNULL)
    handle.close()
    CHILDREN.append(process)
    return process


def get(port, path, timeout=2.0, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_http(port, path, process, seconds, interval=0.01):
    """Seconds until GET path answers 200 (None if the process died or it did not within `seconds`)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if process.poll() is not None:
            return None
        try:
            if get(port, path, timeout=1)[0] == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(interval)
    return None


def memory(pid):
    """VmRSS and VmHWM of a process, in MiB."""
    values = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount = line.split(":")
                values[key] = int(amount.split()[0]) / 1024
    return {"rss_mib": round(values.get("VmRSS", 0), 1), "hwm_mib": round(values.get("VmHWM", 0), 1)}


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scrape(port):
    """/metrics as {series: value}."""
    status, body = get(port, "/metrics", timeout=30)
    values = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                values[name] = float(value)
            except ValueError:
                pass
    return values


def server_lag(before, after):
    """serve's own dispatch lag (a delivery falling due to its first attempt) between two scrapes: count, mean and the
    histogram's bucket bounds holding the median and the 99th percentile (upper bounds, so coarse), in ms."""
    name = "escalate_dispatch_lag_seconds"
    count = after.get(f"{name}_count", 0) - before.get(f"{name}_count", 0)
    if count <= 0:
        return {"count": 0}
    total = after.get(f"{name}_sum", 0) - before.get(f"{name}_sum", 0)
    buckets = sorted((float(series.split('le="')[1].split('"')[0]), after[series] - before.get(series, 0))
                     for series in after if series.startswith(f"{name}_bucket") and "+Inf" not in series)
    bound = lambda q: next((b * 1000 for b, n in buckets if n >= q * count), None)
    timers = (after.get("escalate_timer_lag_seconds_count", 0) - before.get("escalate_timer_lag_seconds_count", 0))
    timer_sum = after.get("escalate_timer_lag_seconds_sum", 0) - before.get("escalate_timer_lag_seconds_sum", 0)
    throttled = after.get('escalate_deliveries_total{outcome="throttled"}', 0) - before.get('escalate_deliveries_total{outcome="throttled"}', 0)
    return {"count": int(count), "mean_ms": round(total / count * 1000, 1), "p50_le_ms": bound(0.5), "p99_le_ms": bound(0.99),
            "timers_fired": int(timers), "timer_late_mean_ms": round(timer_sum / timers * 1000, 1) if timers else None,
            "throttled": int(throttled)}


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


class Serve:
    """An `escalate serve` on a free port with the benchmark's policies, its SQLite database and file sink in `folder`."""

    def __init__(self, binary, folder, contacts, later="30s", name="serve"):
        self.binary, self.folder, self.name = binary, folder, name
        self.policies = os.path.join(folder, "policies")
        self.sink = os.path.join(folder, "sink.jsonl")
        self.db = os.path.join(folder, "escalate.sqlite")
        os.makedirs(self.policies, exist_ok=True)
        for file, text in POLICY_FILES.items():
            if file == "people.yaml":
                text = people_yaml(contacts)
            elif file == "policies.yaml":
                text = policies_yaml(later)
            else:
                text = text.format(sink=self.sink)
            with open(os.path.join(self.policies, file), "w") as handle:
                handle.write(text)
        self.process, self.port = None, None

    def start(self, timeout=60):
        """Starts serve; returns seconds from spawn to /healthz 200."""
        self.port = free_port()
        env = dict(os.environ, ESCALATE_TOKENS=f"{ORGANISATION}={TOKEN}")
        argv = [self.binary, "serve", "--policies", self.policies, "--db", self.db, "--port", str(self.port), "--log-level", "warning"]
        self.process = start(argv, os.path.join(self.folder, f"{self.name}.log"), env)
        seconds = wait_http(self.port, "/healthz", self.process, timeout)
        if seconds is None:
            raise SystemExit(f"http bench: serve did not answer /healthz within {timeout} s; see {self.folder}/{self.name}.log")
        return seconds

    def stop(self):
        started = time.perf_counter()
        if self.process is not None:
            stop(self.process, timeout=30)
        return time.perf_counter() - started


class SinkWatcher:
    """Tails the file sink in a thread and records when each delivery line first appeared: per incident and layer."""

    ID = re.compile(rb'"incident_id"\s*:\s*"([^"]+)"')
    ORIGIN = re.compile(rb'"origin"\s*:\s*"layer ([^"]+)"')

    def __init__(self, path, interval=0.005):
        self.path, self.interval = path, interval
        self.seen = {}  # (incident id, layer) -> time first seen (perf_counter)
        self.lines = 0
        self.titles = {}  # probe title -> time first seen
        self.watch_titles = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._offset, self._rest = 0, b""

    def start(self):
        if os.path.exists(self.path):
            self._offset = os.path.getsize(self.path)
        self._thread.start()
        return self

    def close(self):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.poll()
            time.sleep(self.interval)

    def poll(self):
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read()
        except FileNotFoundError:
            return
        if not data:
            return
        now = time.perf_counter()
        self._offset += len(data)
        data = self._rest + data
        *complete, self._rest = data.split(b"\n")
        for line in complete:
            if not line.strip():
                continue
            self.lines += 1
            found, origin = self.ID.search(line), self.ORIGIN.search(line)
            key = (found.group(1).decode() if found else None, origin.group(1).decode() if origin else None)
            self.seen.setdefault(key, now)
            if self.watch_titles is not None and b"probe-" in line:
                title = re.search(rb"probe-[0-9a-z-]+", line)
                if title:
                    self.titles.setdefault(title.group(0).decode(), now)

    def count(self, layer):
        return sum(1 for (_, origin) in list(self.seen) if origin == layer)

    def wait(self, predicate, seconds):
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if predicate():
                return True
            time.sleep(0.002)
        return predicate()


class Triggers:
    """Opens incidents over HTTP from `clients` threads, each with one keep-alive connection; records per request the
    time it was sent, the time of its answer, the status and the incident id."""

    def __init__(self, port, contacts, clients=32):
        self.port, self.contacts, self.clients = port, contacts, clients
        self.keep_created, self.created = False, {}  # incident id -> created_at, when asked for

    def run(self, count, policy, prefix, people=None):
        """`people(index)`: the fields of the index-th incident (default: `fields`, spread over the contacts)."""
        people = people or (lambda index: fields(index, self.contacts))
        results = [None] * count
        counter = itertools.count()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}

        def worker():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            while True:
                index = next(counter)
                if index >= count:
                    break
                key = f"{prefix}-{index}"
                body = json.dumps({"policy": policy, "title": f"{prefix} {key}", "dedup_key": key, "fields": people(index)})
                for attempt in range(3):  # a retry is safe: the same dedup key deduplicates
                    try:
                        sent = time.perf_counter()
                        connection.request("POST", "/v1/incidents", body=body, headers=headers)
                        response = connection.getresponse()
                        raw = response.read()
                        answered = time.perf_counter()
                        break
                    except (OSError, http.client.HTTPException):
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                        if attempt == 2:
                            raise
                incident = None
                if response.status in (200, 201):
                    try:
                        answer = json.loads(raw)
                        incident = answer.get("id")
                        if self.keep_created:
                            self.created[incident] = answer.get("created_at")
                    except ValueError:
                        pass
                results[index] = (sent, answered, response.status, incident)
            connection.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return started, [result for result in results if result is not None]


def fields(index, contacts):
    """An incident's fields: its owner and backup among the on-call people, spread evenly, and a host."""
    return {"owner": f"oncall-{index % contacts:05d}", "backup": f"oncall-{(index + contacts // 2) % contacts:05d}", "host": f"web-{index % 50}"}


def reserved(owner, backup):
    """Fields naming two of the reserved contacts (numbers from 0 to RESERVED - 1)."""
    return lambda contacts: {"owner": f"oncall-{contacts + owner:05d}", "backup": f"oncall-{contacts + backup:05d}", "host": "web-0"}


def summarise_triggers(started, results):
    latencies = [answered - sent for sent, answered, _, _ in results]
    ok = [r for r in results if r[2] in (200, 201)]
    last = max(answered for _, answered, _, _ in ok) if ok else None
    statuses = {}
    for _, _, status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "requests": len(results), "statuses": statuses, "seconds": round(last - started, 3) if last else None,
        "per_second": round(len(ok) / (last - started), 1) if last else None,
        "latency_p50_ms": round(percentile(latencies, 50) * 1000, 2), "latency_p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "latency_max_ms": round(max(latencies) * 1000, 2),
    }, last


def run_wrk(url, script_text, folder, connections, seconds, tag, contacts=1, threads=2):
    script = os.path.join(folder, f"wrk-{tag}.lua")
    with open(script, "w") as handle:
        handle.write(script_text)
    threads = max(1, min(threads, connections))
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", script, url, "--", tag, str(contacts)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    line = next((l for l in result.stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"http bench: wrk printed no result:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line[len("WRKJSON "):])
    good = figures["requests"] - figures["status_errors"]
    return {
        "command": " ".join(argv[:-3]),
        "requests": figures["requests"], "non_2xx": figures["status_errors"],
        "socket_errors": figures["connect_errors"] + figures["read_errors"] + figures["write_errors"] + figures["timeouts"],
        "req_per_s": round(good / (figures["duration_us"] / 1e6), 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2), "p90_ms": round(figures["p90_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2), "max_ms": round(figures["max_us"] / 1000, 2),
    }


def disk_limit(commits):
    """scripts/bench/disk_limit.py on the temporary folder's file system (where serve's databases are)."""
    output = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench", "disk_limit.py"), "--commits", str(commits)],
                            capture_output=True, text=True, check=True).stdout
    match = re.search(r"= (\d+) commits/s", output)
    return float(match.group(1))


# --- sections ------------------------------------------------------------------------------------------------------
def section_ingest(args, work, results):
    log(f"ingest: disk limit ({args.disk_commits} commits)")
    limits = [disk_limit(args.disk_commits)]
    runs = []
    for round_number in range(args.rounds):
        for peer in ("escalate", "alertmanager"):
            folder = tempfile.mkdtemp(prefix=f"{peer}-{round_number}-", dir=work)
            tag = f"r{round_number}"
            if peer == "escalate":
                serve = Serve(args.binary, folder, args.contacts)
                serve.start()
                before = cpu_seconds(serve.process.pid)
                figures = run_wrk(f"http://127.0.0.1:{serve.port}", WRK_ESCALATE, folder, 16, args.ingest_seconds, tag, args.contacts)
                figures["server_cpu_s"] = round(cpu_seconds(serve.process.pid) - before, 2)
                figures.update(memory(serve.process.pid))
                serve.stop()
            else:
                port = free_port()
                config = os.path.join(folder, "alertmanager.yml")
                with open(config, "w") as handle:
                    handle.write(ALERTMANAGER_CONFIG)
                storage = os.path.join(folder, "data")
                os.makedirs(storage)
                process = start([args.alertmanager, f"--config.file={config}", f"--storage.path={storage}",
                                 f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
                                os.path.join(folder, "alertmanager.log"))
                if wait_http(port, "/-/ready", process, 30) is None:
                    raise SystemExit(f"http bench: alertmanager did not become ready; see {folder}/alertmanager.log")
                before = cpu_seconds(process.pid)
                figures = run_wrk(f"http://127.0.0.1:{port}", WRK_ALERTMANAGER, folder, 16, args.ingest_seconds, tag)
                figures["server_cpu_s"] = round(cpu_seconds(process.pid) - before, 2)
                figures.update(memory(process.pid))
                stop(process, timeout=15)
            figures["server_cpu_us_per_req"] = round(figures["server_cpu_s"] / max(1, figures["requests"]) * 1e6)
            figures.update(peer=peer, round=round_number + 1, load=load_average())
            runs.append(figures)
            log(f"ingest: {peer} round {round_number + 1}: {figures['req_per_s']} req/s, p50 {figures['p50_ms']} ms, "
                f"p99 {figures['p99_ms']} ms, non-2xx {figures['non_2xx']}, socket errors {figures['socket_errors']}")
    limits.append(disk_limit(args.disk_commits))
    escalate = [r for r in runs if r["peer"] == "escalate"]
    manager = [r for r in runs if r["peer"] == "alertmanager"]
    mean = lambda rows, key: round(statistics.mean(r[key] for r in rows), 2)
    ratios = [round(e["req_per_s"] / a["req_per_s"], 4) for e, a in zip(escalate, manager)]
    results["ingest"] = {
        "runs": runs, "disk_limit_commits_per_s": limits,
        "escalate_req_per_s": mean(escalate, "req_per_s"), "alertmanager_req_per_s": mean(manager, "req_per_s"),
        "escalate_p50_ms": mean(escalate, "p50_ms"), "escalate_p99_ms": mean(escalate, "p99_ms"),
        "alertmanager_p50_ms": mean(manager, "p50_ms"), "alertmanager_p99_ms": mean(manager, "p99_ms"),
        "ratio_per_round": ratios, "ratio": round(statistics.mean(ratios), 4),
        "escalate_cpu_us_per_req": mean(escalate, "server_cpu_us_per_req"), "alertmanager_cpu_us_per_req": mean(manager, "server_cpu_us_per_req"),
        # The limit is the best the disk did in this run (other processes' writes pull it down, not up).
        "escalate_of_disk_limit": round(mean(escalate, "req_per_s") / max(limits), 3),
    }


def section_burst(args, work, results):
    folder = tempfile.mkdtemp(prefix="burst-", dir=work)
    serve = Serve(args.binary, folder, args.contacts)
    serve.start()
    watcher = SinkWatcher(serve.sink).start()
    log(f"burst: {args.burst} distinct triggers from {args.clients} keep-alive clients")
    before = scrape(serve.port)
    started, rows = Triggers(serve.port, args.contacts, args.clients).run(args.burst, "hold", "burst")
    summary, last = summarise_triggers(started, rows)
    ids = {incident for _, _, _, incident in rows if incident}
    complete = watcher.wait(lambda: sum(1 for (incident, layer) in list(watcher.seen) if layer == "first" and incident in ids) >= len(ids),
                            args.burst_wait)
    watcher.close()
    first_seen = {incident: moment for (incident, layer), moment in watcher.seen.items() if layer == "first" and incident in ids}
    lags = [first_seen[incident] - answered for _, answered, _, incident in rows if incident in first_seen]
    sent_lags = [first_seen[incident] - sent for sent, _, _, incident in rows if incident in first_seen]
    all_dispatched = max(first_seen.values()) if first_seen else None
    summary["server_dispatch_lag"] = server_lag(before, scrape(serve.port))
    summary.update({
        "incidents": len(ids), "delivered": len(first_seen), "complete": complete,
        "dispatched_after_last_2xx_s": round(all_dispatched - last, 3) if all_dispatched else None,
        "first_trigger_to_all_dispatched_s": round(all_dispatched - started, 3) if all_dispatched else None,
        "page_after_2xx_p50_ms": round(percentile(lags, 50) * 1000, 1) if lags else None,
        "page_after_2xx_p99_ms": round(percentile(lags, 99) * 1000, 1) if lags else None,
        "page_after_2xx_max_ms": round(max(lags) * 1000, 1) if lags else None,
        "trigger_to_page_p50_ms": round(percentile(sent_lags, 50) * 1000, 1) if sent_lags else None,
        "trigger_to_page_p99_ms": round(percentile(sent_lags, 99) * 1000, 1) if sent_lags else None,
        "clients": args.clients, "load": load_average(),
    })
    summary.update(memory(serve.process.pid))
    serve.stop()
    results["burst"] = summary
    log(f"burst: {summary}")


def section_memory_restart(args, work, results, restart):
    folder = tempfile.mkdtemp(prefix="memory-", dir=work)
    serve = Serve(args.binary, folder, args.contacts, later=f"{args.later}s")
    cold = serve.start()
    time.sleep(1)
    idle = memory(serve.process.pid)
    watcher = SinkWatcher(serve.sink).start()
    log(f"memory: opening {args.incidents} incidents (first layer waits 24 h)")
    started, rows = Triggers(serve.port, args.contacts, args.clients).run(args.incidents, "hold", "hold")
    summary, _ = summarise_triggers(started, rows)
    ids = {incident for _, _, _, incident in rows if incident}
    watcher.wait(lambda: watcher.count("first") >= len(ids), 120)
    time.sleep(2)
    status, body = get(serve.port, "/v1/incidents?status=open&limit=1", token=TOKEN)
    held = memory(serve.process.pid)
    db_bytes = sum(os.path.getsize(serve.db + suffix) for suffix in ("", "-wal") if os.path.exists(serve.db + suffix))
    results["memory"] = {
        "incidents": len(ids), "triggers": summary, "empty_start_healthz_s": round(cold, 3), "idle": idle, "open": held, "first_layer_delivered": watcher.count("first"),
        "db_mib": round(db_bytes / 2**20, 1), "load": load_average(),
    }
    log(f"memory: idle {idle}, with {len(ids)} open incidents {held}; intake {summary['per_second']}/s; db {db_bytes / 2**20:.0f} MiB")
    if not restart:
        watcher.close()
        serve.stop()
        return
    # Timers for the restart: `later` ones (due args.later s after they open, so after the restart) and `due` ones
    # (2 s: overdue by the time serve is back). Both are opened last, just before the SIGTERM.
    # Their owners and backups are reserved contacts, so no page of theirs waits for serve's limit of 10 a minute.
    later_client = Triggers(serve.port, args.contacts, 4)
    later_client.keep_created = True
    _, later_rows = later_client.run(args.due, "later", "later", lambda i: reserved(i, 100 + i)(args.contacts))
    _, due_rows = Triggers(serve.port, args.contacts, 4).run(args.due, "due", "due", lambda i: reserved(200 + i, 300 + i)(args.contacts))
    # serve's instants are whole seconds: a timer is due at its incident's created_at (a whole second) + LATER,
    # so lateness is measured against that instant, on the wall clock.
    wall = time.time() - time.perf_counter()
    due_at = lambda created: datetime.datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp() + args.later - wall
    later_due = {incident: due_at(later_client.created[incident]) for _, _, _, incident in later_rows if incident}
    due_ids = {incident for _, _, _, incident in due_rows if incident}
    watcher.wait(lambda: sum(1 for (i, layer) in list(watcher.seen) if layer == "first" and (i in due_ids or i in later_due)) >= len(due_ids) + len(later_due), 30)
    stopped = time.perf_counter()
    stop_seconds = serve.stop()
    # Keep it down until the `due` timers are overdue (2 s after they opened), so they are due at restart.
    wait = 2.5 - (time.perf_counter() - max(answered for _, answered, _, _ in due_rows))
    if wait > 0:
        time.sleep(wait)
    spawn = time.perf_counter()
    healthy = serve.start(timeout=300)
    after_health = memory(serve.process.pid)
    fired = lambda: [watcher.seen[(i, "second")] for i in due_ids if (i, "second") in watcher.seen]
    watcher.wait(lambda: len(fired()) >= len(due_ids), 120)
    due_fired = fired()
    watcher.wait(lambda: all((i, "second") in watcher.seen for i in later_due), args.later + 60)
    lateness = [watcher.seen[(i, "second")] - moment for i, moment in later_due.items() if (i, "second") in watcher.seen]
    time.sleep(1)
    settled = memory(serve.process.pid)
    results["restart"] = {
        "pending_timers": len(ids) + len(later_due), "stop_s": round(stop_seconds, 3), "down_s": round(spawn - stopped, 3),
        "healthz_s": round(healthy, 3), "empty_start_healthz_s": round(cold, 3),
        "first_due_timer_s": round(min(due_fired) - spawn, 3) if due_fired else None,
        "all_due_timers_s": round(max(due_fired) - spawn, 3) if len(due_fired) == len(due_ids) else None,
        "due_timers": len(due_ids), "due_fired": len(due_fired),
        "later_timers": len(later_due), "later_fired": len(lateness), "later_timer_s": args.later,
        "later_late_p50_ms": round(percentile(lateness, 50) * 1000, 1) if lateness else None,
        "later_late_max_ms": round(max(lateness) * 1000, 1) if lateness else None,
        "rss_after_healthz": after_health, "rss_after_timers": settled, "load": load_average(),
    }
    watcher.close()
    serve.stop()
    log(f"restart: {results['restart']}")


def generate_organisations(folder, count):
    """`count` organisations, each a copy of one of the bundled ones (top-level YAML files, not their tests) under a
    new id. Returns the bytes written."""
    bundled = sorted(name for name in os.listdir(os.path.join(ROOT, "policies")) if os.path.isdir(os.path.join(ROOT, "policies", name)))
    sources = []
    for name in bundled:
        files = {}
        for file in sorted(os.listdir(os.path.join(ROOT, "policies", name))):
            if file.endswith(".yaml"):
                with open(os.path.join(ROOT, "policies", name, file)) as handle:
                    files[file] = handle.read()
        sources.append((name, files))
    total = 0
    for index in range(count):
        name, files = sources[index % len(sources)]
        new = f"{name}-{index:04d}"
        target = os.path.join(folder, new)
        os.makedirs(target)
        for file, text in files.items():
            text = re.sub(rf"(\bid:\s*){re.escape(name)}\b", rf"\g<1>{new}", text)
            with open(os.path.join(target, file), "w") as handle:
                handle.write(text)
            total += len(text.encode())
    return total


def alertmanager_config(target_bytes):
    """An Alertmanager config of about `target_bytes`: per team, receivers (e-mail, Slack, webhook, PagerDuty), a route
    subtree with matchers and timings, and inhibit rules, as a company with many teams would write it."""
    head = """global:
  resolve_timeout: 5m
  smtp_smarthost: smtp.example.org:587
  smtp_from: alertmanager@example.org
  smtp_auth_username: alertmanager
  smtp_auth_password: secret
  slack_api_url: https://hooks.example.org/services/T000/B000/XXXX
  pagerduty_url: https://events.example.org/v2/enqueue
route:
  receiver: default
  group_by: [alertname, cluster, service]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
"""
    routes, receivers, inhibits = [], ["receivers:\n  - name: default\n"], ["inhibit_rules:\n"]
    size, team = len(head), 0
    while size < target_bytes:
        t = f"team-{team:05d}"
        route = f"""    - receiver: {t}-slack
      matchers:
        - team = "{t}"
      group_by: [alertname, instance]
      continue: false
      routes:
        - receiver: {t}-pager
          matchers:
            - severity = "critical"
            - environment =~ "prod|production"
          group_wait: 10s
          repeat_interval: 1h
        - receiver: {t}-mail
          matchers:
            - severity = "warning"
          group_interval: 10m
          repeat_interval: 12h
        - receiver: {t}-hook
          matchers:
            - alertname =~ "Deploy.*|Release.*"
          active_time_intervals: [office-hours]
"""
        receiver = f"""  - name: {t}-slack
    slack_configs:
      - channel: "#{t}-alerts"
        send_resolved: true
        title: '{{{{ template "slack.default.title" . }}}}'
        text: 'Alert for {t}: {{{{ .CommonAnnotations.summary }}}}'
  - name: {t}-pager
    pagerduty_configs:
      - routing_key: {team:032x}
        severity: critical
        description: '{{{{ .CommonAnnotations.summary }}}} ({t})'
  - name: {t}-mail
    email_configs:
      - to: {t}@example.org
        send_resolved: true
        headers:
          Subject: '[{t}] {{{{ .CommonLabels.alertname }}}}'
  - name: {t}-hook
    webhook_configs:
      - url: https://hooks.example.org/{t}/alerts
        send_resolved: false
        max_alerts: 20
"""
        inhibit = f"""  - source_matchers: [team = "{t}", severity = "critical"]
    target_matchers: [team = "{t}", severity = "warning"]
    equal: [alertname, instance]
"""
        routes.append(route)
        receivers.append(receiver)
        inhibits.append(inhibit)
        size += len(route) + len(receiver) + len(inhibit)
        team += 1
    intervals = """time_intervals:
  - name: office-hours
    time_intervals:
      - weekdays: ["monday:friday"]
        times: [{start_time: "08:00", end_time: "18:00"}]
"""
    return head + "".join(routes) + "".join(receivers) + "".join(inhibits) + intervals, team


def best_of(argv, times):
    best = None
    for _ in range(times):
        started = time.perf_counter()
        result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"http bench: {' '.join(argv)} exited {result.returncode}:\n{result.stderr[-2000:]}")
        best = elapsed if best is None else min(best, elapsed)
    return best


def section_lint(args, work, results):
    folder = tempfile.mkdtemp(prefix="lint-", dir=work)
    organisations = os.path.join(folder, "organisations")
    os.makedirs(organisations)
    lint_bytes = generate_organisations(organisations, args.orgs)
    config_text, teams = alertmanager_config(lint_bytes)
    config = os.path.join(folder, "alertmanager.yml")
    with open(config, "w") as handle:
        handle.write(config_text)
    am_bytes = len(config_text.encode())
    bundled_bytes = sum(os.path.getsize(os.path.join(dirpath, f)) for dirpath, _, files in os.walk(os.path.join(ROOT, "policies"))
                        for f in files if f.endswith(".yaml") and "/tests" not in dirpath)
    log(f"lint: {args.orgs} organisations, {lint_bytes / 1e6:.1f} MB; alertmanager config {am_bytes / 1e6:.1f} MB ({teams} teams)")
    rows = {}
    # The files just generated, and the databases earlier sections removed, are still being written back: flush them
    # first, so neither tool is timed against the kernel's writeback. Then the two alternate, three rounds, best of
    # each, so a slow minute of this shared machine falls on both rather than on whichever ran first.
    os.sync()
    tools = (("escalate lint", [args.binary, "lint", organisations], lint_bytes),
             ("amtool check-config", [args.amtool, "check-config", config], am_bytes))
    best = {name: None for name, _, _ in tools}
    for _ in range(3):
        for name, argv, _ in tools:
            seconds = best_of(argv, 1)
            best[name] = seconds if best[name] is None else min(best[name], seconds)
    for name, _, size in tools:
        seconds = best[name]
        rows[name] = {"bytes": size, "best_s": round(seconds, 3), "bytes_per_s": round(size / seconds)}
        log(f"lint: {name}: {seconds:.3f} s = {size / seconds / 1e6:.2f} MB/s (best of 3, alternated)")
    bundled = best_of([args.binary, "lint", os.path.join(ROOT, "policies")], 3)
    results["lint"] = {
        "organisations": args.orgs, "alertmanager_teams": teams, **rows,
        "ratio": round(rows["escalate lint"]["bytes_per_s"] / rows["amtool check-config"]["bytes_per_s"], 3),
        "bundled": {"bytes": bundled_bytes, "best_s": round(bundled, 3), "bytes_per_s": round(bundled_bytes / bundled)},
        "load": load_average(),
    }


def section_sweep(args, work, results):
    folder = tempfile.mkdtemp(prefix="sweep-", dir=work)
    serve = Serve(args.binary, folder, args.contacts)
    serve.start()
    watcher = SinkWatcher(serve.sink)
    watcher.watch_titles = True
    watcher.start()
    levels = []
    for connections in args.levels:
        probes, stop_probes = [], threading.Event()

        def probe(level=connections):
            connection = http.client.HTTPConnection("127.0.0.1", serve.port, timeout=60)
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
            number = 0
            while not stop_probes.is_set():
                number += 1
                title = f"probe-{level}-{number}"
                body = json.dumps({"policy": "hold", "title": title, "dedup_key": title, "fields": reserved(400 + number % 300, 700 + number % 300)(args.contacts)})
                try:
                    sent = time.perf_counter()
                    connection.request("POST", "/v1/incidents", body=body, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    if response.status in (200, 201):
                        probes.append((title, sent, time.perf_counter()))
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", serve.port, timeout=60)
                stop_probes.wait(0.1)
            connection.close()

        before = scrape(serve.port)
        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        figures = run_wrk(f"http://127.0.0.1:{serve.port}", WRK_ESCALATE, folder, connections, args.sweep_seconds, f"c{connections}", args.contacts)
        stop_probes.set()
        prober.join()
        watcher.wait(lambda: all(title in watcher.titles for title, _, _ in probes), 30)
        lags = [watcher.titles[title] - answered for title, _, answered in probes if title in watcher.titles]
        sent_lags = [watcher.titles[title] - sent for title, sent, _ in probes if title in watcher.titles]
        figures["server_dispatch_lag"] = server_lag(before, scrape(serve.port))
        figures.update({
            "connections": connections, "probes": len(probes), "probes_delivered": len(lags),
            "page_after_2xx_p50_ms": round(percentile(lags, 50) * 1000, 1) if lags else None,
            "page_after_2xx_p99_ms": round(percentile(lags, 99) * 1000, 1) if lags else None,
            "trigger_to_page_p50_ms": round(percentile(sent_lags, 50) * 1000, 1) if sent_lags else None,
            "trigger_to_page_p99_ms": round(percentile(sent_lags, 99) * 1000, 1) if sent_lags else None,
            "load": load_average(),
        })
        levels.append(figures)
        log(f"sweep: {connections} connections: {figures['req_per_s']} req/s, p99 {figures['p99_ms']} ms, "
            f"dispatch lag p50 {figures['page_after_2xx_p50_ms']} ms p99 {figures['page_after_2xx_p99_ms']} ms ({len(lags)} probes)")
    watcher.close()
    serve.stop()
    results["sweep"] = {"seconds": args.sweep_seconds, "levels": levels}


def section_plot(args, results):
    plt = ensure_matplotlib()
    sweep = results.get("sweep", {}).get("levels", [])
    if not sweep:
        log("plot: no sweep in the results; nothing drawn")
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5.2), dpi=80)
    connections = [level["connections"] for level in sweep]
    rates = [level["req_per_s"] for level in sweep]
    left.plot(connections, rates, "o-", color="tab:blue", label="escalate serve (new incident per request)")
    ingest = results.get("ingest")
    if ingest:
        left.axhline(ingest["alertmanager_req_per_s"], color="tab:orange", linestyle="--", label="Alertmanager, 16 connections")
        left.axhline(max(ingest["disk_limit_commits_per_s"]), color="tab:gray", linestyle=":", label="disk: SQLite WAL commits/s (best in the run)")
    left.axhline(5000, color="tab:green", linestyle="-.", linewidth=1, label="target 5,000/s")
    left.set_xscale("log", base=2)
    left.set_yscale("log")
    left.set_xticks(connections)
    left.set_xticklabels([str(c) for c in connections])
    left.set_xlabel("wrk connections (load)")
    left.set_ylabel("requests/s (2xx)")
    left.set_title("Ingest over HTTP against load")
    left.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    left.grid(True, which="both", alpha=0.3)
    ends50 = [level["trigger_to_page_p50_ms"] for level in sweep]
    ends99 = [level["trigger_to_page_p99_ms"] for level in sweep]
    server99 = [level["server_dispatch_lag"].get("p99_le_ms") for level in sweep]
    server_mean = [level["server_dispatch_lag"].get("mean_ms") for level in sweep]
    latency = [level["p99_ms"] for level in sweep]
    right.plot(connections, ends50, "o-", color="tab:blue", label="probe: trigger sent to page, p50")
    right.plot(connections, ends99, "s-", color="tab:red", label="probe: trigger sent to page, p99")
    right.plot(connections, server_mean, "d:", color="tab:brown", label="serve's dispatch lag, mean (/metrics)")
    right.plot(connections, server99, "v:", color="tab:olive", label="serve's dispatch lag, p99 bucket bound")
    right.plot(connections, latency, "^--", color="tab:purple", label="request latency p99 (wrk)")
    for c, rate, value in zip(connections, rates, ends99):
        right.annotate(f"{rate:,.0f}/s", (c, value), textcoords="offset points", xytext=(4, -10), fontsize=7)
    right.axhline(50, color="tab:green", linestyle="-.", linewidth=1, label="target: dispatch lag p99 50 ms")
    right.set_xscale("log", base=2)
    right.set_xticks(connections)
    right.set_xticklabels([str(c) for c in connections])
    right.set_yscale("log")
    right.set_xlabel("wrk connections (load); labels: events/s achieved")
    right.set_ylabel("ms")
    right.set_title("Dispatch lag against load")
    right.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    right.grid(True, which="both", alpha=0.3)
    fig.suptitle(f"escalate serve, 2 cores, loaded machine ({results['meta']['date']})", fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.plot)), exist_ok=True)
    fig.savefig(args.plot)
    log(f"plot: {args.plot}")


# --- the table -----------------------------------------------------------------------------------------------------
def table(results):
    rows = []
    fmt = lambda value, unit="": "—" if value is None else (f"{value:,.0f}{unit}" if isinstance(value, (int, float)) and value >= 100 else f"{value}{unit}")
    ingest = results.get("ingest")
    if ingest:
        limits = ingest["disk_limit_commits_per_s"]
        rows.append(("HTTP ingest req/s (wrk -c16)", fmt(ingest["escalate_req_per_s"]), f"Alertmanager {fmt(ingest['alertmanager_req_per_s'])}",
                     f"{ingest['ratio']:.3f}×", "≥ 3× Alertmanager", ingest["ratio"] >= 3))
        rows.append(("HTTP ingest vs disk limit", fmt(ingest["escalate_req_per_s"]), f"disk {fmt(max(limits))} commits/s (runs: {', '.join(fmt(l) for l in limits)})",
                     f"{ingest['escalate_of_disk_limit']:.2f}", "≥ 0.5 and ≥ 5,000/s",
                     ingest["escalate_of_disk_limit"] >= 0.5 and ingest["escalate_req_per_s"] >= 5000))
        if "escalate_cpu_us_per_req" in ingest:
            rows.append(("server CPU per request (µs)", fmt(ingest["escalate_cpu_us_per_req"]), f"Alertmanager {fmt(ingest['alertmanager_cpu_us_per_req'])}",
                         f"{ingest['escalate_cpu_us_per_req'] / ingest['alertmanager_cpu_us_per_req']:.0f}× more", "", None))
        rows.append(("HTTP ingest latency p50/p99 ms", f"{ingest['escalate_p50_ms']}/{ingest['escalate_p99_ms']}",
                     f"Alertmanager {ingest['alertmanager_p50_ms']}/{ingest['alertmanager_p99_ms']}", "", "", None))
    burst = results.get("burst")
    if burst:
        rows.append((f"burst of {burst['incidents']}: all dispatched after last 2xx", fmt(burst["dispatched_after_last_2xx_s"], " s"), "",
                     "", "< 1 s", burst["dispatched_after_last_2xx_s"] is not None and burst["dispatched_after_last_2xx_s"] < 1))
        rows.append((f"burst of {burst['incidents']}: first trigger to all dispatched", fmt(burst["first_trigger_to_all_dispatched_s"], " s"),
                     "Iris: 6,000 in < 10 s", "", "", None))
        rows.append(("burst trigger latency p50/p99/max ms", f"{burst['latency_p50_ms']}/{burst['latency_p99_ms']}/{burst['latency_max_ms']}",
                     "issue 15: 38/91/1400", "", "", None))
        lag = burst["server_dispatch_lag"]
        rows.append(("burst: serve's dispatch lag mean / p99 bound ms", f"{lag.get('mean_ms')} / ≤{lag.get('p99_le_ms')}", "", "", "p99 ≤ 50 ms",
                     lag.get("p99_le_ms") is not None and lag["p99_le_ms"] <= 50))
        rows.append(("burst: trigger sent to page p50/p99 ms", f"{burst['trigger_to_page_p50_ms']}/{burst['trigger_to_page_p99_ms']}", "", "", "", None))
    mem = results.get("memory")
    if mem:
        rows.append((f"RSS with {mem['incidents']:,} open incidents", f"{mem['open']['rss_mib']} MiB (HWM {mem['open']['hwm_mib']})",
                     f"idle {mem['idle']['rss_mib']} MiB", "", "< 1 GiB", mem["open"]["hwm_mib"] < 1024))
    restart = results.get("restart")
    if restart:
        rows.append((f"restart with {restart['pending_timers']:,} pending timers: /healthz", fmt(restart["healthz_s"], " s"), "", "", "< 3 s",
                     restart["healthz_s"] < 3))
        rows[-1] = rows[-1][:2] + (f"empty database: {restart['empty_start_healthz_s']} s",) + rows[-1][3:]
        rows.append(("restart: first due timer fired (from spawn)", fmt(restart["first_due_timer_s"], " s"), "", "", "", None))
        rows.append((f"restart: {restart['later_timer_s']} s timers, lateness p50/max ms", f"{restart['later_late_p50_ms']}/{restart['later_late_max_ms']}",
                     "", "", "", None))
        rows.append(("restart: RSS after", f"{restart['rss_after_timers']['rss_mib']} MiB", "", "", "", None))
    lint = results.get("lint")
    if lint:
        e, a = lint["escalate lint"], lint["amtool check-config"]
        rows.append((f"lint bytes/s ({e['bytes'] / 1e6:.1f} MB)", f"{e['bytes_per_s'] / 1e6:.2f} MB/s",
                     f"amtool {a['bytes_per_s'] / 1e6:.2f} MB/s", f"{lint['ratio']:.3f}×", "≥ 3×", lint["ratio"] >= 3))
    sweep = results.get("sweep")
    if sweep:
        for level in sweep["levels"]:
            rows.append((f"sweep c{level['connections']}: req/s, p99 ms, trigger-to-page p99 ms",
                         f"{fmt(level['req_per_s'])}, {level['p99_ms']}, {level['trigger_to_page_p99_ms']}",
                         "", "", "", None))
    widths = [max(len(str(row[i])) for row in rows + [("figure", "value", "peer / limit", "ratio", "target", "")]) for i in range(5)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(("figure", "value", "peer / limit", "ratio", "target"), widths)) + "  met"]
    for row in rows:
        met = "" if row[5] is None else ("yes" if row[5] else "no")
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row[:5], widths)) + "  " + met)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "escalate"))
    parser.add_argument("--alertmanager", default=shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager")
    parser.add_argument("--amtool", default=shutil.which("amtool") or "/usr/bin/amtool")
    parser.add_argument("--sections", default="ingest,burst,memory,restart,lint,sweep,plot")
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    parser.add_argument("--rounds", type=int, help="A/B rounds of the ingest comparison (default 2)")
    parser.add_argument("--ingest-seconds", type=int, help="wrk duration per ingest run (default 20)")
    parser.add_argument("--burst", type=int, help="triggers in the burst (default 6000)")
    parser.add_argument("--burst-wait", type=float, default=120, help="seconds to wait for the burst's deliveries")
    parser.add_argument("--incidents", type=int, help="open incidents for memory/restart (default 100000)")
    parser.add_argument("--due", type=int, default=10, choices=range(1, 101), metavar="1..100", help="incidents with timers due around the restart (each kind)")
    parser.add_argument("--later", type=int, help="seconds until the `later` timers are due (default 30)")
    parser.add_argument("--orgs", type=int, help="organisations for lint (default 1000)")
    parser.add_argument("--levels", default="1,4,16,64", help="wrk connections of the sweep")
    parser.add_argument("--sweep-seconds", type=int, help="wrk duration per sweep level (default 10)")
    parser.add_argument("--contacts", type=int, default=10_000, help="on-call people the incidents page, spread evenly (serve sends at most 10 a minute to one)")
    parser.add_argument("--clients", type=int, default=32, help="keep-alive client threads for burst and memory")
    parser.add_argument("--disk-commits", type=int, help="commits of each disk-limit measurement (default 2000)")
    parser.add_argument("--json", help="results file (default out/http-bench.json, out/http-bench-quick.json with --quick)")
    parser.add_argument("--plot", help="PNG (default docs/performance-load.png; out/performance-load-quick.png with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, sinks, logs)")
    args = parser.parse_args()
    quick = args.quick
    defaults = dict(rounds=1 if quick else 2, ingest_seconds=5 if quick else 20, burst=1000 if quick else 6000,
                    incidents=3000 if quick else 100_000, later=8 if quick else 30, orgs=50 if quick else 1000,
                    sweep_seconds=3 if quick else 10, disk_commits=500 if quick else 2000,
                    json=os.path.join(ROOT, "out", "http-bench-quick.json" if quick else "http-bench.json"),
                    plot=os.path.join(ROOT, "out", "performance-load-quick.png") if quick else os.path.join(ROOT, "docs", "performance-load.png"))
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.levels = [int(level) for level in args.levels.split(",")]
    sections = set(args.sections.split(","))
    unknown = sections - {"ingest", "burst", "memory", "restart", "lint", "sweep", "plot"}
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        parser.error(f"no escalate binary at {args.binary} (build one: swift build -c release --product escalate)")
    if sections & {"ingest", "sweep"}:
        ensure_wrk()
    if "plot" in sections:
        ensure_matplotlib()

    atexit.register(stop_children)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = tempfile.mkdtemp(prefix="escalate-http-bench-")
    if not args.keep:
        atexit.register(shutil.rmtree, work, True)
    started = time.time()
    version = subprocess.run([args.binary, "--version"], capture_output=True, text=True).stdout.strip()
    results = {"meta": {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "binary": args.binary,
        "escalate_version": version, "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.platform()}",
        "tmp": tempfile.gettempdir(), "quick": quick, "load_at_start": load_average(),
        "alertmanager": subprocess.run([args.alertmanager, "--version"], capture_output=True, text=True).stderr.splitlines()[:1]
        + subprocess.run([args.alertmanager, "--version"], capture_output=True, text=True).stdout.splitlines()[:1],
        "wrk": (subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines() or [""])[0] if shutil.which("wrk") else None,
    }}
    # Keep what the JSON file already holds for sections not run now, so the plot and table can be redrawn.
    if os.path.exists(args.json) and sections != {"ingest", "burst", "memory", "restart", "lint", "sweep", "plot"}:
        with open(args.json) as handle:
            previous = json.load(handle)
        for key, value in previous.items():
            if key != "meta" and not ({key} & sections or (key == "memory" and "restart" in sections)):
                results[key] = value
        if sections == {"plot"}:
            results["meta"] = previous["meta"]  # only redrawn: the figures keep their run's date and machine
    if "ingest" in sections:
        section_ingest(args, work, results)
    if "burst" in sections:
        section_burst(args, work, results)
    if sections & {"memory", "restart"}:
        section_memory_restart(args, work, results, restart="restart" in sections)
    if "lint" in sections:
        section_lint(args, work, results)
    if "sweep" in sections:
        section_sweep(args, work, results)
    if sections != {"plot"}:
        results["meta"]["seconds"] = round(time.time() - started, 1)
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as handle:
        json.dump(results, handle, indent=2)
    if "plot" in sections:
        section_plot(args, results)
    print()
    print(table(results))
    print(f"\nresults: {args.json} ({results['meta']['seconds']} s)")


if __name__ == "__main__":
    main()
