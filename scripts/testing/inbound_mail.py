#!/usr/bin/env python3
"""Replies by e-mail against a real `escalate serve --smtp-listen`: Python's smtplib sends replies to the server's SMTP
listener, and an inbound-parse webhook posts one signed with the channel's key. The e-mail channel sends its pages
(and its answers to replies) to a real SMTP sink (smtp_sink.py, aiosmtpd). Loopback only; bounded in time.

1. A trigger opens incident 1; the page reaches the sink with the thread's ids and the reply code.
2. A reply to that thread from the contact's address (multipart, quoted text and a signature below "Ack")
   acknowledges it; the timeline says "acknowledged by jessie via email reply" (the thread named the incident); the raw reply is kept with the
   incident (no Received/DKIM lines); the contact gets an answer in the thread.
3. Refused, nothing changes: a From that is not the envelope sender (550), an unknown sender, a sender of another
   organisation, an unknown code, an unknown command, an automatic reply and a bounce; the stranger gets no mail.
4. The webhook: no or a wrong signature and a stale timestamp are 403s; a signed "2r" resolves incident 2.
5. /metrics counts e-mail answers by outcome; the log holds no key and no full sender address.

Usage: scripts/testing/inbound_mail.py .build/debug/escalate
"""
import argparse, hashlib, hmac, json, os, smtplib, sqlite3, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
from email.message import EmailMessage

from e2e_checks import Checks, Failure, free_port, stop, wait_or_kill

TOKEN = "mail-token"
MAIL_KEY = "mail-webhook-signing-key-for-e2e"
POLICY = """
organisation: {{ id: mail, name: Mail, timezone: UTC }}
contacts:
  jessie: {{ name: Jessie, addresses: {{ email: jessie@example.org }} }}
channels:
  email: {{ plugin: email, settings: {{ host: 127.0.0.1, port: {sink_port}, from: "Escalate <escalate@alerts.example.org>", domain: alerts.example.org, inbound_signing_key: "${{env:MAIL_KEY}}" }} }}
templates:
  page: {{ subject: "{{{{ incident.title }}}}", body: "{{{{ incident.title }}}}. Reply {{{{ incident.reply_code }}}}a to acknowledge, {{{{ incident.reply_code }}}}r to resolve." }}
policies:
  alerts:
    name: Alerts
    layers:
      - {{ id: first, notify: [{{ contact: jessie }}], via: [email], template: page, timeout: 10m }}
"""
OTHER = """
organisation: {{ id: other, name: Other, timezone: UTC }}
contacts:
  olga: {{ name: Olga, addresses: {{ email: olga@example.net }} }}
channels:
  email: {{ plugin: email, settings: {{ host: 127.0.0.1, port: {sink_port}, from: "Other <ops@other.example.net>", domain: other.example.net }} }}
templates:
  page: {{ body: "{{{{ incident.title }}}}" }}
policies:
  alerts:
    name: Alerts
    layers:
      - {{ id: first, notify: [{{ contact: olga }}], via: [email], template: page }}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    binary = os.path.abspath(parser.parse_args().binary)
    checks = Checks("inbound mail")
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as folder:
        record = os.path.join(folder, "sink.jsonl")
        sink = subprocess.Popen([sys.executable, os.path.join(here, "smtp_sink.py"), record, "--lifetime", "120"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        sink_port = int(sink.stdout.readline().strip())
        policies = os.path.join(folder, "policies")
        for name, text in [("mail", POLICY), ("other", OTHER)]:
            os.makedirs(os.path.join(policies, name))
            with open(os.path.join(policies, name, "organisation.yaml"), "w") as handle:
                handle.write(text.format(sink_port=sink_port))
        port, smtp_port = free_port(), free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, ESCALATE_TOKENS=f"mail={TOKEN},other=other-token", MAIL_KEY=MAIL_KEY)
        log_path = os.path.join(folder, "serve.log")
        log = open(log_path, "a")
        db = os.path.join(folder, "db.sqlite")
        process = subprocess.Popen(
            [binary, "serve", "--policies", policies, "--db", db, "--port", str(port), "--base-url", base,
             "--smtp-listen", f"127.0.0.1:{smtp_port}"], env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)

        def call(method, path, body=None, headers=None, token=TOKEN):
            headers = dict(headers or {})
            if isinstance(body, dict):
                body = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            if token:
                headers["Authorization"] = f"Bearer {token}"
            request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()

        def incident(id):
            detail = json.loads(call("GET", f"/v1/incidents/{id}")[1])
            return dict(detail["incident"], timeline=[line.get("text") for line in detail["timeline"]])

        def sent():
            if not os.path.exists(record):
                return []
            with open(record) as handle:
                return [json.loads(line) for line in handle if line.strip()]

        def wait_for(predicate, seconds=10):
            deadline = time.time() + seconds
            while time.time() < deadline:
                found = [entry for entry in sent() if predicate(entry)]
                if found:
                    return found[0]
                time.sleep(0.05)
            return None

        def header(content, name):
            for line in content.replace("\r\n", "\n").split("\n\n", 1)[0].split("\n"):
                if line.lower().startswith(name.lower() + ":"):
                    return line.split(":", 1)[1].strip()
            return None

        def reply(sender, body, page=None, envelope=None, extra=None, html=None):
            message = EmailMessage()
            message["From"] = f"Someone <{sender}>"
            message["To"] = "escalate@alerts.example.org"
            message["Subject"] = "Re: " + (header(page["content"], "Subject") if page else "hello")
            message["Message-ID"] = f"<reply.{time.time_ns()}@example.org>"
            message["Received"] = "from mx.example.org by relay; secret-route-token"
            message["DKIM-Signature"] = "v=1; a=rsa-sha256; b=SIGNATURE-BYTES"
            if page:
                message["In-Reply-To"] = header(page["content"], "Message-ID")
                message["References"] = (header(page["content"], "References") or "") + " " + header(page["content"], "Message-ID")
            for name, value in (extra or {}).items():
                message[name] = value
            message.set_content(body)
            if html:
                message.add_alternative(html, subtype="html")
            with smtplib.SMTP("127.0.0.1", smtp_port, timeout=5) as client:
                client.ehlo("mail.example.org")
                return client.sendmail(envelope if envelope is not None else sender, ["escalate@alerts.example.org"], message.as_bytes())

        def webhook(fields, key=MAIL_KEY, stamp=None, sign=True):
            stamp = str(int(time.time()) if stamp is None else stamp)
            token = "tok" + str(time.time_ns())
            form = dict(fields, timestamp=stamp, token=token)
            if sign:
                form["signature"] = hmac.new(key.encode(), (stamp + token).encode(), hashlib.sha256).hexdigest()
            return call("POST", "/v1/inbound/email?organisation=mail", urllib.parse.urlencode(form).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"}, token=None)

        try:
            deadline, healthy = time.time() + 10, False
            while time.time() < deadline and process.poll() is None and not healthy:
                try:
                    healthy = call("GET", "/healthz", token=None)[0] == 200
                except (urllib.error.URLError, OSError):
                    time.sleep(0.05)
            if not healthy:
                log.flush()
                with open(log_path) as handle:
                    print(handle.read()[-2000:])
            checks.require(healthy, "the server started within 10 s")

            status, body = call("POST", "/v1/incidents", {"title": "Disk full", "fields": {}})
            checks.require(status in (200, 201, 202), f"trigger: {status} {body}")
            first = json.loads(body)["id"]
            page = wait_for(lambda entry: "Disk full" in entry["content"] and "jessie@example.org" in entry["rcpt_tos"])
            checks.require(page is not None, "the page reached the SMTP sink")
            checks.check("Reply 1a to acknowledge" in page["content"], "the page carries the reply code")

            # Refused first, so each shows that nothing changed.
            try:
                reply("jessie@example.org", "1a", page, envelope="attacker@evil.example")
                checks.check(False, "a From that is not the envelope sender is refused")
            except smtplib.SMTPDataError as error:
                checks.check(error.smtp_code == 550 and b"envelope" in error.smtp_error, f"a forged From is a 550: {error}")
            for sender, text, extra, what in [
                ("stranger@example.com", "1a", None, "an unknown sender"),
                ("olga@example.net", "1a", None, "a sender of another organisation"),
                ("jessie@example.org", "call me maybe", None, "an unknown command"),
                ("jessie@example.org", "1a", {"Auto-Submitted": "auto-replied"}, "an automatic reply"),
            ]:
                checks.check(reply(sender, text, page, extra=extra) == {}, f"{what} is taken (250)")
            checks.check(reply("jessie@example.org", "7a") == {}, "an unknown code is taken (250)")
            checks.check(reply("jessie@example.org", "1a", page, envelope="") == {}, "a bounce is taken (250)")
            checks.check(incident(first)["status"] == "open", "nothing acted on refused replies")
            checks.check(wait_for(lambda entry: "No open incident has the code 7" in entry["content"], 5) is not None,
                         "the contact is told about the unknown code, by mail")
            time.sleep(0.3)
            checks.check(not any("stranger@example.com" in entry["rcpt_tos"] for entry in sent()), "the unknown sender gets no mail")

            quoted = ("Ack\n\nThanks, on it.\n-- \nJessie Smith\nOn-call lead\n\nOn Fri, 27 Nov 2026 at 15:00, Escalate <escalate@alerts.example.org> wrote:\n"
                      "> Disk full. Reply 1a to acknowledge, 1r to resolve.\n")
            html = "<div>Ack</div><div>Thanks, on it.</div><blockquote>Disk full. Reply 1r to resolve.</blockquote>"
            checks.check(reply("jessie@example.org", quoted, page, html=html) == {}, "the reply is taken (250)")
            detail = incident(first)
            checks.check(detail["status"] == "acknowledged", f"a reply in the thread acknowledges: {detail['status']}")
            checks.check("acknowledged by jessie via email reply" in detail["timeline"], f"the timeline says via what: {detail['timeline'][-4:]}")
            answer = wait_for(lambda entry: "Acknowledged 1 (Disk full)" in entry["content"] and "jessie@example.org" in entry["rcpt_tos"])
            checks.check(answer is not None and header(answer["content"], "In-Reply-To") is not None
                         and (header(answer["content"], "Subject") or "").startswith("Re:"), "the contact gets the answer in the thread")
            with sqlite3.connect(db) as connection:
                kept = [row[0] or "" for row in connection.execute("SELECT payload FROM event_log WHERE kind = 'inbound' AND incident = ?", (first,))]
            checks.check(any("From: jessie@example.org" in text and "\n\nAck\n\nThanks, on it." in text for text in kept), f"the raw reply is kept: {kept[-1:]}")
            checks.check(not any("SIGNATURE-BYTES" in text or "secret-route-token" in text or "Jessie Smith" in text for text in kept),
                         "the kept reply has no DKIM signature, Received line or signature block")

            status, body = call("POST", "/v1/incidents", {"title": "CPU hot", "fields": {}})
            second = json.loads(body)["id"]
            fields = {"sender": "jessie@example.org", "subject": "Re: CPU hot", "body-plain": "2r\n> CPU hot. Reply 2a"}
            for result, what in [(webhook(fields, sign=False), "no signature"), (webhook(fields, key="wrong"), "a wrong key"),
                                 (webhook(fields, stamp=int(time.time()) - 900), "a stale timestamp")]:
                checks.check(result[0] == 403, f"a webhook post with {what} is a 403: {result}")
            checks.check(incident(second)["status"] == "open", "refused webhook posts do not act")
            status, text = webhook(fields)
            checks.check(status == 200 and "Resolved 2 (CPU hot)" in text, f"a signed webhook reply resolves: {status} {text}")
            detail = incident(second)
            checks.check(detail["status"] == "resolved", f"resolved: {detail['status']}")
            checks.check("resolved by jessie via email reply 2r" in detail["timeline"], f"the timeline says via what: {detail['timeline'][-4:]}")

            metrics = call("GET", "/metrics", token=None)[1]
            # The other organisation's contact answered this organisation's thread: an unknown sender here.
            for line in ['escalate_inbound_total{channel="email",outcome="acted"} 2', 'escalate_inbound_total{channel="email",outcome="unknown_sender"} 2',
                         'escalate_inbound_total{channel="email",outcome="unknown_command"} 1',
                         'escalate_inbound_total{channel="email",outcome="unknown_incident"} 1']:
                checks.check(line in metrics, f"/metrics has {line}")
            with open(log_path) as handle:
                logged = handle.read()
            checks.check(MAIL_KEY not in logged and "stranger@example.com" not in logged and "SIGNATURE-BYTES" not in logged,
                         "no key, full sender address or signature is logged")
        except Failure:
            pass
        finally:
            stop(process)
            log.close()
            sink.stdin.close()
            wait_or_kill(sink, 5)
        if checks.failed:
            print(f"inbound mail: {checks.failed} failed, {checks.passed} passed; the server log was in {log_path}")
            sys.exit(1)
        print(f"inbound mail: all {checks.passed} checks passed")


if __name__ == "__main__":
    main()
