#!/usr/bin/env python3
"""Stock PagerDuty Events API v2 clients from PyPI against `escalate serve`, over HTTP and HTTPS, used unchanged
except for their base URL (and, over HTTPS, the CA bundle). Loopback only; bounded in time (well under a minute).

1. HTTP, `pdpyras` (EventsAPISession, ChangeEventsAPISession): trigger -> acknowledge -> resolve by integration
   key (the routing_key; no Authorization header); acknowledge/resolve of an unknown or resolved dedup key is a 202
   the client accepts; a change event is accepted; an unknown routing key is refused with PagerDuty's 400 body,
   logged as a warning (without the key) and counted in /metrics; a key removed from the key file is refused and
   one added (`escalate integration-key ORG/POLICY --file FILE`) works after a SIGHUP, without a restart.
   The stock Opsgenie SDK (`opsgenie-sdk`, AlertApi) with an integration key as its GenieKey: create -> acknowledge
   (by alias) -> close (by id); closing a closed alert is a 202; an unknown key is a 401.
2. HTTPS, `pagerduty` (EventsApiV2Client, which refuses any base URL but https://): a self-signed CA and server
   certificate made with openssl; `serve --tls-cert --tls-key`; the client verifies the server with that CA;
   trigger -> acknowledge -> resolve and a change event (shown on the timeline of incidents opened after it);
   the Opsgenie SDK as in 1, with the CA.
3. Acknowledge links: the link delivered in a message (`{{ incident.ack_url }}`) shows a confirmation page on GET
   (the incident stays open), survives a restart of the server (the link key is kept next to the database), and
   acknowledges on POST; an altered link is refused with a page that says why.
Every status the server answers to this script's own requests is one `/openapi.yaml` lists for that operation.

Usage: scripts/testing/stock_clients.py .build/debug/escalate
"""
import argparse, hashlib, json, os, re, secrets, shutil, signal, socket, ssl, subprocess, sys, tempfile, time, urllib.request, urllib.error

import warnings

from e2e_checks import Checks, Failure, free_port  # shared with the other end-to-end scripts

warnings.filterwarnings("ignore", message=".*pdpyras.*deprecated.*")
import pdpyras  # noqa: E402  (a stock client: https://pypi.org/project/pdpyras/)
import pagerduty  # noqa: E402  (a stock client: https://pypi.org/project/pagerduty/)
import opsgenie_sdk  # noqa: E402  (a stock client: https://pypi.org/project/opsgenie-sdk/)
import yaml  # noqa: E402  (PyYAML, which openapi-spec-validator installs)

TOKEN = "stock-token"
POLICY = """
organisation: {{ id: stock, name: Stock clients, timezone: UTC }}
contacts:
  jessie: {{ name: Jessie, addresses: {{ log: jessie }} }}
channels:
  sink: {{ plugin: file, address: log, settings: {{ path: "{sink}" }} }}
templates:
  page: {{ body: "{{{{ incident.title }}}} ack: {{{{ incident.ack_url }}}}" }}
policies:
  alerts:
    name: Alerts
    layers:
      - {{ id: first, notify: [{{ contact: jessie }}], via: [sink], template: page, timeout: 10m }}
"""


class Server:
    """One `escalate serve` on a folder (policies, database, sink, log), restartable on the same database."""

    def __init__(self, binary, folder, integration_key, tls=None):
        self.binary, self.folder, self.tls = binary, folder, tls
        self.port = free_port()
        self.scheme = "https" if tls else "http"
        self.base = f"{self.scheme}://127.0.0.1:{self.port}"
        self.sink = os.path.join(folder, "sink.jsonl")
        self.log = os.path.join(folder, "serve.log")
        with open(os.path.join(folder, "policy.yaml"), "w") as handle:
            handle.write(POLICY.format(sink=self.sink))
        # One key by its hash, bound to the policy; the key itself comes from the environment, as ${env:NAME}.
        with open(os.path.join(folder, "integration-keys"), "w") as handle:
            handle.write("# routing keys of the stock clients\nstock/alerts ${env:STOCK_PD_KEY}\n")
            handle.write(f"stock {hashlib.sha256(b'org-wide-key').hexdigest()}\n")
        self.env = dict(os.environ, ESCALATE_TOKENS=f"stock={TOKEN}", STOCK_PD_KEY=integration_key)
        self.context = ssl.create_default_context(cafile=tls["ca"]) if tls else None
        self.process = None
        self.answers = set()  # (method, path, status) of every call, checked against /openapi.yaml

    def start(self, checks):
        argv = [self.binary, "serve", "--policies", os.path.join(self.folder, "policy.yaml"), "--db", os.path.join(self.folder, "db.sqlite"),
                "--port", str(self.port), "--integration-keys", os.path.join(self.folder, "integration-keys")]
        if self.tls:
            argv += ["--tls-cert", self.tls["cert"], "--tls-key", self.tls["key"]]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(argv, env=self.env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline and self.process.poll() is None:
            try:
                if self.call("GET", "/healthz", timeout=1)[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.05)
        checks.require(False, f"the server did not start within 10 s; see {self.log}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def call(self, method, path, body=None, token=TOKEN, timeout=5, raw=False):
        """(status, parsed JSON body or text) of a request; HTTP errors are answers too."""
        url = path if path.startswith("http") else self.base + path
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        headers = {"Content-Type": "application/json"} if isinstance(body, (dict, list)) else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self.context) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        self.answers.add((method, url[len(self.base):].split("?")[0], status))
        if raw:
            return status, text.decode(errors="replace")
        try:
            return status, json.loads(text or b"{}")
        except ValueError:
            return status, text.decode(errors="replace")

    def incident(self, dedup_key):
        status, body = self.call("GET", "/v1/incidents")
        if status != 200:
            return None
        return next((incident for incident in body["incidents"] if incident.get("dedup_key") == dedup_key), None)

    def sink_text(self):
        if not os.path.exists(self.sink):
            return ""
        with open(self.sink) as handle:
            return handle.read()

    def log_text(self):
        with open(self.log, errors="replace") as handle:
            return handle.read()


def check_documented(checks, server):
    """Every status the server answered in this part is one /openapi.yaml lists for that operation."""
    status, text = server.call("GET", "/openapi.yaml", raw=True)
    paths = yaml.safe_load(text)["paths"]
    for method, path, answered in sorted(server.answers):
        template = next((t for t in paths if re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(t)), path)), None)
        operation = (paths.get(template) or {}).get(method.lower())
        documented = operation and str(answered) in {str(code) for code in operation["responses"]}
        checks.check(documented, f"{method} {path} answered {answered}, which /openapi.yaml does not list for {template}")


def wait_for(predicate, seconds, interval=0.05):
    deadline = time.time() + seconds
    while True:
        value = predicate()
        if value or time.time() > deadline:
            return value
        time.sleep(interval)


def lifecycle(checks, server, trigger, acknowledge, resolve, label):
    """trigger -> acknowledge -> resolve through a stock client, checked on the server's incident."""
    dedup = trigger()
    checks.require(isinstance(dedup, str) and dedup, f"{label}: trigger returned no dedup key: {dedup!r}")
    incident = server.incident(dedup)
    checks.require(incident is not None, f"{label}: no incident with dedup key {dedup}")
    checks.check(incident["policy"] == "alerts" and incident["status"] == "open", f"{label}: opened {incident}")
    acknowledge(dedup)
    checks.check((server.incident(dedup) or {}).get("status") == "acknowledged", f"{label}: not acknowledged")
    resolve(dedup)
    checks.check((server.incident(dedup) or {}).get("status") == "resolved", f"{label}: not resolved")
    # PagerDuty answers 202 to acknowledge/resolve of a resolved or unknown key; stock clients raise on anything else.
    resolve(dedup)
    acknowledge(f"never-seen-{secrets.token_hex(4)}")
    checks.check(True, f"{label}: stale acknowledge/resolve accepted")
    return dedup


def http_part(checks, args, root):
    folder = os.path.join(root, "http")
    os.makedirs(folder)
    key = secrets.token_hex(16)
    server = Server(args.binary, folder, key)
    try:
        server.start(checks)
        session = pdpyras.EventsAPISession(key)
        session.url = server.base  # the only change to the stock client: where to send
        session.max_network_attempts = 1
        lifecycle(
            checks, server, lambda: session.trigger("Disk full on db1", "db1", dedup_key="http-disk", severity="critical", custom_details={"disk": "/var"}),
            session.acknowledge, session.resolve, "pdpyras over http")
        incident = server.incident("http-disk")
        checks.check(incident and incident["fields"].get("disk") == "/var", f"custom_details became fields: {incident}")
        # The org-wide key (configured by its hash) routes by match.
        org_wide = pdpyras.EventsAPISession("org-wide-key")
        org_wide.url = server.base
        checks.check(isinstance(org_wide.trigger("CPU hot", "db2", dedup_key="http-cpu"), str), "org-wide key triggers")
        change = pdpyras.ChangeEventsAPISession(key)
        change.url = server.base
        change.submit("Deployed v2.3.1", source="ci", custom_details={"commit": "abc123"})
        checks.check("change event: Deployed v2.3.1" in server.log_text(), "the change event is in the log")
        # An unknown routing key: PagerDuty's 400 body, a warning without the key, and a count in /metrics.
        wrong = "wrong-" + secrets.token_hex(8)
        status, body = server.call("POST", "/v2/enqueue", {"routing_key": wrong, "event_action": "trigger", "payload": {"summary": "x", "source": "y", "severity": "info"}}, token=None)
        checks.check(status == 400 and isinstance(body, dict) and body.get("status") == "invalid event" and body.get("errors"), f"unknown key: {status} {body}")
        try:
            bad = pdpyras.EventsAPISession(wrong)
            bad.url = server.base
            bad.max_network_attempts = 1
            bad.trigger("x", "y")
            checks.check(False, "the stock client accepted an unknown routing key")
        except pdpyras.PDClientError as error:
            checks.check(error.response is not None and error.response.status_code == 400, f"unknown key raised {error}")
        log = server.log_text()
        checks.check("ingest refused" in log and "reason=invalid" in log, "the refusal is logged as a warning")
        checks.check(wrong not in log and key not in log, "no routing key appears in the log")
        status, metrics = server.call("GET", "/metrics", raw=True)
        counted = re.search(r'escalate_events_refused_total\{reason="invalid"\} (\d+)', metrics)
        checks.check(counted and int(counted.group(1)) >= 2, f"refusals counted in /metrics: {counted and counted.group(0)}")
        # Keys are added and revoked by editing the key file and reloading (SIGHUP), without a restart.
        key_file = os.path.join(folder, "integration-keys")
        made = subprocess.run([args.binary, "integration-key", "stock/alerts", "--file", key_file], capture_output=True, text=True, timeout=30)
        added = made.stdout.strip()
        checks.check(made.returncode == 0 and re.fullmatch(r"[0-9a-f]{32}", added), f"escalate integration-key made a key: {made.stderr}")
        with open(key_file) as handle:
            kept = [line for line in handle if "${env:STOCK_PD_KEY}" not in line]  # revoke the first key
        with open(key_file, "w") as handle:
            handle.writelines(kept)
        server.process.send_signal(signal.SIGHUP)
        checks.check(wait_for(lambda: "integration keys reloaded" in server.log_text(), 10), "SIGHUP reloads the integration keys")
        event = {"event_action": "trigger", "dedup_key": "after-reload", "payload": {"summary": "x", "source": "y", "severity": "info"}}
        status, _ = server.call("POST", "/v2/enqueue", dict(event, routing_key=key), token=None)
        checks.check(status == 400, f"a key removed from the file is revoked at once: {status}")
        status, _ = server.call("POST", "/v2/enqueue", dict(event, routing_key=added), token=None)
        checks.check(status == 202, f"a key added to the file works at once: {status}")
        opsgenie_part(checks, server, added)
        check_documented(checks, server)
    finally:
        server.stop()


def opsgenie_client(server, key):
    """The stock Opsgenie SDK, unchanged but for its host (and, over HTTPS, the CA)."""
    configuration = opsgenie_sdk.configuration.Configuration()
    configuration.host = server.base
    configuration.api_key["Authorization"] = key
    configuration.retry_enabled = False
    if server.tls:
        configuration.ssl_ca_cert = server.tls["ca"]
    return opsgenie_sdk.AlertApi(opsgenie_sdk.ApiClient(configuration))


def opsgenie_part(checks, server, key):
    """Create -> acknowledge -> close by alias through the Opsgenie SDK with an integration key as its GenieKey."""
    alerts = opsgenie_client(server, key)
    created = alerts.create_alert(opsgenie_sdk.CreateAlertPayload(
        message="Replication lag", alias="og-lag", priority="P1", details={"replica": "db3"}, tags=["db", "lag"], entity="db3"))
    checks.check(created.result == "Request will be processed" and created.request_id, f"opsgenie create answered {created}")
    incident = server.incident("og-lag")
    checks.require(incident is not None, "opsgenie create opened no incident with the alias as dedup key")
    checks.check(incident["fields"].get("priority") == "P1" and incident["fields"].get("replica") == "db3" and incident["fields"].get("tags") == "db, lag",
                 f"opsgenie priority, details and tags became fields: {incident['fields']}")
    alerts.acknowledge_alert(identifier="og-lag", identifier_type="alias",
                             acknowledge_alert_payload=opsgenie_sdk.AcknowledgeAlertPayload(user="jessie", note="looking"))
    checks.check((server.incident("og-lag") or {}).get("acknowledged_by") == "jessie", "opsgenie acknowledge by alias")
    alerts.close_alert(identifier=incident["id"], identifier_type="id", close_alert_payload=opsgenie_sdk.CloseAlertPayload(user="jessie"))
    checks.check((server.incident("og-lag") or {}).get("status") == "resolved", "opsgenie close by id")
    alerts.close_alert(identifier="og-lag", identifier_type="alias", close_alert_payload=opsgenie_sdk.CloseAlertPayload(user="jessie"))
    checks.check(True, "closing a closed alert is accepted, as Opsgenie does")
    try:
        opsgenie_client(server, "not-a-key").create_alert(opsgenie_sdk.CreateAlertPayload(message="x"))
        checks.check(False, "the Opsgenie SDK was accepted with a GenieKey that is no integration key")
    except Exception as error:  # the SDK raises its AuthenticationException (an ApiException) for 401
        checks.check(getattr(error, "status", None) == 401, f"unknown GenieKey refused: {error!r}")


def make_certificates(folder):
    """A CA and a server certificate for 127.0.0.1 signed by it (openssl), as files."""
    files = {name: os.path.join(folder, f"{name}.pem") for name in ("ca", "ca-key", "cert", "key", "csr")}
    extensions = os.path.join(folder, "san.ext")
    with open(extensions, "w") as handle:
        handle.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    for argv in (
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Escalate test CA", "-keyout", files["ca-key"], "-out", files["ca"],
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", files["key"], "-out", files["csr"]],
        ["openssl", "x509", "-req", "-in", files["csr"], "-CA", files["ca"], "-CAkey", files["ca-key"], "-CAcreateserial", "-days", "2", "-out", files["cert"],
         "-extfile", extensions],
    ):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            sys.exit(f"stock clients: {' '.join(argv[:3])} failed:\n{result.stderr}")
    return files


def https_part(checks, args, root):
    folder = os.path.join(root, "https")
    os.makedirs(folder)
    key = secrets.token_hex(16)
    server = Server(args.binary, folder, key, tls=make_certificates(folder))
    try:
        server.start(checks)
        # The only other change: trust the test CA (the client is an httpx Client; `verify` takes an SSL context).
        client = pagerduty.EventsApiV2Client(key, base_url=server.base, verify=server.context)
        client.max_network_attempts = 1
        lifecycle(checks, server, lambda: client.trigger("Queue backlog", "worker-3", dedup_key="https-queue"), client.acknowledge, client.resolve, "pagerduty over https")
        # send_change_event, not submit: pagerduty 7.2.0's submit() fails before sending (its event_timestamp uses
        # datetime.timezone on the datetime class), a bug of the client, not of the server.
        client.send_change_event(payload={"summary": "Config change", "source": "ansible", "timestamp": "2026-11-27T10:00:00Z"})
        checks.check("change event: Config change" in server.log_text(), "the https change event is in the log")
        # Without the CA the stock client refuses the server (the certificate is really checked).
        untrusting = pagerduty.EventsApiV2Client(key, base_url=server.base)
        untrusting.max_network_attempts = 1
        try:
            untrusting.trigger("x", "y")
            checks.check(False, "a client without the CA trusted the self-signed server")
        except Exception:  # the client wraps httpx's ConnectError (certificate verify failed) in its own error
            checks.check(True, "untrusted server refused")
        # ...and the reason is the certificate: a handshake without the CA fails verification.
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
                with ssl.create_default_context().wrap_socket(raw, server_hostname="127.0.0.1"):
                    checks.check(False, "a handshake without the CA succeeded")
        except ssl.SSLCertVerificationError:
            checks.check(True, "the certificate is verified")
        opsgenie_part(checks, server, key)
        ack_links_part(checks, server)
        check_documented(checks, server)
    finally:
        server.stop()


def ack_links_part(checks, server):
    """The link in the delivered message: GET confirms, restart, POST acknowledges; altered links are refused."""
    client = pagerduty.EventsApiV2Client(server.env["STOCK_PD_KEY"], base_url=server.base, verify=server.context)
    dedups = [client.trigger(f"Link test {n}", "links", dedup_key=f"link-{n}") for n in (1, 2)]
    ids = {dedup: (server.incident(dedup) or {}).get("id") for dedup in dedups}
    pattern = re.escape(server.base) + r"/v1/ack/[A-Za-z0-9_.-]+"

    def links():
        found = {}
        for line in server.sink_text().splitlines():
            for incident_id in ids.values():
                if incident_id and incident_id in line and re.search(pattern, line):
                    found[incident_id] = re.search(pattern, line).group(0)
        return found if len(found) == len(ids) else None

    found = wait_for(links, 10)
    checks.require(found, f"no acknowledge links delivered to the sink: {server.sink_text()[:500]}")
    first, second = (found[ids[dedup]] for dedup in dedups)
    status, page = server.call("GET", first, token=None, raw=True)
    checks.check(status == 200 and 'method="post"' in page and "Acknowledge" in page, f"GET shows a confirmation page: {status} {page[:300]}")
    checks.check(server.incident(dedups[0])["status"] == "open", "a GET (a link preview) acknowledged nothing")
    status, page = server.call("POST", first, token=None, raw=True)
    checks.check(status == 200 and "Acknowledged" in page, f"POST acknowledges: {status} {page[:300]}")
    checks.check(server.incident(dedups[0]) == None or server.incident(dedups[0])["acknowledged_by"] == "jessie", "acknowledged by the recipient")
    # Restart: the link key is kept next to the database, so a link sent before still works.
    server.stop()
    server.start(checks)
    status, page = server.call("POST", second, token=None, raw=True)
    checks.check(status == 200 and "Acknowledged" in page, f"a link from before the restart works: {status} {page[:300]}")
    checks.check((server.incident(dedups[1]) or {}).get("status") == "acknowledged", "the second incident is acknowledged")
    status, detail = server.call("GET", f"/v1/incidents/{ids[dedups[1]]}")
    lines = [line["text"] for line in detail.get("timeline", [])] if status == 200 else []
    checks.check("acknowledged by jessie via link" in lines, f"the timeline says how: {lines}")
    checks.check(any(line.startswith("recent change") and "Config change" in line for line in lines), f"the change event sent before is on the timeline: {lines}")
    token = second.rsplit("/", 1)[1]
    altered = server.base + "/v1/ack/" + token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    status, page = server.call("GET", altered, token=None, raw=True)
    checks.check(status == 403 and "altered" in page, f"an altered link is refused with a reason: {status} {page[:300]}")
    for dedup in dedups:
        client.resolve(dedup)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"stock clients: {args.binary} is not an executable escalate binary (build it first: swift build)")
    if not shutil.which("openssl"):
        sys.exit("stock clients: openssl is needed to make the test certificates")
    root = tempfile.mkdtemp(prefix="escalate-stock-clients-")
    checks = Checks("stock clients")
    began = time.time()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stock clients: stopped by SIGTERM"))
    for part in (http_part, https_part):
        try:
            part(checks, args, root)
        except Failure:
            pass
        except Exception as error:
            checks.check(False, f"{part.__name__} stopped on {error!r}")
    print(f"stock clients: {checks.passed} passed, {checks.failed} failed in {time.time() - began:.1f} s")
    if checks.failed:
        sys.exit(f"stock clients: {checks.failed} check(s) failed; the serve logs are in {root}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
