import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationExecutor
import EscalationGraph
import EscalationPipeline
import EscalationPolicy
import EscalationSimulator
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// `simulate`, `serve` and `route` take one routing decision, made by `PolicyRouter`: the same policy for the same
/// fields, the same refusal when none matches, and the same threshold admission.
@Suite("Routing agreement")
struct RoutingAgreementTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
        channels:
          email: { plugin: recording }
        policies:
          database:
            name: Database
            match: { service: db }
            priority: 10
            layers: [{ id: first, notify: [{ contact: alice }], via: [email] }]
          web:
            name: Web
            match: { service: [web, db] }
            priority: 5
            layers: [{ id: first, notify: [{ contact: alice }], via: [email] }]
          web-too:
            name: Web too
            match: { service: web }
            priority: 5
            layers: [{ id: first, notify: [{ contact: alice }], via: [email] }]
          reports:
            name: Customer reports
            match: { service: app }
            threshold: { count: 2, within: 30m, unless: { source: monitoring } }
            layers: [{ id: first, notify: [{ contact: alice }], via: [email] }]
        """

    static let start = Instant(seconds: 1_795_000_000)

    /// What one side decided: the policy an incident opened on, "waiting" or "refused".
    enum Decision: Hashable, CustomStringConvertible {
        case opened(String)
        case waiting
        case refused

        var description: String {
            switch self {
            case .opened(let policy): "opened \(policy)"
            case .waiting: "waiting"
            case .refused: "refused"
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var fields: [String: String]
        /// Offsets in seconds of further events with the same fields (threshold cases).
        var reports: [Int] = []
        var expected: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no policy matches", fields: ["service": "mail"], expected: "refused"),
        Case(name: "one match", fields: ["service": "app", "source": "monitoring"], expected: "opened reports"),
        Case(name: "several matches: the highest priority wins", fields: ["service": "db"], expected: "opened database"),
        Case(name: "several matches with equal priority: file order wins", fields: ["service": "web"], expected: "opened web"),
        Case(name: "threshold not reached", fields: ["service": "app", "source": "customer"], expected: "waiting"),
        Case(name: "threshold reached by a second event in the window", fields: ["service": "app", "source": "customer"], reports: [600], expected: "opened reports"),
        Case(name: "a second event outside the window does not reach the threshold", fields: ["service": "app", "source": "customer"], reports: [1_800], expected: "waiting"),
        Case(name: "unless holds: opens at once", fields: ["service": "app", "source": "monitoring"], expected: "opened reports"),
    ]

    static func graph() -> RuleGraph {
        PolicyPipeline().run(files: [(path: "acme.yaml", text: yaml)]).graph
    }

    /// `simulate`: the scenario builder routes, the simulator admits.
    static func simulate(_ graph: RuleGraph, _ test: Case) -> Decision {
        let document = ScenarioFile(fields: test.fields, respond: [], fail: [], reports: test.reports.map { "+\($0 / 60)m" })
        guard let scenario = try? ScenarioBuilder(graph: graph).scenario(from: document, now: start),
            let timeline = try? Simulator(graph: graph).run(scenario)
        else { return .refused }
        return timeline.status == "waiting" ? .waiting : .opened(timeline.policy)
    }

    /// `serve`: the executor receives each event in turn on a manual clock.
    static func serve(_ graph: RuleGraph, _ test: Case) async throws -> Decision {
        let clock = ManualClock(start)
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet(graphs: [graph]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: RecordingChannel.Log().environment(), clock: clock)
        var decision = Decision.refused
        for offset in [0] + test.reports {
            clock.set(start.adding(seconds: offset))
            do {
                switch try await executor.receive(organisation: graph.organisation, policy: nil, title: nil, fields: test.fields, dedupKey: nil) {
                case .opened(let triggered): return .opened(triggered.incident.state.policy)
                case .counted: decision = .waiting
                }
            } catch let error as ExecutorError {
                #expect(error.kind == .invalid, "\(error)")
                return .refused
            }
        }
        return decision
    }

    /// `route`: the decision it prints (it shows a single event, so thresholds are not counted).
    static func route(_ graph: RuleGraph, _ test: Case) -> String? { PolicyRouter(graph: graph).route(test.fields).winner }

    @Test("simulate and serve take the same decision on every edge case, and route names the same policy", arguments: cases)
    func edgeCases(_ test: Case) async throws {
        let graph = Self.graph()
        let simulated = Self.simulate(graph, test)
        let served = try await Self.serve(graph, test)
        #expect(simulated.description == test.expected)
        #expect(served.description == test.expected)
        if case .opened(let policy) = served { #expect(Self.route(graph, test) == policy) }
        if test.expected == "refused" { #expect(Self.route(graph, test) == nil) }
    }

    @Test("on every seed policy, simulate, serve and route pick the same policy for the fields of each example and test")
    func seeds() async throws {
        let root = SimulatorAgreementTests.root
        var checked = 0
        for folder in SimulatorAgreementTests.seeds {
            let organisation = try SimulatorAgreementTests.organisation(folder)
            let graph = GraphCompiler().compile(organisation)
            let tests = try PolicyTestDiscovery.testFiles(in: root.appendingPathComponent(folder).path).flatMap { try PolicyTestFile.read(path: $0).cases }
            for test in tests {
                var unnamed = test.scenario
                unnamed.policy = nil
                let routed = PolicyRouter(graph: graph).route(unnamed.fields).winner
                let simulated = (try? ScenarioBuilder(graph: graph).scenario(from: unnamed, now: Self.start))?.policy
                #expect(simulated == routed, "\(folder) '\(test.name)': simulate \(simulated ?? "refused"), route \(routed ?? "none")")
                if let named = test.scenario.policy {
                    // Named: every side takes the named policy.
                    let served = try await Self.serve(graph, Case(name: test.name, fields: test.scenario.fields, expected: ""))
                    let viaName = try ScenarioBuilder(graph: graph).scenario(from: test.scenario, now: Self.start).policy
                    #expect(viaName == named)
                    if case .opened(let policy) = served { #expect(policy == routed, "\(folder) '\(test.name)'") }
                }
                checked += 1
            }
        }
        #expect(checked > 20)
    }
}

extension RoutingAgreementTests {
    @Test("the router's fast choice equals the explained decision's winner on every edge case")
    func fastPathAgrees() {
        let router = PolicyRouter(graph: Self.graph())
        for test in Self.cases {
            let chosen = try? router.choose(policy: nil, fields: test.fields).get()
            #expect(chosen == router.route(test.fields).winner, "\(test.name)")
        }
    }
}
