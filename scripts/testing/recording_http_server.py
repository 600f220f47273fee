#!/usr/bin/env python3
"""A real HTTP server on loopback that records every request, for the channel plugins' tests.

    recording_http_server.py RECORD_FILE [--port 0] [--status 200] [--body TEXT] [--delay SECONDS]
                             [--content-type TYPE] [--rule JSON]... [--lifetime SECONDS]

Binds 127.0.0.1 (port 0 = any free port) and prints the chosen port alone on the first line of stdout.
Each request is appended to RECORD_FILE as one JSON line before it is answered:
{"method", "path" (with the query), "headers" (lower-case names), "body" (UTF-8 text)}.

The answer is the default (--status, --body, --delay, --content-type) unless a rule matches. A rule is a JSON
object {"method", "path" (a prefix), "status", "body", "delay", "hold", "content_type", "times"}: every key is
optional; "times" limits how many requests it answers; "hold": true keeps the answer until a file named
RECORD_FILE.release exists (a test creates it when it is ready for the answer; no clock decides). Rules come from --rule (repeatable; the first that matches
answers) or at run time from POST /__control/rule (ahead of the others); GET /__control/requests lists what was
recorded. /__control/ requests are not recorded.
In a body, {{n}} becomes the request's number (1, 2, …), for unique ids.

The server stops by itself after --lifetime seconds (default 600) or when its standard input closes (so a test
that dies does not leave it behind; tests start it with a pipe as standard input), unless --ignore-stdin.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    """Rules, defaults and the record file, shared by the handler threads."""

    def __init__(self, record_path, default, rules):
        self.lock = threading.Lock()
        self.record_path = record_path
        self.default = default
        self.rules = rules
        self.count = 0
        self.records = []
        open(record_path, "w").close()

    def record(self, entry):
        with self.lock:
            self.count += 1
            entry["n"] = self.count
            self.records.append(entry)
            with open(self.record_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry) + "\n")
                handle.flush()
            return self.count

    def answer(self, method, path):
        with self.lock:
            for rule in self.rules:
                if rule.get("method") not in (None, method):
                    continue
                if not path.startswith(rule.get("path", "")):
                    continue
                if "times" in rule:
                    if rule["times"] <= 0:
                        continue
                    rule["times"] -= 1
                return {**self.default, **rule}
            return dict(self.default)


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.startswith("/__control/"):
                return self.control(raw)
            headers = {}
            for name, value in self.headers.items():
                key = name.lower()
                headers[key] = headers[key] + ", " + value if key in headers else value
            number = state.record(
                {"method": self.command, "path": self.path, "headers": headers,
                 "body": raw.decode("utf-8", errors="replace")})
            answer = state.answer(self.command, self.path)
            if answer.get("delay"):
                time.sleep(float(answer["delay"]))
            if answer.get("hold"):
                while not os.path.exists(state.record_path + ".release"):
                    time.sleep(0.01)
            body = str(answer.get("body", "")).replace("{{n}}", str(number)).encode("utf-8")
            self.reply(int(answer.get("status", 200)), body, answer.get("content_type", "application/json"))

        def control(self, raw):
            if self.command == "POST" and self.path == "/__control/rule":
                with state.lock:
                    state.rules.insert(0, json.loads(raw or b"{}"))
                return self.reply(204, b"", "text/plain")
            if self.command == "GET" and self.path == "/__control/requests":
                with state.lock:
                    body = json.dumps(state.records).encode("utf-8")
                return self.reply(200, body, "application/json")
            return self.reply(404, b"unknown control request", "text/plain")

        def reply(self, status, body, content_type):
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("record_file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--body", default="")
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--content-type", default="application/json")
    parser.add_argument("--rule", action="append", default=[], type=json.loads)
    parser.add_argument("--lifetime", type=float, default=600)
    parser.add_argument("--ignore-stdin", action="store_true", help="keep running when standard input closes")
    args = parser.parse_args()
    # A test runner may start us with signals blocked (threads of its pool block them); stop() must work.
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    default = {"status": args.status, "body": args.body, "delay": args.delay, "content_type": args.content_type}
    state = State(args.record_file, default, args.rule)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)

    def stop_on_stdin_eof():
        while sys.stdin.buffer.read(1024):
            pass
        os._exit(0)

    if not args.ignore_stdin:
        threading.Thread(target=stop_on_stdin_eof, daemon=True).start()
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
