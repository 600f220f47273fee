import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationPipeline
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// The simulator and the executor drive the same engine: on the same scenario they must send the same notifications
/// and posts at the same offsets. Every example scenario and every policy test case of the five seeds is checked.
@Suite("Simulator agreement")
struct SimulatorAgreementTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let seeds = ["policies/careportal-support", "policies/focus-it", "policies/hubbard-swim", "policies/idonate-incidents", "policies/mindgym-live"]
    static let epoch = Instant(seconds: 1_795_000_000)

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

    /// `#2 ` before the lines of a later incident; nothing for the first.
    static func incidentMark(_ number: Int) -> String { number > 1 ? "#\(number) " : "" }

    /// One line per queued delivery, as both sides describe it.
    static func line(offset: Int, kind: String, who: String?, channel: String, template: String?) -> String {
        "+\(offset)s \(kind) \(who.map { "\($0) via " } ?? "")\(channel) [\(template ?? "-")]"
    }

    /// What the executor queued, in queue order: every notification and post, whether or not it was delivered.
    static func lines(of item: OutboxItem, start: Instant) -> String? {
        guard let effect = try? JSONDecoder().decode(Effect.self, from: Data(item.effect.utf8)) else { return "unreadable effect" }
        let offset = item.createdAt.seconds(since: start)
        switch effect {
        case .notify(let n): return line(offset: offset, kind: "notify", who: n.contact, channel: n.channel, template: n.message.template)
        case .post(let p): return line(offset: offset, kind: "post", who: nil, channel: p.channel, template: p.message.template)
        case .postStage(_, let channel, let message, _): return line(offset: offset, kind: "stage", who: nil, channel: channel, template: message.template)
        case .applyAction(_, let channel, let message): return line(offset: offset, kind: "action", who: nil, channel: channel, template: message.template)
        case .undoAction(_, let channel): return line(offset: offset, kind: "undo", who: nil, channel: channel, template: nil)
        case .expireStage(_, let channel): return line(offset: offset, kind: "expire", who: nil, channel: channel, template: nil)
        default: return nil
        }
    }

    /// The same from the simulator's timeline, incident by incident (a later incident's lines begin `#2 `, …).
    static func simulate(_ scenario: Scenario, graph: RuleGraph) throws -> [String] {
        let kinds: [Timeline.Entry.Kind: String] = [.notify: "notify", .post: "post", .stage: "stage", .action: "action", .undo: "undo", .expire: "expire"]
        let entries = try Simulator(graph: graph).run(scenario).entries.enumerated().sorted { ($0.element.incident ?? 1, $0.offset) < ($1.element.incident ?? 1, $1.offset) }
        return entries.map(\.element).compactMap { entry in
            guard let kind = kinds[entry.kind] else { return nil }
            return incidentMark(entry.incident ?? 1)
                + line(offset: entry.offset, kind: kind, who: entry.who, channel: entry.channel ?? "?", template: entry.template)
        }
    }

    /// Drives the executor through a scenario on a manual clock and a recording channel that fails where the scenario
    /// says: scripted actions first at an instant (in script order), then due timers, delivering after each step.
    static func execute(_ scenario: Scenario, organisation: Organisation, graph: RuleGraph) async throws -> [String] {
        let log = RecordingChannel.Log()
        for rule in scenario.failures {
            log.fail(channel: rule.channel, contact: rule.contact, with: DeliveryFailure(retryable: false, reason: "scripted failure"))
        }
        // As in the simulator, a failure wins over an answer, and `unanswered` over `answered`: the log looks up its
        // answers per channel and contact, so the lists are applied least important first.
        for (rules, answer) in [(scenario.answered, DeliveryAnswer.answered), (scenario.unanswered, .unanswered)] {
            for rule in rules { log.answer(channel: rule.channel, contact: rule.contact, with: answer) }
        }
        let clock = ManualClock(scenario.start)
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([organisation]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: log.environment(), clock: clock)
        var (scripted, waiting) = try scenario.schedule(zone: ZonedTime.zone(graph.timezone) ?? ZonedTime.utc)
        // The trigger and any further reports, each at its instant: a policy's threshold opens the incident at the
        // report that reaches it, as the simulator does; while it waits, nothing is queued.
        // All events share one dedup key, so reports after the opening join the open incident, and one after its
        // resolve counts afresh and opens the next, as in the simulator.
        var opened: String?
        var events: [(at: Instant, fields: [String: String])] = ([0] + scenario.reports).enumerated().map { index, offset in
            let extra = index > 0 && index - 1 < scenario.reportFields.count ? scenario.reportFields[index - 1] : [:]
            return (scenario.start.adding(seconds: offset), scenario.fields.merging(extra) { _, new in new })
        }
        let end = scenario.start.adding(seconds: scenario.horizonSeconds)
        while opened == nil, let event = events.first, event.at <= end {
            events.removeFirst()
            clock.set(event.at)
            let reception = try await executor.receive(
                organisation: graph.organisation, policy: scenario.policy, title: scenario.title, fields: event.fields, dedupKey: "agreement")
            if case .opened(let triggered) = reception { opened = triggered.incident.id }
        }
        guard let first = opened else { return [] }
        var ids = [first]
        /// Delivers everything due now, including the fallbacks that failures cause at once; then starts the clocks of
        /// `after notified` actions for contacts notified so far.
        func settle() async throws {
            while try await executor.dispatchDue() > 0 {}
            for item in try await executor.deliveries(ids[ids.count - 1]) {
                guard let effect = try? JSONDecoder().decode(Effect.self, from: Data(item.effect.utf8)), case .notify(let n) = effect else { continue }
                for (index, entry) in waiting.enumerated().reversed() where entry.action.actor == n.contact {
                    scripted.append((item.createdAt.adding(seconds: entry.delay), entry.order, entry.action))
                    waiting.remove(at: index)
                }
            }
        }
        try await settle()
        for _ in 0..<10_000 {
            let now = clock.now()
            let nextScript = scripted.filter { $0.at >= now }.min { ($0.at, $0.order) < ($1.at, $1.order) }
            guard let next = [try await executor.nextTimer(), nextScript?.at, events.first?.at].compactMap({ $0 }).min(), next <= end else { break }
            clock.set(next)
            if let report = events.first, report.at == next {
                // A report comes before a scripted action or a timer at the same instant, as in the simulator; one after
                // the resolution counts towards (or opens) another incident.
                events.removeFirst()
                let reception = try await executor.receive(
                    organisation: graph.organisation, policy: scenario.policy, title: scenario.title, fields: report.fields, dedupKey: "agreement")
                if case .opened(let triggered) = reception, triggered.created { ids.append(triggered.incident.id) }
            } else if let nextScript, nextScript.at == next {
                scripted.removeAll { $0.order == nextScript.order && $0.at == nextScript.at }
                do {
                    if let event = nextScript.action.event(at: next) {
                        try await executor.handle(incident: ids[ids.count - 1], event: event)
                    } else if case .reply(let who, let text, let channel) = nextScript.action.kind {
                        // A reply goes through the inbound path `serve` takes, from the contact's address of the channel's kind.
                        let kind = graph.channel(channel)?.addressKind ?? channel
                        let from = graph.contacts.first { $0.id == who }?.addresses[kind] ?? ""
                        _ = await executor.answer(InboundReply(from: from, text: text, via: "\(channel) reply"), organisation: graph.organisation, channel: channel)
                    }
                } catch let error as ExecutorError where error.kind == .invalid {
                    // Refused (a signal without a field its stage requires); the simulator refuses it too.
                }
            } else {
                try await executor.fireDueTimers()
            }
            try await settle()
        }
        var result: [String] = []
        for (index, id) in ids.enumerated() {
            result += try await executor.deliveries(id).compactMap { lines(of: $0, start: scenario.start).map { incidentMark(index + 1) + $0 } }
        }
        return result
    }

    static func compare(_ scenario: Scenario, folder: String) async throws -> (simulated: [String], executed: [String]) {
        let organisation = try organisation(folder)
        let graph = GraphCompiler().compile(organisation)
        return (try simulate(scenario, graph: graph), try await execute(scenario, organisation: organisation, graph: graph))
    }

    @Test("example scenarios: the executor queues exactly what the simulator predicts", arguments: [
        ("policies/mindgym-live", "examples/facilitator-no-show.yaml", [String]()),
        ("policies/mindgym-live", "examples/facilitator-no-show.yaml", ["cdt-owner-a acks at +5m"]),
        ("policies/mindgym-live", "examples/participant-no-show.yaml", [String]()),
        ("policies/mindgym-live", "examples/tech-issues.yaml", [String]()),
        ("policies/hubbard-swim", "examples/icp-outage-and-restore.yaml", [String]()),
    ])
    func examples(folder: String, scenarioFile: String, respond: [String]) async throws {
        let graph = GraphCompiler().compile(try Self.organisation(folder))
        let scenario = try ScenarioBuilder(graph: graph).build(
            file: Self.root.appendingPathComponent(scenarioFile).path, policy: nil, fields: [:], start: nil, respond: respond, fail: [],
            until: nil, now: Self.epoch)
        let (simulated, executed) = try await Self.compare(scenario, folder: folder)
        #expect(!simulated.isEmpty)
        #expect(executed == simulated)
    }

    @Test("every policy test case of every seed: the executor queues exactly what the simulator predicts", arguments: seeds)
    func seedTests(folder: String) async throws {
        let files = PolicyTestDiscovery.testFiles(in: Self.root.appendingPathComponent(folder).path)
        #expect(!files.isEmpty)
        let graph = GraphCompiler().compile(try Self.organisation(folder))
        var checked = 0
        for file in files {
            for test in try PolicyTestFile.read(path: file).cases {
                let scenario = try ScenarioBuilder(graph: graph).scenario(from: test.scenario, now: Self.epoch)
                let (simulated, executed) = try await Self.compare(scenario, folder: folder)
                #expect(!simulated.isEmpty || test.status == "waiting", "\(test.name)")
                #expect(executed == simulated, "\((file as NSString).lastPathComponent): \(test.name)\n\(PolicyTestRunner.diff(simulated, executed))")
                checked += 1
            }
        }
        #expect(checked > 0)
    }
}
