import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import Foundation
import Testing

/// Rehearsals with answers on a channel (`alice replies "1a" via sms at +3m`): read by the rule `serve` applies to
/// a reply, so a rehearsal refuses and acts exactly as production, and the timeline says who answered via what.
@Suite("Simulator: scripted replies on a channel")
struct ReplyScriptTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { sms: "+1-555-0101", email: alice@example.org } }
          bob: { name: Bob, addresses: { email: bob@example.org } }
          desk: { name: Desk, kind: shared, addresses: { sms: "+1-555-0199" } }
        channels:
          sms: { plugin: sms, settings: { account: AC1, auth_token: "${env:T}", from: "+15550100" } }
          email: { plugin: email, settings: { host: smtp.example.org, from: ops@example.org } }
        templates:
          page: { body: "{{ incident.title }}. Reply {{ incident.reply_code }}a to acknowledge" }
        policies:
          outage:
            name: Outage
            outcomes: [fixed, false-alarm]
            on: { signal: { deployed: [{ notify: [{ contact: bob }], via: [email], template: page }] } }
            layers:
              - { id: first, notify: [{ contact: alice }], via: [sms], template: page, timeout: 10m }
              - { id: second, notify: [{ contact: bob }], via: [email], template: page, timeout: 10m }
        """

    static func run(_ respond: [String]) throws -> Timeline {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics)")
        let graph = GraphCompiler().compile(loaded.organisation)
        let scenario = try ScenarioBuilder(graph: graph).build(
            file: nil, policy: "outage", fields: [:], start: "2026-03-04T10:00", respond: respond, fail: [], until: "1h", now: Instant(seconds: 0))
        return try Simulator(graph: graph).run(scenario)
    }

    @Test("a reply with the code acknowledges, and the timeline says who and via what; the page carries the code")
    func acknowledges() throws {
        let timeline = try Self.run([#"alice replies "1A" via sms at +3m"#])
        #expect(timeline.status == "acknowledged")
        #expect(timeline.acknowledgedBy == "alice")
        let entry = try #require(timeline.entries.first { $0.kind == .acknowledge })
        #expect(entry.offset == 180 && entry.who == "alice")
        #expect(entry.detail.hasPrefix("acknowledged by alice via sms reply 1A"), "\(entry.detail)")
        #expect(timeline.entries.first { $0.kind == .notify }?.body?.contains("Reply 1a to acknowledge") == true)
        #expect(!timeline.entries.contains { $0.kind == .notify && $0.who == "bob" }, "the ladder stopped")
    }

    @Test("resolve with an outcome, snooze, escalate and a signal, each as serve reads them")
    func commands() throws {
        let resolved = try Self.run([#"alice replies "1r fixed" via sms at +1m"#])
        #expect(resolved.status == "resolved")
        let escalated = try Self.run([#"alice replies "1e" via sms at +1m"#])
        #expect(escalated.entries.contains { $0.kind == .notify && $0.who == "bob" && $0.offset == 60 })
        let signalled = try Self.run([#"bob replies "1 deployed" via email at +1m"#])
        #expect(signalled.entries.contains { $0.kind == .signal && $0.detail.hasPrefix("signalled deployed by bob via email reply 1 deployed") })
        let snoozed = try Self.run([#"alice replies "1s 30" via sms at +1m"#])
        #expect(snoozed.entries.contains { $0.kind == .snooze && $0.detail.hasPrefix("snoozed for 30 minutes by alice") })
    }

    @Test("an unknown sender, no code, another code, no command, an outcome the policy lacks and a shared contact are refused")
    func refusals() throws {
        let timeline = try Self.run([
            #"bob replies "1a" via sms at +1m"#, #"alice replies "ack" via sms at +2m"#, #"alice replies "7a" via sms at +3m"#,
            #"alice replies "call me" via sms at +4m"#, #"alice replies "1r bogus" via sms at +5m"#, #"desk replies "1a" via sms at +6m"#,
        ])
        #expect(timeline.status == "open")
        #expect(
            timeline.refusals.map { "+\($0.offset / 60)m " + ($0.detail.split(separator: ":").first.map(String.init) ?? "") } == [
                "+1m refused", "+2m refused", "+3m refused", "+4m refused", "+5m refused", "+6m refused",
            ])
        let details = timeline.refusals.map(\.detail)
        for (index, fragment) in [
            "unknown_sender", "Which incident?", "No open incident has the code 7", "'call' is not a command", "'bogus' is not an outcome",
            "You cannot acknowledge",
        ].enumerated() {
            #expect(details[index].contains(fragment), "\(details[index])")
        }
    }

    @Test("a misspelt channel or contact is an error that says what exists")
    func unknownNames() throws {
        #expect(throws: (any Error).self) { try Self.run([#"alice replies "1a" via smss at +1m"#]) }
        #expect(throws: (any Error).self) { try Self.run([#"alicia replies "1a" via sms at +1m"#]) }
        #expect(throws: (any Error).self) { try Self.run([#"alice replies via sms at +1m"#]) }
    }
}
