import EscalationChannel
import EscalationCore
import Foundation
import Testing
import VoiceChannel

@Suite("VoiceChannel against a real HTTP server")
struct VoiceChannelTests {
    static let token = "voice-token-3Jx8-DistinctiveValue"
    let environment = ChannelEnvironment(["VOICE_ACCOUNT": "AC0077", "VOICE_TOKEN": token])

    func channel(_ url: String, extra: String = "", timeout: String = "60s") throws -> VoiceChannel {
        let yaml = """
            api_url: \(url)/2010-04-01
            account: ${env:VOICE_ACCOUNT}
            auth_token: ${env:VOICE_TOKEN}
            from: "+15550100"
            timeout: \(timeout)
            \(extra)
            """
        return try VoiceChannel(settings: SettingsYAML.settings(yaml, channel: "phone"), environment: environment)
    }

    let message = ChannelMessage(idempotencyKey: "inc-4/n1/0", incidentID: "inc-4", subject: "Outage", body: "Pumps <1> & <2> are down")

    @Test func settingsExamples() {
        for example in VoiceChannel.descriptor.validExamples {
            #expect(SettingsYAML.settings(example).problems(for: VoiceChannel.self) == [], "\(example)")
        }
        for example in VoiceChannel.descriptor.invalidExamples {
            #expect(!SettingsYAML.settings(example).problems(for: VoiceChannel.self).isEmpty, "\(example)")
        }
    }

    @Test func placesACallThatSaysTheMessage() async throws {
        let server = try await RecordingServer.start(status: 201, body: #"{"sid": "CA{{n}}xyz"}"#)
        defer { server.stop() }
        let result = try await channel(server.url, extra: "voice: Polly.Joanna\nloop: 3").deliver(message, to: "+1-555-0101")
        #expect(result == .delivered(DeliveryReceipt(externalID: "CA1xyz")))
        let request = try #require(try server.requests().first)
        #expect(request.path == "/2010-04-01/Accounts/AC0077/Calls.json")
        #expect(request.headers["authorization"] == "Basic " + Data("AC0077:\(Self.token)".utf8).base64EncodedString())
        #expect(request.form["To"] == "+15550101")
        #expect(request.form["From"] == "+15550100")
        #expect(
            request.form["Twiml"]
                == #"<Response><Say voice="Polly.Joanna" loop="3">Outage. Pumps &lt;1&gt; &amp; &lt;2&gt; are down</Say></Response>"#)
    }

    @Test(arguments: [
        ("completed", DeliveryAnswer.answered), ("in-progress", .answered), ("no-answer", .unanswered), ("busy", .unanswered),
        ("queued", nil), ("", nil),
    ])
    func theCallStatusSaysWhetherItWasAnswered(status: String, answer: DeliveryAnswer?) async throws {
        let body = status.isEmpty ? #"{"sid": "CA7"}"# : #"{"sid": "CA7", "status": "\#(status)"}"#
        let server = try await RecordingServer.start(status: 201, body: body)
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: "+15550101")
        #expect(result == .delivered(DeliveryReceipt(externalID: "CA7", answer: answer)))
        #expect(VoiceChannel.descriptor.capabilities.contains(.answers))
    }

    @Test(arguments: [(429, true), (503, true), (400, false), (404, false)])
    func statusMapsToTypedFailure(status: Int, retryable: Bool) async throws {
        let server = try await RecordingServer.start(status: status, body: "call refused \(status)")
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: "+15550101")
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable == retryable)
        #expect(failure.reason.contains("HTTP \(status)") && failure.reason.contains("call refused \(status)"))
    }

    @Test func refusedAndSlowAreRetryable() async throws {
        try await RecordingServer.expectRefusedAndSlowAreRetryable(refused: { try await channel($0, timeout: "1s").deliver(message, to: "+15550101") })
    }

    @Test func secretsNeverAppearInResults() async throws {
        let server = try await RecordingServer.start(status: 403, body: "token \(Self.token) is not allowed")
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: "+15550101")
        let text = "\(result)"
        #expect(!text.contains(Self.token))
        #expect(text.contains("HTTP 403"))
    }
}
