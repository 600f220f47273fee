import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// The simulator and the executor drive the same engine: on the same scenario they must deliver the same
/// notifications at the same offsets.
@Suite("Simulator agreement", .serialized)
struct SimulatorAgreementTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The seed organisation with every channel switched to the recording plugin.
    static func organisation(_ folder: String) throws -> Organisation {
        var organisation = try #require(try PolicyLoader().load(paths: [root.appendingPathComponent(folder).path]).first?.organisation)
        organisation.channels = organisation.channels.map { channel in
            var copy = channel
            copy.plugin = Located("recording", at: channel.plugin.location)
            copy.settings = nil
            return copy
        }
        return organisation
    }

    /// Drives the executor through a scenario on a manual clock: scripted actions and timers in time order.
    static func execute(_ scenario: Scenario, organisation: Organisation) async throws -> [String] {
        RecordingChannel.log = RecordingChannel.Log()
        let clock = ManualClock(scenario.start)
        let store = InMemoryIncidentStore()
        let executor = Executor(
            store: store, policies: PolicySet([organisation]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: ChannelEnvironment([:]), clock: clock)
        let id = try await executor.trigger(
            organisation: GraphCompiler().compile(organisation).organisation, policy: scenario.policy, title: scenario.title,
            fields: scenario.fields, dedupKey: nil
        ).incident.id
        let end = scenario.start.adding(seconds: scenario.horizonSeconds)
        var script = scenario.script.compactMap { action -> (Instant, ScriptedAction)? in
            guard case .offset(let seconds) = action.time else { return nil }
            return (scenario.start.adding(seconds: seconds), action)
        }
        try await executor.dispatchDue()
        for _ in 0..<1_000 {
            let nextTimer = try await executor.nextTimer()
            let nextScript = script.first?.0
            guard let next = [nextTimer, nextScript].compactMap({ $0 }).min(), next <= end else { break }
            clock.set(next)
            if let (at, action) = script.first, at == next {
                script.removeFirst()
                if case .acknowledge(let by) = action.kind { try await executor.handle(incident: id, event: .acknowledge(by: by)) }
                if case .resolve(let by, let scope, let outcome) = action.kind {
                    try await executor.handle(incident: id, event: .resolve(by: by, scope: scope, outcome: outcome))
                }
            } else {
                try await executor.fireDueTimers()
            }
            try await executor.dispatchDue()
        }
        var lines: [String] = []
        for item in try await executor.deliveries(id) where item.status == .delivered {
            guard let effect = try? JSONDecoder().decode(Effect.self, from: Data(item.effect.utf8)), case .notify(let n) = effect else { continue }
            lines.append("+\(item.createdAt.seconds(since: scenario.start))s \(n.contact) via \(n.channel) [\(n.message.template ?? "-")]")
        }
        return lines
    }

    static func simulate(_ scenario: Scenario, organisation: Organisation) throws -> [String] {
        try Simulator(graph: GraphCompiler().compile(organisation)).run(scenario).notifications.map {
            "+\($0.offset)s \($0.who ?? "?") via \($0.channel ?? "?") [\($0.template ?? "-")]"
        }
    }

    @Test("seed scenarios: the executor delivers exactly what the simulator predicts", arguments: [
        ("policies/mindgym-live", "examples/facilitator-no-show.yaml", [String]()),
        ("policies/mindgym-live", "examples/facilitator-no-show.yaml", ["cdt-owner-a acks at +5m"]),
        ("policies/mindgym-live", "examples/participant-no-show.yaml", [String]()),
        ("policies/mindgym-live", "examples/tech-issues.yaml", [String]()),
        ("policies/hubbard-swim", "examples/icp-outage-and-restore.yaml", [String]()),
    ])
    func agreement(folder: String, scenarioFile: String, respond: [String]) async throws {
        let organisation = try Self.organisation(folder)
        let graph = GraphCompiler().compile(organisation)
        var scenario = try ScenarioBuilder(graph: graph).build(
            file: Self.root.appendingPathComponent(scenarioFile).path, policy: nil, fields: [], start: nil, respond: respond, fail: [],
            until: nil, now: Instant(seconds: 0))
        scenario.script = scenario.script.filter { if case .offset = $0.time { return true } else { return false } }
        let simulated = try Self.simulate(scenario, organisation: organisation)
        let executed = try await Self.execute(scenario, organisation: organisation)
        #expect(!simulated.isEmpty)
        #expect(executed == simulated)
    }
}
