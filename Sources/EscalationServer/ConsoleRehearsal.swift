import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationSimulator
import Foundation

/// A rehearsal asked for on the console's rehearse page: the form's values as typed (shown again with the answer),
/// read and checked against the policy, then run by the same `Simulator` (or `MonteCarlo`) `escalate simulate` uses.
/// Bounded: at most `maxScriptLines` script and answer lines, a horizon of at most `maxHorizonSeconds`, at most
/// `maxRuns` Monte Carlo runs and about `workBudget` timeline entries in all (about a second in a release build), and
/// at most two Monte Carlo rehearsals at once (`ConsoleRehearsalGate`), so a hostile form cannot hang the server.
struct ConsoleRehearsal: Sendable {
    /// Most script lines, and most answer lines.
    static let maxScriptLines = 50
    /// Longest script or answer line, in characters.
    static let maxLineLength = 300
    /// Longest field value, in characters.
    static let maxValueLength = 2_000
    /// Longest simulated horizon: two days.
    static let maxHorizonSeconds = 2 * 86_400
    /// Most Monte Carlo runs.
    static let maxRuns = 10_000
    /// Most timeline entries a Monte Carlo rehearsal may make over all its runs (estimated from one run).
    static let workBudget = 100_000
    /// Most entries the page lists.
    static let maxEntriesShown = 1_000

    /// Which button was pressed.
    enum Mode: String, Sendable {
        /// One rehearsal → its timeline.
        case rehearse
        /// Many runs with random answers → the distribution of time to acknowledgement.
        case monteCarlo = "monte-carlo"
    }

    /// Declared field → value as typed.
    var fields: [String: String] = [:]
    /// When the incident triggers (local time in the organisation's zone, or ISO 8601 with an offset).
    var start: String
    /// How long to simulate, e.g. `6h`.
    var until = "6h"
    /// Scripted responder lines, as `escalate simulate --respond` reads them, plus `fail:`, `answered:` and `unanswered:` lines.
    var script = ""
    /// Further fields the policy does not declare (templates and `match` may read them), `NAME=VALUE` a line.
    var extra = ""
    /// Monte Carlo answer lines, `CONTACT=P within DURATION` as `--answer` reads them.
    var answers = ""
    /// Monte Carlo runs as typed.
    var runs = "1000"
    /// Monte Carlo seed as typed.
    var seed = "1"
    /// The button pressed; nil for the blank form.
    var mode: Mode?

    /// A problem with the input: the input it concerns (its `id`, nil for the whole form) and what is wrong.
    struct Problem: Sendable, Equatable {
        /// The input's id (`field-NAME`, `start`, `until`, `script`, `answers`, `runs`, `seed`), nil for none.
        var input: String?
        /// What is wrong, naming the field or the line.
        var message: String
    }

    /// What a rehearsal gave: problems, else a timeline (rehearse) or samples (Monte Carlo).
    struct Outcome: Sendable {
        /// What was wrong with the input (nothing ran when not empty).
        var problems: [Problem] = []
        /// The simulated timeline.
        var timeline: Timeline?
        /// The Monte Carlo runs.
        var samples: MonteCarlo.Samples?
        /// Nothing ran: other Monte Carlo rehearsals took every place.
        var busy = false
    }

    /// The blank form: starts now (in the organisation's zone), and answer lines for the contacts the ladder names.
    init(policy: CompiledPolicy, graph: RuleGraph, now: Date) {
        let zone = ZonedTime.zone(graph.timezone) ?? ZonedTime.utc
        start = String(ZonedTime.iso8601(Instant(seconds: Int64(now.timeIntervalSince1970)), in: zone).prefix(16))
        answers = Self.contacts(of: policy, in: graph).map { "\($0)=0.6 within 10m" }.joined(separator: "\n")
    }

    /// The values a posted form gives (a blank horizon, runs or seed keeps the blank form's; a blank start is a problem).
    init(form: ConsoleForm, policy: CompiledPolicy, graph: RuleGraph, now: Date) {
        self.init(policy: policy, graph: graph, now: now)
        for field in policy.fields {
            if let value = form["field.\(field.name)"]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { fields[field.name] = value }
        }
        start = form.text("start") ?? ""
        until = form.text("until") ?? until
        script = form["script"] ?? ""
        extra = form["extra"] ?? ""
        answers = form["answers"] ?? ""
        runs = form.text("runs") ?? runs
        seed = form.text("seed") ?? seed
        mode = form.text("mode").flatMap(Mode.init(rawValue:)) ?? .rehearse
    }

    /// The contacts a policy's layers name directly (the default answer lines); the organisation's first few when none.
    static func contacts(of policy: CompiledPolicy, in graph: RuleGraph) -> [String] {
        var seen = Set<String>()
        let named = policy.nodes.compactMap(\.step).flatMap(\.targets).filter { $0.kind == "contact" }.map(\.ref).filter { seen.insert($0).inserted }
        return named.isEmpty ? Array(graph.contacts.prefix(5).map(\.id)) : named
    }

    /// The lines of a text area that say something: trimmed, without blank lines and `#` comments, with their 1-based numbers.
    static func lines(_ text: String) -> [(number: Int, text: String)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap { index, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (index + 1, trimmed)
        }
    }

    /// Reads and checks the form, then runs it over `graph` (the signed-in organisation's running graph); the Monte
    /// Carlo runs only with a place at `gate` (else the outcome is `busy`).
    func run(policy: CompiledPolicy, graph: RuleGraph, gate: ConsoleRehearsalGate = .shared) async -> Outcome {
        guard let mode else { return Outcome() }
        var problems: [Problem] = []
        let zone = ZonedTime.zone(graph.timezone) ?? ZonedTime.utc
        // The declared fields, checked as a trigger's are (each problem names its field).
        for (name, value) in fields where value.count > Self.maxValueLength {
            problems.append(Problem(input: "field-\(name)", message: "Field '\(name)' is longer than \(Self.maxValueLength) characters."))
        }
        for message in Engine(graph: graph).validate(policy: policy.id, fields: fields) {
            let field = policy.fields.first { message.contains("'\($0.name)'") }
            problems.append(Problem(input: field.map { "field-\($0.name)" }, message: Self.sentence(message)))
        }
        var startInstant: Instant?
        if start.isEmpty {
            problems.append(Problem(input: "start", message: "Start: give the time the incident triggers, e.g. 2026-03-09T10:00."))
        } else if let instant = Instant.parse(start, zone: zone) {
            startInstant = instant
        } else {
            problems.append(
                Problem(input: "start", message: "Start: '\(start)' is not a time; write 2026-03-09T10:00 (in \(graph.timezone)) or 2026-03-09T10:00-06:00."))
        }
        var horizon = 6 * 3_600
        if case .success(let duration) = PolicyDuration.parse(until), !duration.isBusiness, duration.seconds > 0, duration.seconds <= Self.maxHorizonSeconds {
            horizon = duration.seconds
        } else {
            problems.append(Problem(input: "until", message: "Simulate for: '\(until)' is not a duration from 1m to 2d; write e.g. 6h."))
        }
        var given = fields
        problems += readExtra(into: &given, policy: policy)
        var document = ScenarioFile(policy: policy.id, fields: given)
        problems += readScript(into: &document, zone: zone)
        var models: [AnswerModel] = []
        var runCount = 0
        var seedValue: UInt64 = 1
        if mode == .monteCarlo {
            problems += readAnswers(into: &models, graph: graph)
            if let value = Int(runs), (1...Self.maxRuns).contains(value) {
                runCount = value
            } else {
                problems.append(Problem(input: "runs", message: "Runs: '\(runs)' is not a whole number from 1 to \(Self.maxRuns)."))
            }
            if let value = UInt64(seed) {
                seedValue = value
            } else {
                problems.append(Problem(input: "seed", message: "Seed: '\(seed)' is not a whole number from 0."))
            }
        }
        guard problems.isEmpty, let startInstant else { return Outcome(problems: problems) }
        var scenario: Scenario
        do {
            scenario = try ScenarioBuilder(graph: graph).scenario(from: document, now: startInstant)
        } catch {
            return Outcome(problems: [Problem(input: "script", message: scriptProblem(error.description))])
        }
        scenario.horizonSeconds = horizon
        let timeline: Timeline
        do {
            timeline = try Simulator(graph: graph).run(scenario)
        } catch {
            // A script line the run could not place (a time relative to a field the incident lacks) is named.
            let named = scriptProblem(error.description)
            return Outcome(
                problems: [
                    named.hasPrefix("Script line") ? Problem(input: "script", message: named) : Problem(input: nil, message: Self.sentence(error.description))
                ])
        }
        guard mode == .monteCarlo else { return Outcome(timeline: timeline) }
        // One run without answers is the longest; the runs may make at most `workBudget` entries in all.
        let allowed = max(1, Self.workBudget / max(timeline.entries.count, 1))
        guard runCount <= allowed else {
            return Outcome(problems: [
                Problem(
                    input: "runs",
                    message: "Runs: one run of this rehearsal makes \(timeline.entries.count) timeline entries, so at most \(allowed) runs fit; "
                        + "ask for fewer runs or simulate a shorter time.")
            ])
        }
        guard await gate.enter() else { return Outcome(busy: true) }
        let outcome: Outcome
        do {
            outcome = Outcome(samples: try MonteCarlo(graph: graph).samples(scenario, answers: models, runs: runCount, seed: seedValue))
        } catch {
            outcome = Outcome(problems: [Problem(input: nil, message: Self.sentence(error.description))])
        }
        await gate.leave()
        return outcome
    }

    /// Reads the script lines into the scenario document: responder lines, and `fail:`, `answered:`, `unanswered:`
    /// delivery lines. Each problem names its line.
    func readScript(into document: inout ScenarioFile, zone: TimeZone) -> [Problem] {
        let lines = Self.lines(script)
        guard lines.count <= Self.maxScriptLines else {
            return [Problem(input: "script", message: "Script: \(lines.count) lines; at most \(Self.maxScriptLines).")]
        }
        var problems: [Problem] = []
        for (number, line) in lines {
            guard line.count <= Self.maxLineLength else {
                problems.append(Problem(input: "script", message: "Script line \(number): longer than \(Self.maxLineLength) characters."))
                continue
            }
            do throws(ScriptParser.ParseError) {
                if let rest = Self.after("fail:", in: line) {
                    _ = try ScriptParser.failure(rest)
                    document.fail.append(rest)
                } else if let rest = Self.after("answered:", in: line) {
                    _ = try ScriptParser.delivery(rest, what: "answered line")
                    document.answered.append(rest)
                } else if let rest = Self.after("unanswered:", in: line) {
                    _ = try ScriptParser.delivery(rest, what: "unanswered line")
                    document.unanswered.append(rest)
                } else {
                    _ = try ScriptParser.action(line, zone: zone)
                    document.respond.append(line)
                }
            } catch {
                problems.append(Problem(input: "script", message: "Script line \(number): \(error.description)"))
            }
        }
        return problems
    }

    /// Reads the further `NAME=VALUE` field lines into `fields` (a declared field keeps its input's value); each
    /// problem names its line.
    func readExtra(into fields: inout [String: String], policy: CompiledPolicy) -> [Problem] {
        let lines = Self.lines(extra)
        guard lines.count <= Self.maxScriptLines else {
            return [Problem(input: "extra", message: "More fields: \(lines.count) lines; at most \(Self.maxScriptLines).")]
        }
        var problems: [Problem] = []
        for (number, line) in lines {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains(" "), line.count <= Self.maxValueLength else {
                problems.append(Problem(input: "extra", message: "More fields line \(number): write NAME=VALUE, e.g. region=us."))
                continue
            }
            guard !policy.fields.contains(where: { $0.name == parts[0] }) else {
                problems.append(Problem(input: "extra", message: "More fields line \(number): '\(parts[0])' is declared; give it in its own input above."))
                continue
            }
            fields[parts[0]] = parts[1]
        }
        return problems
    }

    /// Reads the Monte Carlo answer lines; each problem names its line.
    func readAnswers(into models: inout [AnswerModel], graph: RuleGraph) -> [Problem] {
        let lines = Self.lines(answers)
        guard lines.count <= Self.maxScriptLines else {
            return [Problem(input: "answers", message: "Answers: \(lines.count) lines; at most \(Self.maxScriptLines).")]
        }
        var problems: [Problem] = []
        for (number, line) in lines {
            guard line.count <= Self.maxLineLength else {
                problems.append(Problem(input: "answers", message: "Answer line \(number): longer than \(Self.maxLineLength) characters."))
                continue
            }
            do throws(ScriptParser.ParseError) {
                let model = try AnswerModel.parse(line)
                guard graph.contacts.contains(where: { $0.id == model.contact }) else {
                    let known = graph.contacts.map(\.id)
                    problems.append(
                        Problem(input: "answers", message: "Answer line \(number): no contact '\(model.contact)'\(model.contact.didYouMean(known))."))
                    continue
                }
                models.append(model)
            } catch {
                problems.append(Problem(input: "answers", message: "Answer line \(number): \(error.description)"))
            }
        }
        return problems
    }

    /// A problem the scenario builder found in a script line, prefixed with that line's number: the line it quotes,
    /// else the delivery line whose channel it names.
    func scriptProblem(_ message: String) -> String {
        let lines = Self.lines(script)
        if let line = lines.first(where: { message.contains("'\($0.text)'") }) { return "Script line \(line.number): \(message)" }
        let quoted = message.components(separatedBy: "'").dropFirst().first ?? ""
        let delivery = lines.first { line in
            ["fail:", "answered:", "unanswered:"].contains { Self.after($0, in: line.text)?.split(separator: " ").first.map(String.init) == quoted }
        }
        if let delivery, !quoted.isEmpty { return "Script line \(delivery.number): \(message)" }
        return "Script: \(message)"
    }

    /// The text after a `prefix:` (case-insensitive), trimmed; nil when the line does not start with it.
    static func after(_ prefix: String, in line: String) -> String? {
        guard line.lowercased().hasPrefix(prefix) else { return nil }
        return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
    }

    /// A message as a sentence: capitalised, ending with a full stop.
    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let body = first.uppercased() + text.dropFirst()
        return body.hasSuffix(".") ? body : body + "."
    }
}
