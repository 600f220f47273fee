import EscalationChannel
import EscalationCore
import Foundation
import Testing
import VoiceChannel

@Suite("VoiceChannel takes keypresses: 1 acknowledges, 2 escalates, verified like the SMS webhook")
struct VoiceInboundTests {
    static let token = "voice-token-DistinctiveValue"
    static let url = "https://escalate.example.org/v1/inbound/voice?incident=acme-1"

    func channel() throws -> VoiceChannel {
        let yaml = """
            account: AC0042
            auth_token: ${env:VOICE_TOKEN}
            from: "+15550100"
            inbound_url: https://escalate.example.org/v1/inbound/voice
            """
        return try VoiceChannel(settings: SettingsYAML.settings(yaml, channel: "voice"), environment: ChannelEnvironment(["VOICE_TOKEN": Self.token]))
    }

    func request(_ params: [(String, String)], token: String = token) throws -> InboundRequest {
        let signature = try ProviderSignature.twilio(url: Self.url, params: params, token: token)
        return InboundRequest(url: Self.url, headers: ["X-Twilio-Signature": signature], body: Array(ProviderSignature.form(params).utf8), receivedAt: Instant(seconds: 0))
    }

    @Test func keypressesBecomeCommandsForTheIncidentInTheURL() throws {
        let channel = try channel()
        let base = [("CallSid", "CA1"), ("From", "+15550100"), ("To", "+15550101")]
        guard case .reply(let ack) = channel.receive(try request(base + [("Digits", "1")])) else {
            Issue.record("1 is a reply")
            return
        }
        #expect(ack == InboundReply(from: "+15550101", text: "ack", reference: "acme-1", via: "voice keypress"))
        guard case .reply(let escalate) = channel.receive(try request(base + [("Digits", "2")])) else {
            Issue.record("2 is a reply")
            return
        }
        #expect(escalate.text == "escalate")
        guard case .answered = channel.receive(try request(base)) else {
            Issue.record("a callback without a keypress acts on nothing")
            return
        }
        guard case .refused(let status, _) = channel.receive(try request(base + [("Digits", "1")], token: "wrong")) else {
            Issue.record("a wrong signature is refused")
            return
        }
        #expect(status == 403)
    }

    @Test func theCallOffersTheKeypress() async throws {
        let server = try await RecordingServer.start(status: 201, body: #"{"sid": "CA1", "status": "queued"}"#)
        defer { server.stop() }
        let yaml = """
            api_url: \(server.url)/2010-04-01
            account: AC0042
            auth_token: ${env:VOICE_TOKEN}
            from: "+15550100"
            inbound_url: https://escalate.example.org/v1/inbound/voice
            """
        let channel = try VoiceChannel(settings: SettingsYAML.settings(yaml, channel: "voice"), environment: ChannelEnvironment(["VOICE_TOKEN": Self.token]))
        _ = await channel.deliver(ChannelMessage(idempotencyKey: "k", incidentID: "acme-1", body: "Disk full"), to: "+15550101")
        let twiml = try #require(try server.requests().first?.form["Twiml"])
        #expect(twiml.contains(#"<Gather numDigits="1" method="POST" action="https://escalate.example.org/v1/inbound/voice?incident=acme-1">"#), "\(twiml)")
        #expect(twiml.contains("Press 1 to acknowledge, 2 to escalate."))
        let form = try #require(try server.requests().first?.form)
        #expect(form["StatusCallback"] == "https://escalate.example.org/v1/inbound/voice?incident=acme-1" && form["StatusCallbackMethod"] == "POST")
    }

    @Test func aStatusCallbackSaysWhetherTheCallWasPickedUp() throws {
        let channel = try channel()
        let base = [("CallSid", "CA9"), ("From", "+15550100"), ("To", "+15550101")]
        for (status, answer) in [("no-answer", DeliveryAnswer.unanswered), ("busy", .unanswered), ("completed", .answered)] {
            guard case .delivery(let reference, let sid, let got) = channel.receive(try request(base + [("CallStatus", status)])) else {
                Issue.record("\(status) is news of the delivery")
                continue
            }
            #expect(reference == "acme-1" && sid == "CA9" && got == answer)
        }
        guard case .delivery(_, _, .unanswered) = channel.receive(try request(base + [("CallStatus", "completed"), ("AnsweredBy", "machine_end_beep")])) else {
            Issue.record("a call a machine answered is unanswered")
            return
        }
        guard case .answered = channel.receive(try request(base + [("CallStatus", "ringing")])) else {
            Issue.record("a status that says nothing about answering acts on nothing")
            return
        }
        guard case .refused = channel.receive(try request(base + [("CallStatus", "no-answer")], token: "wrong")) else {
            Issue.record("an unsigned status is refused")
            return
        }
    }
}
