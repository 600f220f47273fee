import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import Foundation
import Testing

/// A rehearsal follows a second incident: an event with the incident's key after it was resolved opens a new one,
/// as `serve` does; policy tests address its deliveries with `incident: 2`.
@Suite("Policy tests: a second incident after a resolve")
struct SecondIncidentTests {
    static let organisation = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          pat: { name: Pat, addresses: { email: pat@example.org } }
        channels:
          email: { plugin: email }
        templates:
          page: { subject: "Outage at {{ incident.site }}", body: "Incident {{ incident.id }}" }
        policies:
          outage:
            name: Outage
            fields:
              site: { type: string, required: true }
            layers:
              - id: first
                notify: [{ contact: pat }]
                via: [email]
                template: page
                timeout: 30m
        """

    static func run(reports: String, expect: String) throws -> PolicyTestRunner.Result {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: organisation)])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty)
        let graph = GraphCompiler().compile(loaded.organisation)
        let text = """
            tests:
              - name: case
                policy: outage
                start: 2026-03-04T10:00
                until: 1h
                fields: { site: Sandy }
                reports: \(reports)
                respond: ["pat resolves at +10m"]
                expect:
            \(expect)
            """
        let file = try PolicyTestFile.parse(text: text, path: "acme/tests/outage.yaml")
        return try #require(PolicyTestRunner(graph: graph).run(file, now: Instant(seconds: 0)).first)
    }

    @Test("a report after the resolve opens incident 2, whose pages are expected with incident: 2")
    func secondIncidentPasses() throws {
        let result = try Self.run(
            reports: "[+20m]",
            expect: """
                      notifications:
                        - { at: +0m, to: pat, channel: email, template: page, contains: "Incident SIM-1" }
                        - { at: +20m, to: pat, channel: email, template: page, incident: 2, contains: "Incident SIM-1-2" }
                      incidents: 2
                      status: open
                """)
        #expect(result.passed, "\(result.failures)")
    }

    @Test("without incident: 2 the later page does not match, and a wrong count of incidents fails")
    func secondIncidentMustBeNamed() throws {
        let unnamed = try Self.run(
            reports: "[+20m]",
            expect: """
                      notifications:
                        - { at: +0m, to: pat, channel: email, template: page }
                        - { at: +20m, to: pat, channel: email, template: page }
                """)
        #expect(!unnamed.passed)
        #expect(unnamed.failures.joined().contains("  + incident 2: at +20m to pat via email [page]\n  - at +20m to pat via email [page]"), "\(unnamed.failures)")
        let count = try Self.run(reports: "[+20m]", expect: "      incidents: 1")
        #expect(count.failures == ["acme/tests/outage.yaml:10:7: incidents: expected 1, got 2"])
    }

    @Test("a report while the incident is open is deduplicated: one incident")
    func reportWhileOpenIsDeduplicated() throws {
        let result = try Self.run(reports: "[+5m]", expect: "      incidents: 1\n      status: resolved")
        #expect(result.passed, "\(result.failures)")
    }

    @Test("incident: must be a whole number, located")
    func badIncidentNumber() {
        let text = """
            tests:
              - name: case
                fields: { site: Sandy }
                expect:
                  notifications:
                    - { at: +0m, incident: two }
            """
        do {
            _ = try PolicyTestFile.parse(text: text, path: "t.yaml")
            Issue.record("no error")
        } catch {
            #expect(error.description == "t.yaml:6:32: 'incident' must be a whole number from 1 to 1000, e.g. incident: 2")
        }
    }
}
