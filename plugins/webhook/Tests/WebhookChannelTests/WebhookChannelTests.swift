import EscalationChannel
import EscalationCore
import Foundation
import Testing
import WebhookChannel

@Suite("WebhookChannel against a real HTTP server")
struct WebhookChannelTests {
    static let secret = "whsec-7Q2xK9-DistinctiveValue"
    static let token = "Bearer tok-5VfR1-AlsoSecret"
    let environment = ChannelEnvironment(["HOOK_SECRET": secret, "HOOK_AUTH": token])

    func channel(_ server: RecordingServer, timeout: String = "60s") throws -> WebhookChannel {
        let yaml = """
            url: \(server.url)/hook
            secret: ${env:HOOK_SECRET}
            timeout: \(timeout)
            headers:
              Authorization: ${env:HOOK_AUTH}
              X-Team: ops
            """
        return try WebhookChannel(settings: SettingsYAML.settings(yaml, channel: "hook"), environment: environment)
    }

    let message = ChannelMessage(
        idempotencyKey: "inc-1/n1/0", incidentID: "inc-1", kind: .notify, subject: "Pool heater down", body: "Check the boiler",
        template: "outage", cc: ["matt@example.org"], metadata: ["stage": "investigating"])

    @Test func settingsExamples() {
        for example in WebhookChannel.descriptor.validExamples {
            #expect(SettingsYAML.settings(example).problems(for: WebhookChannel.self) == [], "\(example)")
        }
        for example in WebhookChannel.descriptor.invalidExamples {
            #expect(!SettingsYAML.settings(example).problems(for: WebhookChannel.self).isEmpty, "\(example)")
        }
    }

    @Test func postsSignedJSONWithIdempotencyKey() async throws {
        let server = try await RecordingServer.start(status: 201, body: #"{"id": "evt-42"}"#)
        defer { server.stop() }
        let result = try await channel(server).deliver(message, to: "jessie@example.org")
        #expect(result == .delivered(DeliveryReceipt(externalID: "evt-42")))

        let requests = try server.requests()
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.method == "POST")
        #expect(request.path == "/hook")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["idempotency-key"] == "inc-1/n1/0")
        #expect(request.headers["authorization"] == Self.token)
        #expect(request.headers["x-team"] == "ops")
        #expect(request.headers["x-escalate-signature"] == "sha256=" + (try hmacSHA256(key: Self.secret, body: request.body)))
        let json = request.json
        #expect(json["event"] as? String == "deliver")
        #expect(json["incident_id"] as? String == "inc-1")
        #expect(json["kind"] as? String == "notify")
        #expect(json["to"] as? String == "jessie@example.org")
        #expect(json["subject"] as? String == "Pool heater down")
        #expect(json["body"] as? String == "Check the boiler")
        #expect(json["template"] as? String == "outage")
        #expect(json["cc"] as? [String] == ["matt@example.org"])
        #expect(json["metadata"] as? [String: String] == ["stage": "investigating"])
        #expect(json["idempotency_key"] as? String == "inc-1/n1/0")
    }

    @Test func withoutSecretThereIsNoSignature() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let plugin = try WebhookChannel(
            settings: SettingsYAML.settings("url: \(server.url)/plain"), environment: ChannelEnvironment([:]))
        #expect(await plugin.deliver(message, to: nil) == .delivered(DeliveryReceipt(externalID: nil)))
        let request = try #require(try server.requests().first)
        #expect(request.headers["x-escalate-signature"] == nil)
        #expect(request.json["to"] == nil)
    }

    @Test func updateExpireAndUndoCarryTheEventAndReceipt() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let plugin = try channel(server)
        let receipt = DeliveryReceipt(externalID: "evt-42")
        _ = await plugin.update(message, receipt: receipt)
        _ = await plugin.expire(message, receipt: receipt)
        _ = await plugin.undo(message, receipt: nil)
        let events = try server.requests().map { ($0.json["event"] as? String ?? "", $0.json["receipt"] as? String) }
        #expect(events.map(\.0) == ["update", "expire", "undo"])
        #expect(events.map(\.1) == ["evt-42", "evt-42", nil])
    }

    @Test(arguments: [(429, true), (500, true), (503, true), (400, false), (404, false), (410, false)])
    func statusMapsToTypedFailure(status: Int, retryable: Bool) async throws {
        let server = try await RecordingServer.start(status: status, body: "nope: bad \(status)")
        defer { server.stop() }
        let result = try await channel(server).deliver(message, to: nil)
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable == retryable)
        #expect(failure.reason.contains("HTTP \(status)"))
        #expect(failure.reason.contains("nope: bad \(status)"))
    }

    @Test func connectionRefusedIsRetryable() async throws {
        let port = try await RecordingServer.closedPort()
        let plugin = try WebhookChannel(
            settings: SettingsYAML.settings("url: http://127.0.0.1:\(port)/hook\ntimeout: 500s"), environment: environment)
        let started = ContinuousClock.now
        let result = await plugin.deliver(message, to: nil)
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable)
        #expect(failure.reason.contains("connection refused"))
        // At once rather than at the 500 s timeout (loose: a test runner whose pool is busy with other tests can resume
        // this one minutes late).
        #expect(ContinuousClock.now - started < .seconds(200))
    }

    @Test func slowServerPastTheTimeoutIsRetryable() async throws {
        let server = try await RecordingServer.start(delay: 300)
        defer { server.stop() }
        let started = ContinuousClock.now
        let result = try await channel(server, timeout: "1s").deliver(message, to: nil)
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable)
        #expect(failure.reason.contains("did not answer within 1s"))
        // Given up at the 1 s timeout, not after the server's 300 s (loose: a test runner whose pool is busy with other
        // tests can resume this one minutes late).
        #expect(ContinuousClock.now - started < .seconds(200))
    }

    @Test func aFailingDeliveryDoesNotBlockAnother() async throws {
        // The first request's 503 is held until the second, sent while the first waits, has been answered; no clock
        // decides. Were the second queued behind the first, it could not be answered before the release: the first
        // would end by the channel's 60 s timeout instead of the 503, and the test fail.
        let server = try await RecordingServer.start(rules: [RecordingServer.Rule(status: 503, hold: true, times: 1)])
        defer { server.stop() }
        let plugin = try WebhookChannel(
            settings: SettingsYAML.settings("url: \(server.url)/hook\ntimeout: 60s"), environment: ChannelEnvironment([:]))
        let slow = Task { await plugin.deliver(message, to: "slow") }
        try await server.waitForRequests(1)
        let fast = await plugin.deliver(message, to: "fast")
        #expect(fast == .delivered(DeliveryReceipt(externalID: nil)))
        try server.release()
        guard case .failed(let failure) = await slow.value else { Issue.record("the slow delivery should fail with 503"); return }
        #expect(failure.retryable && failure.reason.contains("HTTP 503"))
    }

    @Test func secretsNeverAppearInResults() async throws {
        // A server that echoes what it got (here: the secrets) in its error body.
        let server = try await RecordingServer.start(status: 400, body: "bad signature for \(Self.secret) with \(Self.token)")
        defer { server.stop() }
        let results = [
            try await channel(server).deliver(message, to: nil),
            try await channel(server).update(message, receipt: DeliveryReceipt(externalID: "x")),
        ]
        for result in results {
            let text = "\(result)"
            #expect(!text.contains(Self.secret))
            #expect(!text.contains("tok-5VfR1"))
            #expect(text.contains("***"))
        }
        // A secret URL is masked too, and setup errors name the variable, not a value.
        let hidden = try WebhookChannel(
            settings: SettingsYAML.settings("url: ${env:HOOK_URL}\ntimeout: 60s"),
            environment: ChannelEnvironment(["HOOK_URL": "\(server.url)/\(Self.secret)"]))
        #expect(!"\(await hidden.deliver(message, to: nil))".contains(Self.secret))
        #expect(throws: ChannelSetupError.self) {
            try WebhookChannel(settings: SettingsYAML.settings("url: ${env:HOOK_URL}"), environment: ChannelEnvironment(["HOOK_URL": Self.secret]))
        }
        do {
            _ = try WebhookChannel(settings: SettingsYAML.settings("url: ${env:HOOK_URL}"), environment: ChannelEnvironment(["HOOK_URL": Self.secret]))
        } catch {
            #expect(!error.description.contains(Self.secret))
        }
    }

    @Test func unsetVariableIsASetupError() {
        #expect(throws: ChannelSetupError.self) {
            try WebhookChannel(settings: SettingsYAML.settings("url: http://127.0.0.1:9/x\nsecret: ${env:NOT_SET}"), environment: ChannelEnvironment([:]))
        }
    }

    /// HMAC-SHA256 computed by Python's standard library, independently of the plugin.
    func hmacSHA256(key: String, body: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import hmac, hashlib, sys; print(hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())",
            key,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
