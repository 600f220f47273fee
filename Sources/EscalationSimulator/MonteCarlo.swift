import EscalationCore
import EscalationEngine
import EscalationGraph
import Foundation

/// `jessie=0.7 within 5m`: when first notified, the contact acknowledges with probability 0.7, uniformly within 5 minutes.
public struct AnswerModel: Sendable, Hashable {
    /// Contact id.
    public var contact: String
    /// Probability of answering.
    public var probability: Double
    /// Longest delay in seconds.
    public var withinSeconds: Int

    /// A model for one contact.
    public init(contact: String, probability: Double, withinSeconds: Int) {
        self.contact = contact
        self.probability = probability
        self.withinSeconds = withinSeconds
    }

    /// Parses `CONTACT=P within DURATION`.
    public static func parse(_ text: String) throws(ScriptParser.ParseError) -> AnswerModel {
        let parts = text.split(separator: " ").map(String.init)
        let pair = parts.first?.split(separator: "=").map(String.init) ?? []
        guard pair.count == 2, let probability = Double(pair[1]), (0...1).contains(probability), parts.count == 3, parts[1] == "within",
            case .success(let duration) = PolicyDuration.parse(parts[2]), !duration.isBusiness
        else {
            throw ScriptParser.ParseError(description: "cannot read the answer model '\(text)': write 'CONTACT=P within DURATION', e.g. 'jessie=0.7 within 5m'")
        }
        return AnswerModel(contact: pair[0], probability: probability, withinSeconds: duration.seconds)
    }
}

/// Runs a scenario many times with random answers drawn from a seeded generator; reproducible for a seed.
public struct MonteCarlo: Sendable {
    /// The compiled organisation.
    public let graph: RuleGraph

    /// A Monte Carlo runner.
    public init(graph: RuleGraph) { self.graph = graph }

    /// The distribution over runs.
    public struct Report: Codable, Sendable, Hashable {
        /// Runs.
        public var runs: Int
        /// Seed.
        public var seed: UInt64
        /// Runs that ended acknowledged.
        public var acknowledged: Int
        /// Time to acknowledgement percentiles (seconds), over acknowledged runs.
        public var p50: Int?, p90: Int?, p99: Int?
        /// Who acknowledged, with counts.
        public var acknowledgers: [String: Int]
        /// Notifications per run: mean and max.
        public var meanNotifications: Double
        /// Most notifications in one run.
        public var maxNotifications: Int
        /// Contacts woken (notified) per run, with counts of runs.
        public var woken: [String: Int]

        /// A text report.
        public func text() -> String {
            func time(_ seconds: Int?) -> String { seconds.flatMap { PolicyDuration.compact($0) } ?? (seconds == 0 ? "0s" : "never") }
            let never = runs - acknowledged
            var lines = [
                "Monte Carlo: \(runs) runs, seed \(seed)",
                "time to acknowledgement: p50 \(time(p50)), p90 \(time(p90)), p99 \(time(p99)); never acknowledged in \(never) runs (\(String(format: "%.1f", Double(never) * 100 / Double(max(runs, 1))))%)",
                "acknowledged by:",
            ]
            for (who, count) in acknowledgers.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append("  \(who): \(count) (\(String(format: "%.1f", Double(count) * 100 / Double(max(runs, 1))))%)")
            }
            lines.append("woken (notified at least once):")
            for (who, count) in woken.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append("  \(who): \(count) runs (\(String(format: "%.1f", Double(count) * 100 / Double(max(runs, 1))))%)")
            }
            lines.append("notifications per run: mean \(String(format: "%.2f", meanNotifications)), max \(maxNotifications)")
            return lines.joined(separator: "\n") + "\n"
        }

        /// A JSON report.
        public func json() -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
        }
    }

    /// Runs `runs` simulations; `workers` above 1 simulates distinct runs on every core (the report is the same).
    public func run(_ scenario: Scenario, answers: [AnswerModel], runs: Int, seed: UInt64, workers: Int = 1) throws(Simulator.ScenarioError)
        -> Report
    {
        try samples(scenario, answers: answers, runs: runs, seed: seed, reusesRuns: true, workers: workers).samples.report
    }

    /// Runs `runs` simulations and keeps what each gave (the report's figures, and the distribution a chart draws).
    public func samples(_ scenario: Scenario, answers: [AnswerModel], runs: Int, seed: UInt64) throws(Simulator.ScenarioError) -> Samples {
        try samples(scenario, answers: answers, runs: runs, seed: seed, reusesRuns: true).samples
    }

    /// What one run gave the report.
    struct Outcome: Sendable {
        var acknowledgedAfter: Int?
        var acknowledgedBy: String?
        var woken: Set<String>
        var notifications: Int
    }

    /// The most distinct runs remembered (each a few strings): enough for every whole-second delay of a few models.
    static let rememberedRuns = 50_000
    /// Runs drawn and simulated together; bounds the memory a large `--runs` takes.
    static let chunk = 4_096

    /// `samples`; with `reusesRuns`, a run whose drawn answers equal an earlier run's takes that run's outcome instead
    /// of being simulated again. A run is a pure function of the scenario and its answers (the engine reads no clock
    /// and draws nothing), so the samples are the same either way: with delays drawn in whole seconds, most runs
    /// repeat one already made (every run in which nobody answers is the same run). The answers are drawn in run
    /// order from one generator, so `workers` (above 1: distinct runs simulated on every core) changes nothing either.
    /// Also says how many runs were simulated.
    public func samples(_ scenario: Scenario, answers: [AnswerModel], runs: Int, seed: UInt64, reusesRuns: Bool, workers: Int = 1)
        throws(Simulator.ScenarioError) -> (samples: Samples, simulated: Int)
    {
        var generator = SplitMix64(seed: seed)
        // Runs report who was paged and who answered when, never a message: messages are not rendered.
        let simulator = Simulator(graph: graph, rendersMessages: false)
        var samples = Samples(runs: max(runs, 0), seed: seed)
        var simulated = 0
        var known: [[String: Int]: Outcome] = [:]
        var done = 0
        while done < max(runs, 0) {
            let count = min(Self.chunk, runs - done)
            let drawn: [[String: Int]] = (0..<count).map { _ in
                var decisions: [String: Int] = [:]
                for model in answers where generator.nextDouble() < model.probability {
                    decisions[model.contact] = Int(generator.nextDouble() * Double(model.withinSeconds))
                }
                return decisions
            }
            // The runs to simulate in this chunk: each distinct new one once (every one without reuse).
            var pending: [[String: Int]] = []
            var slot: [Int] = []
            var firstSlot: [[String: Int]: Int] = [:]
            for decisions in drawn {
                if reusesRuns, known[decisions] != nil {
                    slot.append(-1)
                } else if reusesRuns, let earlier = firstSlot[decisions] {
                    slot.append(earlier)
                } else {
                    firstSlot[decisions] = pending.count
                    slot.append(pending.count)
                    pending.append(decisions)
                }
            }
            // The scenario's fields are the same in every run: checked on the very first.
            let outcomes = try simulate(pending, scenario: scenario, simulator: simulator, validateFirst: done == 0, workers: workers)
            simulated += pending.count
            for (index, decisions) in drawn.enumerated() {
                let outcome: Outcome
                if slot[index] >= 0 {
                    outcome = outcomes[slot[index]]
                    if reusesRuns, known.count < Self.rememberedRuns { known[decisions] = outcome }
                } else if let remembered = known[decisions] {
                    outcome = remembered
                } else {
                    continue
                }
                if let by = outcome.acknowledgedBy, let after = outcome.acknowledgedAfter {
                    samples.delays.append(after)
                    samples.acknowledgers[by, default: 0] += 1
                }
                for who in outcome.woken { samples.woken[who, default: 0] += 1 }
                samples.notificationCounts.append(outcome.notifications)
            }
            done += count
        }
        samples.delays.sort()
        return (samples, simulated)
    }

    /// Simulates runs with the given answers, in order; the first validates the scenario's fields when asked. With more
    /// than one worker, the runs after the first are shared out over the cores.
    private func simulate(_ runs: [[String: Int]], scenario: Scenario, simulator: Simulator, validateFirst: Bool, workers: Int)
        throws(Simulator.ScenarioError) -> [Outcome]
    {
        @Sendable func one(_ decisions: [String: Int], validate: Bool) throws(Simulator.ScenarioError) -> Outcome {
            let timeline = try simulator.run(
                scenario,
                respond: { notification, _ in
                    guard let delay = decisions[notification.contact] else { return nil }
                    return ScriptedAction(kind: .acknowledge(by: notification.contact), time: .offset(delay), text: "\(notification.contact) answers")
                }, validate: validate)
            return Outcome(
                acknowledgedAfter: timeline.acknowledgedAfter, acknowledgedBy: timeline.acknowledgedBy,
                woken: Set(timeline.notifications.compactMap(\.who)), notifications: timeline.notifications.count)
        }
        guard let first = runs.first else { return [] }
        var outcomes = [try one(first, validate: validateFirst)]
        let rest = Array(runs.dropFirst())
        guard workers > 1, rest.count > 1 else {
            for decisions in rest { outcomes.append(try one(decisions, validate: false)) }
            return outcomes
        }
        let results = ParallelMap.map(rest.count) { index in
            Result { () throws(Simulator.ScenarioError) in try one(rest[index], validate: false) }
        }
        for result in results { outcomes.append(try result.get()) }
        return outcomes
    }
}
