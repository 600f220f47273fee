import EscalationChannel
import EscalationCore
import Foundation
import SlackChannel
import Testing

@Suite("SlackChannel against a real HTTP server")
struct SlackChannelTests {
    static let token = "xoxb-1111-2222-DistinctiveSlackToken"
    let environment = ChannelEnvironment(["SLACK_TOKEN": token])

    func apiChannel(_ server: RecordingServer, channel: String? = "C0OPS1234", timeout: String = "60s") throws -> SlackChannel {
        var yaml = "token: ${env:SLACK_TOKEN}\napi_url: \(server.url)/api\ntimeout: \(timeout)"
        if let channel { yaml += "\nchannel: \"\(channel)\"" }
        return try SlackChannel(settings: SettingsYAML.settings(yaml, channel: "slack"), environment: environment)
    }

    let message = ChannelMessage(
        idempotencyKey: "inc-7/n1/0", incidentID: "inc-7", subject: "Pool heater down", body: "Water is 21°C <cold> & falling",
        cc: ["U0MATT123"])

    @Test func settingsExamples() {
        for example in SlackChannel.descriptor.validExamples {
            #expect(SettingsYAML.settings(example).problems(for: SlackChannel.self) == [], "\(example)")
        }
        for example in SlackChannel.descriptor.invalidExamples {
            #expect(!SettingsYAML.settings(example).problems(for: SlackChannel.self).isEmpty, "\(example)")
        }
    }

    @Test func postMessageMentionsAUserAndReturnsTheThread() async throws {
        let server = try await RecordingServer.start(body: #"{"ok": true, "channel": "C0OPS1234", "ts": "1700000000.000100"}"#)
        defer { server.stop() }
        let result = try await apiChannel(server).deliver(message, to: "U0JESSIE1")
        #expect(result == .delivered(DeliveryReceipt(externalID: "C0OPS1234/1700000000.000100")))
        let request = try #require(try server.requests().first)
        #expect(request.method == "POST")
        #expect(request.path == "/api/chat.postMessage")
        #expect(request.headers["authorization"] == "Bearer \(Self.token)")
        #expect(request.json["channel"] as? String == "C0OPS1234")
        let text = try #require(request.json["text"] as? String)
        #expect(text == "<@U0JESSIE1> *Pool heater down*\nWater is 21°C &lt;cold&gt; &amp; falling\ncc: <@U0MATT123>")
        #expect(request.json["thread_ts"] == nil)
    }

    @Test func updateRepliesInTheThreadOfTheReceipt() async throws {
        let server = try await RecordingServer.start(body: #"{"ok": true, "channel": "C0OPS1234", "ts": "1700000099.000200"}"#)
        defer { server.stop() }
        let update = ChannelMessage(idempotencyKey: "inc-7/u1", incidentID: "inc-7", body: "Fixed")
        let result = try await apiChannel(server).update(update, receipt: DeliveryReceipt(externalID: "C0DM55555/1700000000.000100"))
        #expect(result == .delivered(DeliveryReceipt(externalID: "C0OPS1234/1700000099.000200")))
        let request = try #require(try server.requests().first)
        #expect(request.json["thread_ts"] as? String == "1700000000.000100")
        #expect(request.json["channel"] as? String == "C0DM55555")
        #expect(request.json["text"] as? String == "Fixed")
    }

    @Test func aChannelAddressIsWhereItIsPosted() async throws {
        let server = try await RecordingServer.start(body: #"{"ok": true, "channel": "C0DEV0001", "ts": "1.2"}"#)
        defer { server.stop() }
        let plain = ChannelMessage(idempotencyKey: "k", incidentID: "i", body: "hello")
        _ = try await apiChannel(server).deliver(plain, to: "#dev")
        _ = try await apiChannel(server).deliver(plain, to: "@here")
        _ = try await apiChannel(server, channel: nil).deliver(plain, to: "U0JESSIE1")
        let requests = try server.requests()
        #expect(requests.map { $0.json["channel"] as? String } == ["#dev", "C0OPS1234", "U0JESSIE1"])
        #expect(requests.map { $0.json["text"] as? String } == ["hello", "<!here> hello", "<@U0JESSIE1> hello"])
        let none = try await apiChannel(server, channel: nil).deliver(plain, to: nil)
        #expect(none == .failed(DeliveryFailure(retryable: false, reason: "no Slack channel to post in: set 'channel' or give a channel or user address")))
    }

    @Test func incomingWebhookPostsText() async throws {
        let server = try await RecordingServer.start(body: "ok", rules: [])
        defer { server.stop() }
        let hookURL = "\(server.url)/services/T000/B000/SecretPart"
        let plugin = try SlackChannel(
            settings: SettingsYAML.settings("webhook_url: ${env:SLACK_HOOK}"), environment: ChannelEnvironment(["SLACK_HOOK": hookURL]))
        #expect(await plugin.deliver(message, to: "U0JESSIE1") == .delivered(DeliveryReceipt(externalID: nil)))
        let request = try #require(try server.requests().first)
        #expect(request.path == "/services/T000/B000/SecretPart")
        #expect((request.json["text"] as? String)?.hasPrefix("<@U0JESSIE1> *Pool heater down*") == true)
    }

    @Test(arguments: [("channel_not_found", false), ("invalid_auth", false), ("ratelimited", true), ("internal_error", true)])
    func okFalseIsAFailure(error: String, retryable: Bool) async throws {
        let server = try await RecordingServer.start(body: #"{"ok": false, "error": "\#(error)"}"#)
        defer { server.stop() }
        let result = try await apiChannel(server).deliver(message, to: nil)
        #expect(result == .failed(DeliveryFailure(retryable: retryable, reason: "Slack refused the message: \(error)")))
    }

    @Test(arguments: [(429, true), (503, true), (400, false), (404, false)])
    func statusMapsToTypedFailure(status: Int, retryable: Bool) async throws {
        let server = try await RecordingServer.start(status: status, body: "no_service")
        defer { server.stop() }
        let result = try await apiChannel(server).deliver(message, to: nil)
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable == retryable)
        #expect(failure.reason.contains("HTTP \(status)") && failure.reason.contains("no_service"))
    }

    @Test func refusedAndSlowAreRetryable() async throws {
        try await RecordingServer.expectRefusedAndSlowAreRetryable(
            refused: { url in
                try await SlackChannel(
                    settings: SettingsYAML.settings("token: ${env:SLACK_TOKEN}\napi_url: \(url)/api\nchannel: C0OPS1234"), environment: environment
                ).deliver(message, to: nil)
            },
            slow: { url in
                try await SlackChannel(
                    settings: SettingsYAML.settings("token: ${env:SLACK_TOKEN}\napi_url: \(url)/api\ntimeout: 1s\nchannel: \"C0OPS1234\"", channel: "slack"),
                    environment: environment
                ).deliver(message, to: nil)
            })
    }

    @Test func secretsNeverAppearInResults() async throws {
        let server = try await RecordingServer.start(status: 403, body: "invalid token \(Self.token)")
        defer { server.stop() }
        let hook = try SlackChannel(
            settings: SettingsYAML.settings("webhook_url: ${env:SLACK_HOOK}\ntimeout: 60s"),
            environment: ChannelEnvironment(["SLACK_HOOK": "\(server.url)/services/\(Self.token)"]))
        let results = [try await apiChannel(server).deliver(message, to: "U0JESSIE1"), await hook.deliver(message, to: nil)]
        for result in results {
            #expect(!"\(result)".contains("DistinctiveSlackToken"))
            #expect("\(result)".contains("HTTP 403"))
        }
    }
}
