import EscalationChannel
import EscalationCore
import Foundation
import SMSChannel
import Testing

@Suite("SMSChannel against a real HTTP server")
struct SMSChannelTests {
    static let token = "sms-token-9fK2-DistinctiveValue"
    let environment = ChannelEnvironment(["SMS_ACCOUNT": "AC0042", "SMS_TOKEN": token])

    func channel(_ url: String, timeout: String = "60s") throws -> SMSChannel {
        let yaml = """
            api_url: \(url)/2010-04-01
            account: ${env:SMS_ACCOUNT}
            auth_token: ${env:SMS_TOKEN}
            from: "+1-555-0100"
            timeout: \(timeout)
            """
        return try SMSChannel(settings: SettingsYAML.settings(yaml, channel: "sms"), environment: environment)
    }

    let message = ChannelMessage(idempotencyKey: "inc-3/n2/1", incidentID: "inc-3", subject: "Pool heater down", body: "Call Matt & check")

    @Test func settingsExamples() {
        for example in SMSChannel.descriptor.validExamples {
            #expect(SettingsYAML.settings(example).problems(for: SMSChannel.self) == [], "\(example)")
        }
        for example in SMSChannel.descriptor.invalidExamples {
            #expect(!SettingsYAML.settings(example).problems(for: SMSChannel.self).isEmpty, "\(example)")
        }
    }

    @Test func postsAFormWithBasicAuthAndReturnsTheSid() async throws {
        let server = try await RecordingServer.start(status: 201, body: #"{"sid": "SM{{n}}abc", "status": "queued"}"#)
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: "+1 (555) 0101")
        #expect(result == .delivered(DeliveryReceipt(externalID: "SM1abc")))
        let request = try #require(try server.requests().first)
        #expect(request.method == "POST")
        #expect(request.path == "/2010-04-01/Accounts/AC0042/Messages.json")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["authorization"] == "Basic " + Data("AC0042:\(Self.token)".utf8).base64EncodedString())
        #expect(request.headers["idempotency-key"] == "inc-3/n2/1")
        #expect(request.form == ["To": "+15550101", "From": "+15550100", "Body": "Pool heater down\nCall Matt & check"])
    }

    @Test func longTextIsCut() async throws {
        let server = try await RecordingServer.start(status: 201, body: #"{"sid": "SM1"}"#)
        defer { server.stop() }
        let long = ChannelMessage(idempotencyKey: "k", incidentID: "i", body: String(repeating: "x", count: 2_000))
        _ = try await channel(server.url).deliver(long, to: "+15550101")
        let body = try #require(try server.requests().first?.form["Body"])
        #expect(body.count == 1_600)
        #expect(body.hasSuffix("…"))
    }

    @Test func anAddressThatIsNoPhoneNumberIsNotSent() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: "jessie@example.org")
        guard case .failed(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(!failure.retryable)
        #expect(try server.requests().isEmpty)
    }

    @Test(arguments: [(429, true), (500, true), (503, true), (400, false), (401, false), (404, false)])
    func statusMapsToTypedFailure(status: Int, retryable: Bool) async throws {
        let server = try await RecordingServer.start(status: status, body: #"{"code": 21211, "message": "The 'To' number is not valid"}"#)
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: "+15550101")
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable == retryable)
        #expect(failure.reason.contains("HTTP \(status)") && failure.reason.contains("not valid"))
    }

    @Test func refusedAndSlowAreRetryable() async throws {
        try await RecordingServer.expectRefusedAndSlowAreRetryable(refused: { try await channel($0, timeout: "1s").deliver(message, to: "+15550101") })
    }

    @Test func secretsNeverAppearInResults() async throws {
        let credentials = Data("AC0042:\(Self.token)".utf8).base64EncodedString()
        let server = try await RecordingServer.start(status: 401, body: "bad credentials \(Self.token) / Basic \(credentials) for account AC0042")
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: "+15550101")
        let text = "\(result)"
        #expect(!text.contains(Self.token) && !text.contains(credentials))
        #expect(!text.contains("AC0042"), "the account SID is masked too: \(text)")
        #expect(text.contains("HTTP 401"))
    }
}
