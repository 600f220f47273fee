import EscalationChannel
import EscalationCore
import Foundation
import Testing
import TicketChannel

@Suite("TicketChannel against a real HTTP server")
struct TicketChannelTests {
    static let token = "jira-token-2Wd7-DistinctiveValue"
    let environment = ChannelEnvironment(["JIRA_TOKEN": token])

    func channel(_ url: String, timeout: String = "60s") throws -> TicketChannel {
        let yaml = """
            api_url: \(url)
            user: bot@example.org
            api_token: ${env:JIRA_TOKEN}
            project: OPS
            issue_type: Incident
            timeout: \(timeout)
            fields:
              priority:
                name: High
              labels: [escalate, outage]
            """
        return try TicketChannel(settings: SettingsYAML.settings(yaml, channel: "tickets"), environment: environment)
    }

    let message = ChannelMessage(
        idempotencyKey: "inc-9/p1", incidentID: "inc-9", kind: .post, subject: "Refund request stuck", body: "Customer 42 waits.",
        metadata: ["link_to": "SUP-17", "field.customfield_10010": "inc-9"])

    static let created = #"{"id": "10001", "key": "OPS-{{n}}", "self": "http://x/rest/api/2/issue/10001"}"#

    @Test func settingsExamples() {
        for example in TicketChannel.descriptor.validExamples {
            #expect(SettingsYAML.settings(example).problems(for: TicketChannel.self) == [], "\(example)")
        }
        for example in TicketChannel.descriptor.invalidExamples {
            #expect(!SettingsYAML.settings(example).problems(for: TicketChannel.self).isEmpty, "\(example)")
        }
    }

    @Test func createsAnIssueAndLinksIt() async throws {
        let server = try await RecordingServer.start(
            rules: [
                .init(method: "POST", path: "/rest/api/2/issueLink", status: 201, body: ""),
                .init(method: "POST", path: "/rest/api/2/issue", status: 201, body: Self.created),
            ])
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: nil)
        #expect(result == .delivered(DeliveryReceipt(externalID: "OPS-1")))
        let requests = try server.requests()
        try #require(requests.count == 2)
        #expect(requests[0].method == "POST")
        #expect(requests[0].path == "/rest/api/2/issue")
        #expect(requests[0].headers["authorization"] == "Basic " + Data("bot@example.org:\(Self.token)".utf8).base64EncodedString())
        let fields = try #require(requests[0].json["fields"] as? [String: Any])
        #expect((fields["project"] as? [String: String]) == ["key": "OPS"])
        #expect(fields["summary"] as? String == "Refund request stuck")
        #expect(fields["description"] as? String == "Customer 42 waits.")
        #expect((fields["issuetype"] as? [String: String]) == ["name": "Incident"])
        #expect((fields["priority"] as? [String: String]) == ["name": "High"])
        #expect(fields["labels"] as? [String] == ["escalate", "outage"])
        #expect(fields["customfield_10010"] as? String == "inc-9")

        #expect(requests[1].path == "/rest/api/2/issueLink")
        #expect((requests[1].json["type"] as? [String: String]) == ["name": "Relates"])
        #expect((requests[1].json["inwardIssue"] as? [String: String]) == ["key": "OPS-1"])
        #expect((requests[1].json["outwardIssue"] as? [String: String]) == ["key": "SUP-17"])
    }

    @Test func aProjectKeyAddressWinsAndNoLinkWithoutLinkTo() async throws {
        let server = try await RecordingServer.start(status: 201, body: Self.created)
        defer { server.stop() }
        let plain = ChannelMessage(idempotencyKey: "k", incidentID: "i", body: "First line\nmore")
        #expect(try await channel(server.url).deliver(plain, to: "SUPPORT") == .delivered(DeliveryReceipt(externalID: "OPS-1")))
        let requests = try server.requests()
        #expect(requests.count == 1)
        let fields = requests.first?.json["fields"] as? [String: Any]
        #expect((fields?["project"] as? [String: String]) == ["key": "SUPPORT"])
        #expect(fields?["summary"] as? String == "First line")
    }

    @Test func aFailedLinkStillDelivers() async throws {
        let server = try await RecordingServer.start(
            rules: [
                .init(method: "POST", path: "/rest/api/2/issueLink", status: 404, body: "No issue SUP-17"),
                .init(method: "POST", path: "/rest/api/2/issue", status: 201, body: Self.created),
            ])
        defer { server.stop() }
        #expect(try await channel(server.url).deliver(message, to: nil) == .delivered(DeliveryReceipt(externalID: "OPS-1")))
    }

    @Test func aTrailingAPIPathInTheURLIsIgnored() async throws {
        let server = try await RecordingServer.start(status: 201, body: Self.created)
        defer { server.stop() }
        _ = try await channel("\(server.url)/rest/api/2").deliver(message, to: "OPS")
        #expect(try server.requests().map(\.path) == ["/rest/api/2/issue", "/rest/api/2/issueLink"])
    }

    @Test func updateComments() async throws {
        let server = try await RecordingServer.start(status: 201, body: #"{"id": "5"}"#)
        defer { server.stop() }
        let receipt = DeliveryReceipt(externalID: "OPS-7")
        let update = ChannelMessage(idempotencyKey: "inc-9/p2", incidentID: "inc-9", body: "Escalated to layer 2")
        #expect(try await channel(server.url).update(update, receipt: receipt) == .delivered(receipt))
        let request = try #require(try server.requests().first)
        #expect(request.path == "/rest/api/2/issue/OPS-7/comment")
        #expect(request.json["body"] as? String == "Escalated to layer 2")
    }

    @Test(arguments: [(429, true), (500, true), (503, true), (400, false), (403, false), (404, false)])
    func statusMapsToTypedFailure(status: Int, retryable: Bool) async throws {
        let server = try await RecordingServer.start(status: status, body: #"{"errorMessages": ["broken \#(status)"]}"#)
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: nil)
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable == retryable)
        #expect(failure.reason.contains("HTTP \(status)") && failure.reason.contains("broken \(status)"))
        #expect(try server.requests().count == 1)
    }

    @Test func refusedAndSlowAreRetryable() async throws {
        try await RecordingServer.expectRefusedAndSlowAreRetryable(refused: { try await channel($0, timeout: "1s").deliver(message, to: nil) })
    }

    @Test func secretsNeverAppearInResults() async throws {
        let credentials = Data("bot@example.org:\(Self.token)".utf8).base64EncodedString()
        let server = try await RecordingServer.start(status: 401, body: "Basic \(credentials) rejected (\(Self.token))")
        defer { server.stop() }
        let result = try await channel(server.url).deliver(message, to: nil)
        #expect(!"\(result)".contains(Self.token) && !"\(result)".contains(credentials))
        #expect("\(result)".contains("HTTP 401"))
    }
}
