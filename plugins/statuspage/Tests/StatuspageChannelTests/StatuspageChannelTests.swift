import EscalationChannel
import EscalationCore
import Foundation
import StatuspageChannel
import Testing

@Suite("StatuspageChannel against a real HTTP server")
struct StatuspageChannelTests {
    static let key = "sp-key-8Hq1-DistinctiveValue"
    let environment = ChannelEnvironment(["SP_KEY": key])

    func channel(_ url: String, extra: String = "", timeout: String = "60s") throws -> StatuspageChannel {
        let yaml = """
            page_id: kctbh9vrtdwd
            api_key: ${env:SP_KEY}
            api_url: \(url)/v1
            timeout: \(timeout)
            \(extra)
            """
        return try StatuspageChannel(settings: SettingsYAML.settings(yaml, channel: "status"), environment: environment)
    }

    let stage = ChannelMessage(
        idempotencyKey: "inc-5/p1", incidentID: "inc-5", kind: .stage, subject: "Booking is down", body: "We are investigating.")

    @Test func settingsExamples() {
        for example in StatuspageChannel.descriptor.validExamples {
            #expect(SettingsYAML.settings(example).problems(for: StatuspageChannel.self) == [], "\(example)")
        }
        for example in StatuspageChannel.descriptor.invalidExamples {
            #expect(!SettingsYAML.settings(example).problems(for: StatuspageChannel.self).isEmpty, "\(example)")
        }
    }

    @Test func createsUpdatesAndResolvesAnIncident() async throws {
        let server = try await RecordingServer.start(
            rules: [
                .init(method: "POST", path: "/v1/pages/kctbh9vrtdwd/incidents", status: 201, body: #"{"id": "p31zjtct2jer", "status": "investigating"}"#),
                .init(method: "PATCH", path: "/v1/pages/kctbh9vrtdwd/incidents/p31zjtct2jer", status: 200, body: #"{"id": "p31zjtct2jer"}"#),
            ])
        defer { server.stop() }
        let plugin = try channel(server.url, extra: "impact: major")
        let created = await plugin.deliver(stage, to: nil)
        #expect(created == .delivered(DeliveryReceipt(externalID: "p31zjtct2jer")))
        let receipt = DeliveryReceipt(externalID: "p31zjtct2jer")
        let update = ChannelMessage(
            idempotencyKey: "inc-5/p2", incidentID: "inc-5", kind: .stage, body: "Fix deployed.", metadata: ["status": "monitoring"])
        #expect(await plugin.update(update, receipt: receipt) == .delivered(receipt))
        #expect(await plugin.expire(ChannelMessage(idempotencyKey: "inc-5/p3", incidentID: "inc-5", body: "Resolved."), receipt: receipt) == .delivered(receipt))

        let requests = try server.requests()
        try #require(requests.count == 3)
        #expect(requests.map(\.method) == ["POST", "PATCH", "PATCH"])
        #expect(requests[0].path == "/v1/pages/kctbh9vrtdwd/incidents")
        #expect(requests[1].path == "/v1/pages/kctbh9vrtdwd/incidents/p31zjtct2jer")
        #expect(requests.allSatisfy { $0.headers["authorization"] == "OAuth \(Self.key)" })
        #expect(requests.map { $0.headers["idempotency-key"] } == ["inc-5/p1", "inc-5/p2", "inc-5/p3"])
        let incidents = requests.map { $0.json["incident"] as? [String: Any] ?? [:] }
        #expect(incidents[0]["name"] as? String == "Booking is down")
        #expect(incidents[0]["status"] as? String == "investigating")
        #expect(incidents[0]["body"] as? String == "We are investigating.")
        #expect(incidents[0]["impact_override"] as? String == "major")
        #expect(incidents[1]["status"] as? String == "monitoring")
        #expect(incidents[1]["body"] as? String == "Fix deployed.")
        #expect(incidents[2]["status"] as? String == "resolved")
    }

    @Test func anUpdateWithoutAnIncidentIdFails() async throws {
        let plugin = try channel("http://127.0.0.1:9")
        let result = await plugin.update(stage, receipt: DeliveryReceipt(externalID: nil))
        #expect(result == .failed(DeliveryFailure(retryable: false, reason: "the receipt has no status page incident id to update")))
    }

    @Test(arguments: [(429, true), (502, true), (503, true), (401, false), (404, false), (422, false)])
    func statusMapsToTypedFailure(status: Int, retryable: Bool) async throws {
        let server = try await RecordingServer.start(status: status, body: #"{"error": "nope \#(status)"}"#)
        defer { server.stop() }
        let result = try await channel(server.url).deliver(stage, to: nil)
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable == retryable)
        #expect(failure.reason.contains("HTTP \(status)") && failure.reason.contains("nope \(status)"))
    }

    @Test func refusedAndSlowAreRetryable() async throws {
        try await RecordingServer.expectRefusedAndSlowAreRetryable(
            refused: { try await channel($0, timeout: "1s").deliver(stage, to: nil) },
            slow: { try await channel($0, timeout: "1s").expire(stage, receipt: DeliveryReceipt(externalID: "abc")) })
    }

    @Test func secretsNeverAppearInResults() async throws {
        let server = try await RecordingServer.start(status: 401, body: #"{"error": "OAuth \#(Self.key) is not valid"}"#)
        defer { server.stop() }
        let result = try await channel(server.url).deliver(stage, to: nil)
        #expect(!"\(result)".contains(Self.key))
        #expect("\(result)".contains("HTTP 401"))
    }
}
