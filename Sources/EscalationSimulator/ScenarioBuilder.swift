import EscalationCore
import EscalationGraph
import Foundation

/// Builds a scenario from a scenario file and command-line values (flags win over the file).
public struct ScenarioBuilder: Sendable {
    /// The compiled organisation.
    public let graph: RuleGraph

    /// A builder over a graph.
    public init(graph: RuleGraph) { self.graph = graph }

    /// Why a scenario cannot be built.
    public struct BuildError: Error, CustomStringConvertible, Sendable {
        /// What is wrong and how to fix it.
        public var description: String
    }

    var zone: TimeZone { ZonedTime.zone(graph.timezone) ?? ZonedTime.utc }

    /// Merges a scenario file (optional) with flags. `now` is the default start.
    public func build(
        file: String?, policy: String?, fields: [String: String], start: String?, respond: [String], fail: [String], until: String?,
        answered: [String] = [], unanswered: [String] = [], now: Instant
    ) throws(BuildError) -> Scenario {
        var document = ScenarioFile(fields: [:], respond: [], fail: [])
        if let file {
            do { document = try ScenarioFile.read(path: file) } catch { throw BuildError(description: error.description) }
        }
        document.fields.merge(fields) { _, given in given }
        if let policy { document.policy = policy }
        if let start { document.start = start }
        if let until { document.until = until }
        document.respond += respond
        document.fail += fail
        document.answered += answered
        document.unanswered += unanswered
        return try scenario(from: document, now: now)
    }

    /// Turns a scenario document into a scenario.
    public func scenario(from document: ScenarioFile, now: Instant) throws(BuildError) -> Scenario {
        let policy = try choosePolicy(document.policy, fields: document.fields)
        var startInstant = now
        if let text = document.start {
            guard let instant = Instant.parse(text, zone: zone) else {
                throw BuildError(description: "start '\(text)' is not a time; write 2026-11-22T10:00 (in \(graph.timezone)) or with an offset")
            }
            startInstant = instant
        }
        var horizon = 6 * 3_600
        if let text = document.until {
            guard case .success(let duration) = PolicyDuration.parse(text), !duration.isBusiness, duration.seconds > 0 else {
                throw BuildError(description: "until '\(text)' is not a duration; write e.g. 6h or 2d")
            }
            horizon = duration.seconds
        }
        var script: [ScriptedAction] = []
        var failures: [FailureRule] = []
        var answered: [FailureRule] = []
        var unanswered: [FailureRule] = []
        do {
            for line in document.respond { script.append(try ScriptParser.action(line, zone: zone)) }
            for line in document.fail { failures.append(try ScriptParser.failure(line)) }
            for line in document.answered { answered.append(try ScriptParser.delivery(line, what: "answered line")) }
            for line in document.unanswered { unanswered.append(try ScriptParser.delivery(line, what: "unanswered line")) }
        } catch {
            throw BuildError(description: error.description)
        }
        for action in script {
            guard case .reply(let who, _, let channel) = action.kind else { continue }
            if graph.channel(channel) == nil {
                throw BuildError(description: "'\(action.text)': no channel '\(channel)'\(channel.didYouMean(graph.channels.map(\.id)))")
            }
            if !graph.contacts.contains(where: { $0.id == who }) {
                throw BuildError(description: "'\(action.text)': no contact '\(who)'\(who.didYouMean(graph.contacts.map(\.id)))")
            }
        }
        for (what, rules) in [("failure", failures), ("answered", answered), ("unanswered", unanswered)] {
            for rule in rules where graph.channel(rule.channel) == nil {
                throw BuildError(description: "\(what) '\(rule.channel)': no such channel\(rule.channel.didYouMean(graph.channels.map(\.id)))")
            }
        }
        var reports: [(seconds: Int, fields: [String: String])] = []
        for (index, text) in document.reports.enumerated() {
            let written = text.hasPrefix("+") ? String(text.dropFirst()) : text
            guard case .success(let duration) = PolicyDuration.parse(written), !duration.isBusiness, duration.seconds >= 0 else {
                throw BuildError(description: "report '\(text)' is not an offset from the start; write e.g. +10m")
            }
            reports.append((duration.seconds, index < document.reportFields.count ? document.reportFields[index] : [:]))
        }
        reports.sort { $0.seconds < $1.seconds }
        var scenario = Scenario(
            policy: policy, title: document.title, fields: document.fields, start: startInstant, script: script, failures: failures,
            horizonSeconds: horizon)
        scenario.reports = reports.map(\.seconds)
        scenario.reportFields = reports.map(\.fields)
        scenario.answered = answered
        scenario.unanswered = unanswered
        return scenario
    }

    /// The named policy, else the best match for the fields: decided by `PolicyRouter`, as `serve` and `route` do
    /// (when no policy matches, the rehearsal is refused, as `serve` refuses the trigger).
    func choosePolicy(_ named: String?, fields: [String: String]) throws(BuildError) -> String {
        switch PolicyRouter(graph: graph).choose(policy: named, fields: fields) {
        case .success(let id): return id
        case .failure(let failure): throw BuildError(description: failure.description)
        }
    }
}
