#!/usr/bin/env python3
"""Answers on the channel that paged, against a real `escalate serve`: an SMS provider's webhook signed by the stock
`twilio` package (RequestValidator.compute_signature, the provider's own code, from PyPI) and a Slack-style button
press signed with a signing secret as Slack documents it. Loopback only; bounded in time (a few seconds).

1. A trigger opens incident 1; the page in the file sink carries its reply code ("Reply 1a").
2. SMS: a correctly signed `1a` from the contact's number (written another way) acknowledges, the answer is TwiML,
   and the timeline says "acknowledged by jessie via sms reply 1a". A missing or wrong signature is a 403; an
   unknown sender, an unknown code and an unknown command get a TwiML message that says why; none acts.
3. Slack: a signed press of Resolve resolves a second incident; a stale timestamp is a 403 and does not act. The
   pressed message is then edited in place: a stub of Slack's Web API (recording_http_server.py) receives
   chat.update with the bot token, JSON, the message's channel and ts, and "Resolved by Jessie" without buttons.
4. Voice: a call asks for its status callback; a wrongly signed callback is a 403; a signed "no-answer" (signed by
   the stock `twilio` package) sends the policy's `unanswered:` fallback at once instead of after 10 minutes.
5. /metrics counts the answers by channel and outcome.

Usage: scripts/testing/inbound_replies.py .build/debug/escalate
"""
import argparse, hashlib, hmac, json, os, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request

from e2e_checks import Checks, Failure, free_port, stop, wait_or_kill

from twilio.request_validator import RequestValidator  # a stock client: https://pypi.org/project/twilio/

TOKEN = "inbound-token"
SMS_AUTH = "sms-auth-token-for-e2e"
SLACK_SECRET = "slack-signing-secret-for-e2e"
POLICY = """
organisation: {{ id: replies, name: Replies, timezone: UTC }}
contacts:
  jessie: {{ name: Jessie, addresses: {{ log: jessie, sms: "+1 555 0101", slack: U0JESSIE, voice: "+1 555 0101" }} }}
channels:
  sink: {{ plugin: file, address: log, settings: {{ path: "{sink}" }} }}
  sms: {{ plugin: sms, settings: {{ account: AC0042, auth_token: "${{env:SMS_AUTH}}", from: "+15550100", api_url: "http://127.0.0.1:9/x" }} }}
  slack: {{ plugin: slack, settings: {{ token: "${{env:SLACK_TOKEN}}", channel: "#ops", signing_secret: "${{env:SLACK_SECRET}}", api_url: "{stub}/api" }} }}
  voice: {{ plugin: voice, settings: {{ account: AC0042, auth_token: "${{env:SMS_AUTH}}", from: "+15550100", api_url: "{stub}/voice", inbound_url: "{base}/v1/inbound/voice" }} }}
templates:
  page: {{ body: "{{{{ incident.title }}}}. Reply {{{{ incident.reply_code }}}}a to acknowledge, {{{{ incident.reply_code }}}}r to resolve." }}
policies:
  alerts:
    name: Alerts
    layers:
      - {{ id: first, notify: [{{ contact: jessie }}], via: [sink], template: page, timeout: 10m }}
  calls:
    name: Calls
    layers:
      - {{ id: call, notify: [{{ contact: jessie }}], via: [voice, {{ channel: sink, unanswered: 10m }}], template: page, timeout: 30m }}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    binary = os.path.abspath(parser.parse_args().binary)
    checks = Checks("inbound replies")
    with tempfile.TemporaryDirectory() as folder:
        sink = os.path.join(folder, "sink.jsonl")
        slack_record = os.path.join(folder, "slack.jsonl")
        here = os.path.dirname(os.path.abspath(__file__))
        # One stub for the providers' APIs: Slack's Web API under /api, the voice provider's under /voice.
        call_answer = json.dumps({"path": "/voice", "status": 201, "body": json.dumps({"sid": "CA77", "status": "queued"})})
        slack_stub = subprocess.Popen([sys.executable, os.path.join(here, "recording_http_server.py"), slack_record, "--body", '{"ok": true}',
                                       "--rule", call_answer, "--lifetime", "120"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        stub = f"http://127.0.0.1:{int(slack_stub.stdout.readline().strip())}"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with open(os.path.join(folder, "policy.yaml"), "w") as handle:
            handle.write(POLICY.format(sink=sink, stub=stub, base=base))
        env = dict(os.environ, ESCALATE_TOKENS=f"replies={TOKEN}", SMS_AUTH=SMS_AUTH, SLACK_TOKEN="xoxb-e2e", SLACK_SECRET=SLACK_SECRET)
        log_path = os.path.join(folder, "serve.log")
        log = open(log_path, "a")
        process = subprocess.Popen(
            [binary, "serve", "--policies", os.path.join(folder, "policy.yaml"), "--db", os.path.join(folder, "db.sqlite"), "--port", str(port),
             "--base-url", base], env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)

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
                    return response.status, response.read().decode(), response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode(), error.headers.get("Content-Type", "")

        def sms(params, signature=True, key=SMS_AUTH):
            url = base + "/v1/inbound/sms"
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if signature:
                headers["X-Twilio-Signature"] = RequestValidator(key).compute_signature(url, params)
            return call("POST", "/v1/inbound/sms", urllib.parse.urlencode(params).encode(), headers, token=None)

        def incident(id):
            detail = json.loads(call("GET", f"/v1/incidents/{id}")[1])
            return dict(detail["incident"], timeline=detail["timeline"])

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
            status, body, _ = call("POST", "/v1/incidents", {"title": "Disk full", "fields": {}})
            checks.require(status in (200, 201, 202), f"trigger: {status} {body}")
            first = json.loads(body)["id"]
            deadline = time.time() + 10
            while time.time() < deadline and "Reply 1a" not in (open(sink).read() if os.path.exists(sink) else ""):
                time.sleep(0.05)
            checks.require("Reply 1a to acknowledge, 1r to resolve" in open(sink).read(), "the page carries the reply code")

            message = {"MessageSid": "SM1", "AccountSid": "AC0042", "From": "+15550101", "To": "+15550100"}
            for params, signed, key, what in [
                (dict(message, Body="1a"), False, SMS_AUTH, "no signature"),
                (dict(message, Body="1a"), True, "not-the-token", "a signature with another token"),
            ]:
                status, _, _ = sms(params, signed, key)
                checks.check(status == 403, f"{what} is a 403, got {status}")
            for params, expected, what in [
                (dict(message, From="+15559999", Body="1a"), "not one this escalation service knows", "an unknown sender"),
                (dict(message, Body="7a"), "No open incident has the code 7", "an unknown code"),
                (dict(message, Body="call me maybe"), "is not a command", "an unknown command"),
            ]:
                status, text, kind = sms(params)
                checks.check(status == 200 and "<Response><Message>" in text and expected in text and "xml" in kind, f"{what}: {status} {kind} {text}")
            checks.check(incident(first)["status"] == "open", "nothing acted on refused answers")

            status, text, _ = sms(dict(message, From="+1 (555) 010-1", Body='> Disk full. Reply 1a\n\n "1A" \nSent from my phone'))
            checks.check(status == 200 and "Acknowledged 1 (Disk full)" in text, f"a signed 1a acknowledges: {status} {text}")
            detail = incident(first)
            checks.check(detail["status"] == "acknowledged", f"acknowledged: {detail['status']}")
            checks.check(any(line.get("text") == "acknowledged by jessie via sms reply 1A" for line in detail.get("timeline", [])),
                         f"the timeline says via what: {[line.get('text') for line in detail.get('timeline', [])][-4:]}")

            status, body, _ = call("POST", "/v1/incidents", {"title": "CPU hot", "fields": {}})
            second = json.loads(body)["id"]
            payload = json.dumps({"type": "block_actions", "user": {"id": "U0JESSIE"}, "container": {"type": "message", "channel_id": "C0OPS", "message_ts": "1700.5"},
                                  "message": {"ts": "1700.5", "text": "CPU hot"}, "actions": [{"action_id": "resolve", "value": second}]})
            form = urllib.parse.urlencode({"payload": payload})

            def press(stamp):
                signature = "v0=" + hmac.new(SLACK_SECRET.encode(), f"v0:{stamp}:{form}".encode(), hashlib.sha256).hexdigest()
                headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": str(stamp), "X-Slack-Signature": signature}
                return call("POST", "/v1/inbound/slack", form.encode(), headers, token=None)

            status, _, _ = press(int(time.time()) - 600)
            checks.check(status == 403, f"a stale button press is a 403, got {status}")
            checks.check(incident(second)["status"] == "open", "a stale press does not act")
            status, text, _ = press(int(time.time()))
            checks.check(status == 200 and "Resolved" in text, f"a signed press resolves: {status} {text}")
            detail = incident(second)
            checks.check(detail["status"] == "resolved", f"resolved: {detail['status']}")
            checks.check(any(line.get("text") == "resolved by jessie via slack button" for line in detail.get("timeline", [])), "the timeline says via the button")
            updates, deadline = [], time.time() + 10
            while time.time() < deadline and not updates:
                if os.path.exists(slack_record):
                    with open(slack_record) as handle:
                        updates = [json.loads(line) for line in handle if line.strip() and '"/api/chat.update"' in line]
                time.sleep(0.05)
            checks.check(len(updates) == 1, f"one chat.update after the press that acted (none after the stale one): {updates}")
            if updates:
                update = updates[0]
                sent = json.loads(update["body"])
                checks.check(update["method"] == "POST" and update["headers"].get("authorization") == "Bearer xoxb-e2e"
                             and update["headers"].get("content-type") == "application/json; charset=utf-8", f"chat.update as Slack documents it: {update['headers']}")
                checks.check(sent.get("channel") == "C0OPS" and sent.get("ts") == "1700.5", f"the pressed message is edited: {sent}")
                checks.check("Resolved by Jessie" in sent.get("text", "") and "CPU hot" in sent.get("text", ""), f"it says who resolved: {sent.get('text')}")
                checks.check([block.get("type") for block in sent.get("blocks", [])] == ["section", "context"], f"no buttons after a resolve: {sent.get('blocks')}")

            # Voice: the call asks for its status callback; a signed "no-answer" sends the unanswered: fallback at once.
            status, body, _ = call("POST", "/v1/incidents", {"title": "Pump down", "fields": {}, "policy": "calls"})
            third = json.loads(body)["id"]
            placed, deadline = [], time.time() + 10
            while time.time() < deadline and not placed:
                with open(slack_record) as handle:
                    placed = [json.loads(line) for line in handle if "Calls.json" in line]
                time.sleep(0.05)
            form = dict(urllib.parse.parse_qsl(placed[0]["body"])) if placed else {}
            callback = form.get("StatusCallback", "")
            checks.check(callback == f"{base}/v1/inbound/voice?incident={urllib.parse.quote(third)}", f"the call asks for its status: {form}")
            time.sleep(0.3)
            checks.check("Pump down" not in open(sink).read(), "the fallback waits while the call's answer is unknown")
            news = {"CallSid": "CA77", "AccountSid": "AC0042", "From": "+15550100", "To": "+15550101", "CallStatus": "no-answer"}
            path = callback[len(base):]

            def status_callback(key):
                headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": RequestValidator(key).compute_signature(callback, news)}
                return call("POST", path, urllib.parse.urlencode(news).encode(), headers, token=None)

            checks.check(status_callback("not-the-token")[0] == 403, "a status callback with a wrong signature is a 403")
            time.sleep(0.3)
            checks.check("Pump down" not in open(sink).read(), "a refused status callback changes nothing")
            checks.check(status_callback(SMS_AUTH)[0] == 200, "a signed status callback is taken")
            deadline = time.time() + 10
            while time.time() < deadline and "Pump down" not in open(sink).read():
                time.sleep(0.05)
            checks.check("Pump down" in open(sink).read(), "no-answer sends the unanswered: fallback at once, not after 10 minutes")

            metrics = call("GET", "/metrics", token=None)[1]
            for line in ['escalate_inbound_total{channel="sms",outcome="acted"} 1', 'escalate_inbound_total{channel="sms",outcome="unknown_sender"} 1',
                         'escalate_inbound_total{channel="sms",outcome="refused_request"} 2', 'escalate_inbound_total{channel="slack",outcome="acted"} 1',
                         'escalate_inbound_total{channel="voice",outcome="delivery_unanswered"} 1']:
                checks.check(line in metrics, f"/metrics has {line}")
            with open(log_path) as handle:
                logged = handle.read()
            checks.check(SMS_AUTH not in logged and SLACK_SECRET not in logged and "+15559999" not in logged, "no secret or full sender number is logged")
        except Failure:
            pass
        finally:
            stop(process)
            log.close()
            slack_stub.stdin.close()
            wait_or_kill(slack_stub, 5)
        if checks.failed:
            print(f"inbound replies: {checks.failed} failed, {checks.passed} passed; the server log was in {log_path}")
            sys.exit(1)
        print(f"inbound replies: all {checks.passed} checks passed")


if __name__ == "__main__":
    main()
