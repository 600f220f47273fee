import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationExecutor
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import Testing

/// The simulator and the executor agree on policies using the newer constructs — a watchdog, addresses from the incident,
/// `on: trigger`, deadlines (anchored and relative, raising signals), stages posted only if another was, stages
/// requiring fields, a layer that chooses, route targets whose row a field update changes, channel groups (`all:`) and
/// channels used when the one before goes unanswered — over random sequences of acknowledgements, signals (with and
/// without data), resolves, failed deliveries and deliveries reported answered or not (a seeded generator, so a failure
/// names the sequence that broke); and replies on a channel (`alice replies "1a" via sms`), which the executor takes
/// through its inbound path and the simulator through the same `ReplyRule`.
@Suite("Simulator agreement: newer constructs")
struct NewConstructsAgreementTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org, sms: "+1-555-0101" } }
          bob: { name: Bob, addresses: { email: bob@example.org } }
        channels:
          email: { plugin: recording }
          sms: { plugin: recording }
          banner: { plugin: recording }
        templates:
          page: { subject: "Page {{ recipient.name }}", body: "{{ incident.title }}" }
          eta: { body: "Fixed by {{ incident.eta }}" }
        routes:
          by-tier:
            by: tier
            to:
              gold: { contact: alice }
            default: { contact: bob }
        policies:
          session:
            name: Session
            fields:
              session.start: { type: time, required: true }
              client_email: { type: address, kind: email, required: true }
              client_sms: { type: address, kind: sms }
              eta: { type: string }
              tier: { type: enum, values: [gold, basic] }
              tickets: { type: list }
            correlate:
              append: [tickets]
            until: [cancelled]
            layers:
              - id: owner
                notify: [{ contact: alice }]
                via: [sms, { channel: email, after: 5m }]
                template: page
                timeout: 15m
              - id: client
                notify: [{ address: [client_sms, client_email] }, { contact: bob }]
                via: [sms, { channel: email, unanswered: 3m }]
                template: page
                timeout: 20m
              - id: last
                choose:
                  - when: { fields: { tier: gold } }
                    notify: [{ route: by-tier }]
                    via: [{ all: [sms, email] }, { channel: email, unanswered: 2m }, { channel: sms, after: 10m }]
                    template: page
                  - notify: [{ route: by-tier }, { contact: alice }]
                    via: [{ all: [sms, email] }, { channel: email, unanswered: 2m }, { channel: sms, after: 10m }]
                    template: page
            stages:
              - { id: posted, on: signal, signal: confirmed, channel: banner, template: page }
              - { id: identified, on: signal, signal: identified, requires: [eta], channel: banner, template: eta }
              - { id: resolved, on: resolve, if_posted: posted, channel: banner, template: page }
            reminders:
              every: 20m
              reset_on: [update, confirmed]
              notify: [{ route: by-tier }]
              via: [email]
              template: page
            watchdogs:
              - { id: quiet, every: 25m, reset_on: [ping], notify: [{ contact: alice }], via: [email], template: page }
            deadlines:
              - id: second-message
                at: session.start - 30m
                notify: [{ address: client_email }]
                via: [email]
                template: page
              - id: auto-cancel
                at: session.start + 90m
                signal: cancelled
              - id: check-in
                after: 40m
                tasks: [{ title: Check in, assignee: { contact: alice } }]
            on:
              trigger:
                - post: [{ channel: banner, template: page }]
              report:
                - notify: [{ route: by-tier }]
                  via: [email]
                  template: page
                  tasks: [{ title: Link, assignee: { contact: alice }, per: tickets }]
        """

    /// A small deterministic generator (xorshift), so each case is reproducible from its seed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    static func scenario(seed: UInt64, graph: RuleGraph) throws -> Scenario {
        var random = Generator(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
        let zone = ZonedTime.utc
        var lines: [String] = []
        let candidates = [
            "alice acks", "bob acks", "signal confirmed", "signal identified", "signal identified eta=11:30", "alice resolves",
            "signal cancelled", "update note=x", "update tier=gold", "update tier=basic", "signal ping",
            #"alice replies "1a" via sms"#, #"bob replies "1 ack" via email"#, #"alice replies "1r" via email"#, #"bob replies "1s 30" via email"#,
            #"alice replies "1e" via sms"#, #"alice replies "1 signal confirmed" via sms"#, #"bob replies "2a" via email"#, #"bob replies "1a" via sms"#,
            #"alice replies "hello" via sms"#,
        ]
        for _ in 0..<random.next(4) {
            lines.append("\(candidates[random.next(candidates.count)]) at +\(1 + random.next(150))m")
        }
        let start = Instant(seconds: 1_795_000_020)  // a whole minute
        let sessionStart = start.adding(seconds: 60 * (random.next(120) - 20))
        var failures: [FailureRule] = []
        if random.next(2) == 0 { failures.append(try ScriptParser.failure("sms to alice")) }
        if random.next(2) == 0 { failures.append(try ScriptParser.failure("sms to +1-555-0150")) }
        // Answers, each for its own channel and recipient (so no two rules compete for one delivery).
        var scenarioAnswers: [(rule: String, answered: Bool)] = []
        for rule in ["sms to +1-555-0150", "sms to alice", "email to alice", "email to bob", "email to dana@example.org"] where random.next(3) == 0 {
            scenarioAnswers.append((rule, random.next(2) == 0))
        }
        var fields = ["session.start": ZonedTime.iso8601(sessionStart, in: zone), "client_email": "Dana <dana@example.org>"]
        if random.next(3) > 0 { fields["client_sms"] = "+1-555-0150" }
        if random.next(3) > 0 { fields["tier"] = random.next(2) == 0 ? "gold" : "basic" }
        if random.next(2) == 0 { fields["tickets"] = "T-1" }
        var reportOffsets: [(Int, [String: String])] = []
        for _ in 0..<random.next(3) {
            reportOffsets.append((60 * (1 + random.next(150)), random.next(2) == 0 ? [:] : ["tickets": "T-\(2 + random.next(3))"]))
        }
        reportOffsets.sort { $0.0 < $1.0 }
        var scenario = Scenario(
            policy: "session", title: "Seed \(seed)", fields: fields, start: start,
            script: try lines.map { try ScriptParser.action($0, zone: zone) }, failures: failures, horizonSeconds: 4 * 3_600)
        scenario.reports = reportOffsets.map(\.0)
        scenario.reportFields = reportOffsets.map(\.1)
        scenario.answered = try scenarioAnswers.filter(\.answered).map { try ScriptParser.delivery($0.rule, what: "answered") }
        scenario.unanswered = try scenarioAnswers.filter { !$0.answered }.map { try ScriptParser.delivery($0.rule, what: "unanswered") }
        return scenario
    }

    @Test("40 random event sequences: the executor queues exactly what the simulator predicts", arguments: Array(UInt64(1)...40))
    func agree(seed: UInt64) async throws {
        let organisation = PolicyLoader().load(files: [(path: "acme.yaml", text: Self.yaml)]).organisation
        let graph = GraphCompiler().compile(organisation)
        let scenario = try Self.scenario(seed: seed, graph: graph)
        let simulated = try SimulatorAgreementTests.simulate(scenario, graph: graph)
        let executed = try await SimulatorAgreementTests.execute(scenario, organisation: organisation, graph: graph)
        #expect(!simulated.isEmpty)
        #expect(executed == simulated, "seed \(seed): \(scenario.script.map(\.text)) answered \(scenario.answered) unanswered \(scenario.unanswered)\n\(PolicyTestRunner.diff(simulated, executed))")
    }
}
