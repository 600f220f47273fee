import EscalationChannel
import EscalationCore
import Foundation
import SlackChannel
import Testing

@Suite("SlackChannel takes button presses, verified with the signing secret within five minutes")
struct SlackInboundTests {
    static let secret = "slack-signing-DistinctiveValue"
    static let now: Int64 = 1_795_000_000

    func channel() throws -> SlackChannel {
        let yaml = """
            token: ${env:SLACK_TOKEN}
            channel: C0123
            signing_secret: ${env:SLACK_SIGNING}
            """
        return try SlackChannel(
            settings: SettingsYAML.settings(yaml, channel: "slack"), environment: ChannelEnvironment(["SLACK_TOKEN": "xoxb-1", "SLACK_SIGNING": Self.secret]))
    }

    static let payload = #"{"type":"block_actions","user":{"id":"U0ALICE"},"actions":[{"action_id":"ack","value":"acme-1","type":"button"}]}"#

    func request(stamp: Int64 = now, secret: String = secret, body: String = ProviderSignature.form([("payload", payload)])) throws -> InboundRequest {
        let signature = try ProviderSignature.slack(timestamp: String(stamp), body: body, secret: secret)
        return InboundRequest(
            url: "https://e/v1/inbound/slack", headers: ["X-Slack-Request-Timestamp": String(stamp), "X-Slack-Signature": signature],
            body: Array(body.utf8), receivedAt: Instant(seconds: Self.now))
    }

    @Test func aSignedPressIsAReplyForTheButtonsIncident() throws {
        guard case .reply(let reply) = try channel().receive(request()) else {
            Issue.record("a signed press is a reply")
            return
        }
        #expect(reply.from == "U0ALICE" && reply.text == "ack" && reply.reference == "acme-1" && reply.via == "slack button")
        #expect(reply.raw?.contains("action=ack") == true && reply.raw?.contains(Self.secret) == false)
    }

    @Test func staleWrongAndUnsignedPressesAreRefused() throws {
        let channel = try channel()
        for request in [try request(stamp: Self.now - 301), try request(stamp: Self.now + 400), try request(secret: "other")] {
            guard case .refused(let status, _) = channel.receive(request) else {
                Issue.record("refused")
                continue
            }
            #expect(status == 403)
        }
        var unsigned = try request()
        unsigned.headers["x-slack-signature"] = nil
        guard case .refused = channel.receive(unsigned) else {
            Issue.record("unsigned is refused")
            return
        }
    }

    @Test func messagesCarryButtonsWhenASigningSecretIsSet() async throws {
        let server = try await RecordingServer.start(status: 200, body: #"{"ok": true, "channel": "C0123", "ts": "1.2"}"#)
        defer { server.stop() }
        let yaml = """
            token: ${env:SLACK_TOKEN}
            api_url: \(server.url)/api
            channel: C0123
            signing_secret: ${env:SLACK_SIGNING}
            """
        let channel = try SlackChannel(
            settings: SettingsYAML.settings(yaml, channel: "slack"), environment: ChannelEnvironment(["SLACK_TOKEN": "xoxb-1", "SLACK_SIGNING": Self.secret]))
        _ = await channel.deliver(ChannelMessage(idempotencyKey: "k", incidentID: "acme-1", body: "Disk full"), to: nil)
        let body = try #require(try server.requests().first?.body)
        #expect(body.contains(#""action_id":"ack""#) && body.contains(#""action_id":"resolve""#) && body.contains(#""value":"acme-1""#), "\(body)")
    }

    @Test func aPressThatActedEditsThePressedMessageInPlace() async throws {
        let server = try await RecordingServer.start(status: 200, body: #"{"ok": true, "channel": "C0123", "ts": "1700.1"}"#)
        defer { server.stop() }
        let yaml = """
            token: ${env:SLACK_TOKEN}
            api_url: \(server.url)/api
            channel: C0123
            signing_secret: ${env:SLACK_SIGNING}
            """
        let channel = try SlackChannel(
            settings: SettingsYAML.settings(yaml, channel: "slack"), environment: ChannelEnvironment(["SLACK_TOKEN": "xoxb-1", "SLACK_SIGNING": Self.secret]))
        let payload = #"{"type":"block_actions","user":{"id":"U0ALICE"},"container":{"type":"message","channel_id":"C0123","message_ts":"1700.1"},"#
            + #""message":{"ts":"1700.1","text":"Disk full"},"actions":[{"action_id":"ack","value":"acme-1","type":"button"}]}"#
        guard case .reply(let reply) = channel.receive(try request(body: ProviderSignature.form([("payload", payload)]))) else {
            Issue.record("a signed press is a reply")
            return
        }
        await channel.followUp(reply, result: InboundResult(acted: false, text: "You cannot acknowledge incidents here"))
        let told = try #require(try server.requests().first, "a press that did not act tells the presser why")
        #expect(told.path == "/api/chat.postEphemeral" && told.json["user"] as? String == "U0ALICE" && told.json["channel"] as? String == "C0123")
        #expect((told.json["text"] as? String)?.contains("You cannot acknowledge") == true)
        await channel.followUp(reply, result: InboundResult(acted: true, action: "acknowledged", by: "Alice", status: "acknowledged", text: "Acknowledged"))
        let update = try #require(try server.requests().dropFirst().first)
        #expect(update.method == "POST" && update.path == "/api/chat.update")
        #expect(update.headers["authorization"] == "Bearer xoxb-1" && update.headers["content-type"] == "application/json; charset=utf-8")
        let json = update.json
        #expect(json["channel"] as? String == "C0123" && json["ts"] as? String == "1700.1")
        #expect((json["text"] as? String)?.contains("Acknowledged by Alice") == true, "\(json)")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["section", "context", "actions"], "the text, who acknowledged, and the Resolve button left")
        #expect(!update.body.contains(#""action_id":"ack""#) && update.body.contains(#""action_id":"resolve""#))
    }
}
