#!/usr/bin/env python3
"""HTTP edges and abuse against a real `escalate serve`, over raw sockets (issue 13, items 9-11). Loopback only;
bounded in time (about 20 s).

Each case sends bytes a router test cannot (malformed chunks, a 1 MB header, Expect: 100-continue, a slowloris head, a
stalled body, request smuggling shapes, hostile JSON, a flood of 100 slow heads, a broken reload) and checks the status and that the answer is JSON naming the
problem. Timeouts are set short by flags (--header-timeout 2s --body-timeout 2s) so the slow cases are quick. At the
end the server must still answer /healthz, must not have crashed, and no answer may have been a 5xx (503 is the only
documented one, for a store that cannot write, and none is expected here).

Usage: scripts/testing/http_edges.py .build/debug/escalate
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, time

from e2e_checks import Checks, Failure, free_port

TOKEN = "edge-token"
POLICY = """
organisation: { id: edge, name: Edge, timezone: UTC }
contacts:
  alice: { name: Alice, addresses: { log: alice } }
channels:
  console: { plugin: console, address: log }
templates:
  page: { body: "{{ incident.title }}" }
policies:
  alerts:
    name: Alerts
    layers:
      - { id: first, notify: [{ contact: alice }], via: [console], template: page }
"""


def exchange(port, data, timeout=5.0, read_until_close=True, pause=None):
    """Sends `data` (bytes, or a list of bytes sent with `pause` seconds between) and returns what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        parts = data if isinstance(data, list) else [data]
        try:
            for index, part in enumerate(parts):
                if index and pause:
                    time.sleep(pause)
                sock.sendall(part)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_all(sock, read_until_close)


def read_all(sock, until_close=True):
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            if not until_close and b"\r\n\r\n" in b"".join(chunks):
                head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), None)
                if length is not None and len(body) >= length:
                    break
    except (socket.timeout, ConnectionResetError):
        pass
    return b"".join(chunks)


def parse(answer):
    """(status, headers dict, JSON body or None) of the first final response in `answer` (100 Continue skipped)."""
    while answer.startswith(b"HTTP/1.1 100"):
        answer = answer.partition(b"\r\n\r\n")[2]
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    try:
        status = int(lines[0].split(" ")[1])
    except (IndexError, ValueError):
        return None, {}, None
    headers = {line.split(":", 1)[0].strip().lower(): line.split(":", 1)[1].strip() for line in lines[1:] if ":" in line}
    try:
        parsed = json.loads(body.decode()) if body else None
    except ValueError:
        parsed = None
    return status, headers, parsed


def request(method, path, body=b"", headers=None, length=True):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {TOKEN}", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if length and body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    args = parser.parse_args()
    checks = Checks("http_edges")
    folder = tempfile.mkdtemp(prefix="escalate-edges-")
    os.makedirs(os.path.join(folder, "policies"))
    with open(os.path.join(folder, "policies", "edge.yaml"), "w") as file:
        file.write(POLICY)
    port = free_port()
    log = open(os.path.join(folder, "serve.log"), "w")
    process = subprocess.Popen(
        [os.path.abspath(args.binary), "serve", "--policies", "policies", "--db", "edge.sqlite", "--port", str(port),
         "--header-timeout", "2s", "--body-timeout", "2s"],
        cwd=folder, env=dict(os.environ, ESCALATE_TOKENS=f"edge={TOKEN}"), stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    statuses = []

    def case(name, data, status, says=None, **options):
        started = time.monotonic()
        answer = exchange(port, data, **options)
        got, headers, body = parse(answer)
        statuses.append(got)
        checks.check(got == status, f"{name}: expected {status}, got {got}: {answer[:300]!r}")
        if says is not None:
            error = (body or {}).get("error", "") if isinstance(body, dict) else ""
            checks.check(says in error, f"{name}: the JSON error should say '{says}', got {answer[:400]!r}")
        return answer, time.monotonic() - started

    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise Failure("serve exited at start; see " + log.name)
            try:
                if parse(exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=1))[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.05)
        else:
            raise Failure("serve did not answer /healthz within 15 s")

        trigger = json.dumps({"title": "edge"}).encode()
        # Bodies and their framing.
        case("malformed chunked body", request("POST", "/v1/incidents", b"zz\r\nhello\r\n0\r\n\r\n", {"Transfer-Encoding": "chunked", "Content-Type": "application/json"}, length=False),
             400, "chunked body is malformed")
        case("body over the limit (Content-Length)", request("POST", "/v1/incidents", b"x" * 300_000, {"Content-Type": "application/json"}), 413, "larger than")
        big = b"x" * 300_000
        chunked = f"{len(big):x}\r\n".encode() + big + b"\r\n0\r\n\r\n"
        case("body over the limit (chunked)", request("POST", "/v1/incidents", chunked, {"Transfer-Encoding": "chunked", "Content-Type": "application/json"}, length=False),
             413, "larger than")
        case("a required body without a length", request("POST", "/v1/incidents", None, {"Content-Type": "application/json"}, length=False), 411, "Content-Length")
        case("a JSON body sent as text/plain", request("POST", "/v1/incidents", trigger, {"Content-Type": "text/plain"}), 415, "application/json")
        case("application/json with a charset", request("POST", "/v1/incidents", trigger, {"Content-Type": "application/json; charset=utf-8"}), 201)
        answer, _ = case("no Content-Type (taken as JSON)", request("POST", "/v1/incidents", trigger), 201)
        incident = (parse(answer)[2] or {}).get("id", "none")
        case("fractional minutes", request("POST", f"/v1/incidents/{incident}/snooze", b'{"minutes": 1.5}', {"Content-Type": "application/json"}), 400, "whole number")
        case("a null body", request("POST", "/v1/incidents/" + incident + "/snooze", b"null", {"Content-Type": "application/json"}), 400, "must be a JSON object")
        case("minutes that overflow", request("POST", f"/v1/incidents/{incident}/snooze", b'{"minutes": 153722867280912930}', {"Content-Type": "application/json"}), 400)
        # Heads.
        case("a 1 MB header", request("GET", "/healthz", None, {"X-Big": "a" * 1_000_000}, length=False), 431, "header fields are too large")
        case("3,000 header fields", request("GET", "/healthz", None, {f"X-H{i}": "v" for i in range(3000)}, length=False), 431, "header fields are too large")
        # Expect: 100-continue.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(request("POST", "/v1/incidents", None, {"Content-Type": "application/json", "Expect": "100-continue", "Content-Length": len(trigger)}, length=False))
            interim = sock.recv(4096)
            checks.check(interim.startswith(b"HTTP/1.1 100 Continue"), f"Expect: 100-continue: expected 100 Continue first, got {interim!r}")
            sock.sendall(trigger)
            answer = interim + read_all(sock)
            statuses.append(parse(answer)[0])
            checks.check(parse(answer)[0] == 201, f"Expect: 100-continue: expected 201 after the body, got {answer[:300]!r}")
        case("Expect: 100-continue with 10 MB announced", request("POST", "/v1/incidents", None, {"Content-Type": "application/json", "Expect": "100-continue", "Content-Length": 10_000_000}, length=False),
             413, "larger than the limit")
        case("an expectation other than 100-continue", request("POST", "/v1/incidents", None, {"Expect": "200-ok", "Content-Length": 2}, length=False), 417, "100-continue")
        # Timeouts (2 s by flag).
        answer, took = case("slowloris head", [b"POST /v1/incidents HTTP/1.1\r\n", b"Host: x\r\n", b"X-A: 1\r\n", b"X-B: 2\r\n"], 408, "no request head arrived", pause=0.6, timeout=6)
        checks.check(took < 4.5, f"slowloris: cut off after {took:.1f} s, expected about 2 s")
        answer, took = case("stalled body", request("POST", "/v1/incidents", b'{"ti', {"Content-Type": "application/json", "Content-Length": 100}, length=False),
                            408, "the body stopped arriving", timeout=6)
        checks.check(took < 4.5, f"stalled body: cut off after {took:.1f} s, expected about 2 s")
        # Hostile shapes (smuggling, garbage, depth); each a 4xx, none a crash.
        for name, data in [
            ("Content-Length and chunked together", b"POST /v1/incidents HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            ("two different Content-Lengths", b"POST /v1/incidents HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde"),
            ("a negative Content-Length", b"POST /v1/incidents HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
            ("a garbage request line", b"\x00\x01\x02 nonsense\r\n\r\n"),
            ("a NUL in a header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"),
            ("an unknown transfer coding", b"POST /v1/incidents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ]:
            answer = exchange(port, data)
            status = parse(answer)[0]
            statuses.append(status)
            checks.check(status is not None and 400 <= status < 500, f"{name}: expected a 4xx, got {answer[:200]!r}")
        deep = b"[" * 100_000 + b"]" * 100_000
        case("JSON nested 100,000 deep", request("POST", "/v1/incidents", deep, {"Content-Type": "application/json"}), 400)
        # A 200 KB title may be taken or refused; only that it is not a 5xx is checked below.
        statuses.append(parse(exchange(port, request("POST", "/v1/incidents", json.dumps({"title": "x" * 200_000}).encode(), {"Content-Type": "application/json"})))[0])
        for name, data in [
            ("a 100 KB request target", f"GET /v1/incidents?x={'a' * 100_000} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\r\n".encode()),
            ("an unsupported method", request("PUT", "/v1/incidents", trigger, {"Content-Type": "application/json"})),
            ("an unknown path", request("POST", "/v1/nothing-here", trigger, {"Content-Type": "application/json"})),
        ]:
            answer = exchange(port, data)
            status = parse(answer)[0]
            statuses.append(status)
            checks.check(status is not None and 400 <= status < 500, f"{name}: expected a 4xx, got {answer[:200]!r}")
        # A slowloris flood: 100 connections that never finish a head; the server keeps answering and cuts them all.
        idle = []
        for index in range(100):
            sock = socket.create_connection(("127.0.0.1", port), timeout=6)
            sock.sendall(b"POST /v1/incidents HTTP/1.1\r\nHost: x\r\n")
            idle.append(sock)
        started = time.monotonic()
        healthy = parse(exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=2))[0]
        checks.check(healthy == 200 and time.monotonic() - started < 1.5, f"/healthz during a flood of 100 slow heads: {healthy}")
        cut = 0
        for sock in idle:
            answer = read_all(sock)
            cut += answer.startswith(b"HTTP/1.1 408")
            sock.close()
        checks.check(cut == 100, f"slowloris flood: {cut} of 100 connections answered 408 and closed")
        # Reload diagnostics are the caller's own, without the server's absolute paths (issue 13, item 10).
        with open(os.path.join(folder, "policies", "edge.yaml"), "a") as file:
            file.write("  broken: { name: [1, 2 }\n")
        status, _, body = parse(exchange(port, request("POST", "/v1/reload", b"", {"Content-Type": "application/json"})))
        statuses.append(status)
        text = json.dumps(body)
        checks.check(status == 422 and "diagnostics" in (body or {}), f"reload of a broken set: {status} {text[:300]}")
        checks.check(os.path.realpath(folder) not in text and folder not in text, f"reload diagnostics show the server's paths: {text[:300]}")
        # Still serving; nothing crashed; no 5xx.
        checks.check(process.poll() is None, "serve exited during the run")
        checks.check(parse(exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))[0] == 200, "/healthz after the run")
        fives = [status for status in statuses if status is not None and status >= 500]
        checks.check(not fives, f"5xx answers: {fives}")
    except Failure:
        pass
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if checks.failed:
            print(open(os.path.join(folder, "serve.log")).read()[-3000:])
        shutil.rmtree(folder, ignore_errors=True)
    print(f"http_edges: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
