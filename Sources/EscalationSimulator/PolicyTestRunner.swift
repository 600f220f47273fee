import EscalationCore
import EscalationEngine
import EscalationGraph
import Foundation

/// Runs policy test files against a compiled organisation (modelled on `promtool test rules`).
public struct PolicyTestRunner: Sendable {
    /// The compiled organisation.
    public let graph: RuleGraph

    /// A runner over a graph.
    public init(graph: RuleGraph) { self.graph = graph }

    /// The result of one case.
    public struct Result: Sendable {
        /// Test file.
        public var file: String
        /// Case name.
        public var name: String
        /// Where the case is written.
        public var location: SourceLocation
        /// Problems; empty when it passed.
        public var failures: [String]
        /// Seconds the case took to run, measured by the caller (the library reads no clock); nil: not measured.
        public var seconds: Double? = nil
        /// Whether the case passed.
        public var passed: Bool { failures.isEmpty }

        /// A result (the runner makes them; JUnit and tests may too).
        public init(file: String, name: String, location: SourceLocation, failures: [String], seconds: Double? = nil) {
            self.file = file
            self.name = name
            self.location = location
            self.failures = failures
            self.seconds = seconds
        }
    }

    var zone: TimeZone { ZonedTime.zone(graph.timezone) ?? ZonedTime.utc }

    /// Runs every case of a file. `now` is the start when a case gives none.
    public func run(_ file: PolicyTestFile, now: Instant) -> [Result] {
        file.cases.map { run($0, in: file, now: now) }
    }

    /// Runs one case of a file (so that a caller can time each case). `now` is the start when the case gives none.
    public func run(_ test: PolicyTestFile.Case, in file: PolicyTestFile, now: Instant) -> Result {
        Result(file: file.path, name: test.name, location: test.location, failures: failures(of: test, now: now))
    }

    func failures(of test: PolicyTestFile.Case, now: Instant) -> [String] {
        let scenario: Scenario
        do {
            scenario = try ScenarioBuilder(graph: graph).scenario(from: test.scenario, now: now)
        } catch {
            return [error.description]
        }
        let timeline: Timeline
        do {
            timeline = try Simulator(graph: graph).run(scenario)
        } catch {
            return [error.description]
        }
        var problems: [String] = []
        if let expected = test.notifications {
            problems += compare(
                "notifications", expected: expected, actual: timeline.notifications, scenario: scenario, at: test.expectLocations["notifications"])
        }
        if let expected = test.posts {
            let kinds: Set<Timeline.Entry.Kind> = [.post, .stage, .action, .undo, .expire]
            problems += compare(
                "posts", expected: expected, actual: timeline.entries.filter { kinds.contains($0.kind) }, scenario: scenario,
                at: test.expectLocations["posts"])
        }
        if let expected = test.tasks {
            problems += compareTasks(expected, actual: timeline.tasks, scenario: scenario, at: test.expectLocations["tasks"])
        }
        if let expected = test.refusals {
            problems += compareRefusals(expected, actual: timeline.refusals, scenario: scenario, at: test.expectLocations["refusals"])
        }
        if let status = test.status, status != timeline.status {
            problems.append("\(Self.prefix(test.expectLocations["status"]))status: expected \(status), got \(timeline.status)")
        }
        if let incidents = test.incidents, incidents != timeline.incidents {
            problems.append("\(Self.prefix(test.expectLocations["incidents"]))incidents: expected \(incidents), got \(timeline.incidents)")
        }
        if let ladder = test.ladder, ladder != (timeline.ladderEnd ?? "running") {
            problems.append("\(Self.prefix(test.expectLocations["ladder"]))ladder: expected '\(ladder)', got '\(timeline.ladderEnd ?? "running")'")
        }
        return problems
    }

    /// `file:line:col: ` or nothing.
    static func prefix(_ location: SourceLocation?) -> String {
        location.map { "\($0): " } ?? ""
    }

    /// A notification or post as one comparable line.
    func line(_ entry: Timeline.Entry) -> String {
        let template = entry.kind == .notify ? entry.template : entry.template ?? "(\(entry.kind.rawValue))"
        return line(offset: entry.offset, to: entry.kind == .notify ? entry.who : nil, channel: entry.channel, template: template, incident: entry.incident)
    }

    func line(offset: Int, to: String?, channel: String?, template: String?, incident: Int? = nil) -> String {
        var text = Self.incidentPrefix(incident) + "at \(Self.offset(offset))"
        if let to { text += " to \(to)" }
        text += " via \(channel ?? "?")"
        if let template { text += " [\(template)]" }
        return text
    }

    /// `incident 2: ` for an item of a later incident; nothing for the first.
    static func incidentPrefix(_ incident: Int?) -> String {
        guard let incident, incident > 1 else { return "" }
        return "incident \(incident): "
    }

    static func offset(_ seconds: Int) -> String {
        seconds < 0 ? "-\(PolicyDuration.compact(-seconds) ?? "0m")" : "+\(PolicyDuration.compact(seconds) ?? "0m")"
    }

    /// An expected `at` as seconds from the start; `at` may be `+15m`, `FIELD + 15m` or an instant.
    func offset(of at: String, scenario: Scenario) -> Int? {
        guard let time = try? ScriptParser.time(at, zone: zone, line: at) else { return nil }
        switch time {
        case .offset(let seconds): return seconds
        case .instant(let instant): return instant.seconds(since: scenario.start)
        case .field(let name, let delta):
            guard let value = scenario.fields[name], let base = Instant.parse(value, zone: zone) else { return nil }
            return base.adding(seconds: delta).seconds(since: scenario.start)
        case .afterNotified: return nil
        }
    }

    /// The message for an `at` that cannot be read.
    static func unreadableTime(_ at: String, _ what: String, _ location: SourceLocation) -> String {
        "\(location): \(what): cannot read the expected time '\(at)'; write +15m, FIELD + 15m (a time field of the incident) or an instant"
    }

    /// Compares notifications or posts: first when, to whom, where and which template (the whole list, in time
    /// order); when those agree, the message checks of each item (cc, subject, text, contains).
    func compare(_ what: String, expected: [PolicyTestFile.Expected], actual: [Timeline.Entry], scenario: Scenario, at: SourceLocation?)
        -> [String]
    {
        var wanted: [String] = []
        for item in expected {
            guard let offset = offset(of: item.at, scenario: scenario) else { return [Self.unreadableTime(item.at, what, item.location)] }
            wanted.append(line(offset: offset, to: item.to, channel: item.channel, template: item.template, incident: item.incident))
        }
        let lines = actual.map(line)
        guard wanted == lines else { return ["\(Self.prefix(at))\(what) differ (- expected, + actual):\n" + Self.diff(wanted, lines)] }
        return zip(expected, actual).enumerated().flatMap { index, pair in
            messageProblems(pair.0, pair.1, label: "\(what) #\(index + 1) (\(lines[index]))")
        }
    }

    /// A line diff (longest common subsequence): `  same`, `- expected only`, `+ actual only`.
    public static func diff(_ expected: [String], _ actual: [String]) -> String {
        diff(expected, actual) { expected[$0] == actual[$1] }
    }

    /// A diff of two lists where `matches(i, j)` says whether expected item i is met by actual item j; a matched
    /// pair shows the actual line.
    static func diff(_ expected: [String], _ actual: [String], matches: (Int, Int) -> Bool) -> String {
        let n = expected.count
        let m = actual.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = matches(i, j) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [String] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, matches(i, j), table[i][j] == table[i + 1][j + 1] + 1 {
                lines.append("    \(actual[j])")
                i += 1
                j += 1
            } else if j < m, i == n || table[i][j + 1] >= table[i + 1][j] {
                lines.append("  + \(actual[j])")
                j += 1
            } else {
                lines.append("  - \(expected[i])")
                i += 1
            }
        }
        return lines.joined(separator: "\n")
    }
}
