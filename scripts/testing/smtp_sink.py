#!/usr/bin/env python3
"""A real SMTP server on loopback (aiosmtpd) that saves every message, for the e-mail plugin's tests.

    smtp_sink.py RECORD_FILE [--port 0] [--tls-dir DIR] [--auth USER:PASSWORD] [--auth-without-tls]
                 [--refuse ADDRESS=CODE]... [--data-delay SECONDS] [--lifetime SECONDS]

Binds 127.0.0.1 (port 0 = a free port) and prints the port alone on the first line of stdout. Each accepted
message is appended to RECORD_FILE as one JSON line:
{"mail_from", "rcpt_tos", "content" (the message as received), "tls" (after STARTTLS?), "login" (or null)}.

--tls-dir DIR   offer STARTTLS with a new self-signed certificate for localhost and 127.0.0.1, written to
                DIR/cert.pem (trust it as the client's CA file) and DIR/key.pem; needs the openssl command.
--auth U:P      offer AUTH PLAIN and LOGIN and accept only that login (after STARTTLS unless --auth-without-tls).
--refuse A=C    answer RCPT TO:<A> with code C (e.g. 550 or 450).
--data-delay S  wait S seconds before answering the message data (for timeout tests).

The server stops by itself after --lifetime seconds (default 600) or when its standard input closes.
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    """Records messages; refuses chosen recipients; can stall before accepting data."""

    def __init__(self, record_path, refuse, data_delay):
        self.record_path = record_path
        self.refuse = refuse
        self.data_delay = data_delay
        self.lock = threading.Lock()
        open(record_path, "w").close()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.refuse.get(address)
        if code:
            return f"{code} {'mailbox unavailable' if code.startswith('5') else 'try again later'}: {address}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        content = envelope.original_content or envelope.content
        entry = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content": content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content,
            "tls": session.ssl is not None,
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
        }
        with self.lock, open(self.record_path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
        return "250 2.0.0 Message accepted for delivery"


def self_signed(directory):
    os.makedirs(directory, exist_ok=True)
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("record_file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-dir")
    parser.add_argument("--auth")
    parser.add_argument("--auth-without-tls", action="store_true")
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--data-delay", type=float, default=0)
    parser.add_argument("--lifetime", type=float, default=600)
    parser.add_argument("--ignore-stdin", action="store_true", help="keep running when standard input closes")
    args = parser.parse_args()
    # A test runner may start us with signals blocked (threads of its pool block them); stop() must work.
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    refuse = dict(item.split("=", 1) for item in args.refuse)
    options = {}
    if args.tls_dir:
        options["tls_context"] = self_signed(args.tls_dir)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            # handled=False: aiosmtpd then answers a failure with 535 itself.
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        options["authenticator"] = authenticator
        options["auth_require_tls"] = not args.auth_without_tls
    stopper = threading.Timer(args.lifetime, lambda: os._exit(0))
    stopper.daemon = True
    stopper.start()
    port = args.port or free_port()
    controller = Controller(Sink(args.record_file, refuse, args.data_delay), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(port, flush=True)

    if args.ignore_stdin:
        time.sleep(args.lifetime)
    else:
        while sys.stdin.buffer.read(1024):
            pass
    controller.stop()


if __name__ == "__main__":
    main()
