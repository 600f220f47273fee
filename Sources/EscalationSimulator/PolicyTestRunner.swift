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
        /// Seconds the case took to run (for JUnit).
        public var passed: Bool { failures.isEmpty }
    }

    var zone: TimeZone { ZonedTime.zone(graph.timezone) ?? ZonedTime.utc }

    /// Runs every case of a file. `now` is the start when a case gives none.
    public func run(_ file: PolicyTestFile, now: Instant) -> [Result] {
        file.cases.map { test in
            Result(file: file.path, name: test.name, location: test.location, failures: failures(of: test, now: now))
        }
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
            let actual = timeline.notifications.map { line(offset: $0.offset, to: $0.who, channel: $0.channel, template: $0.template) }
            problems += compare("notifications", expected: expected, actual: actual, scenario: scenario)
        }
        if let expected = test.posts {
            let kinds: Set<Timeline.Entry.Kind> = [.post, .stage, .action, .undo, .expire]
            let actual = timeline.entries.filter { kinds.contains($0.kind) }.map {
                line(offset: $0.offset, to: nil, channel: $0.channel, template: $0.template ?? "(\($0.kind.rawValue))")
            }
            problems += compare("posts", expected: expected, actual: actual, scenario: scenario)
        }
        if let status = test.status, status != timeline.status {
            problems.append("status: expected \(status), got \(timeline.status)")
        }
        if let ladder = test.ladder, ladder != (timeline.ladderEnd ?? "running") {
            problems.append("ladder: expected '\(ladder)', got '\(timeline.ladderEnd ?? "running")'")
        }
        return problems
    }

    func line(offset: Int, to: String?, channel: String?, template: String?) -> String {
        var text = "at \(Self.offset(offset))"
        if let to { text += " to \(to)" }
        text += " via \(channel ?? "?")"
        if let template { text += " [\(template)]" }
        return text
    }

    static func offset(_ seconds: Int) -> String {
        seconds < 0 ? "-\(PolicyDuration.compact(-seconds) ?? "0m")" : "+\(PolicyDuration.compact(seconds) ?? "0m")"
    }

    /// Expected items as offsets; `at` may be `+15m`, `FIELD + 15m` or an instant.
    func expectedLines(_ expected: [PolicyTestFile.Expected], scenario: Scenario) -> [String]? {
        var lines: [String] = []
        for item in expected {
            guard let time = try? ScriptParser.time(item.at, zone: zone, line: item.at) else { return nil }
            let offset: Int
            switch time {
            case .offset(let seconds): offset = seconds
            case .instant(let instant): offset = instant.seconds(since: scenario.start)
            case .field(let name, let delta):
                guard let value = scenario.fields[name], let base = Instant.parse(value, zone: zone) else { return nil }
                offset = base.adding(seconds: delta).seconds(since: scenario.start)
            case .afterNotified: return nil
            }
            lines.append(line(offset: offset, to: item.to, channel: item.channel, template: item.template))
        }
        return lines
    }

    func compare(_ what: String, expected: [PolicyTestFile.Expected], actual: [String], scenario: Scenario) -> [String] {
        guard let wanted = expectedLines(expected, scenario: scenario) else {
            return ["\(what): an expected 'at' cannot be read; write +15m, FIELD + 15m or an instant"]
        }
        guard wanted != actual else { return [] }
        return ["\(what) differ (- expected, + actual):\n" + Self.diff(wanted, actual)]
    }

    /// A line diff (longest common subsequence): `  same`, `- expected only`, `+ actual only`.
    public static func diff(_ expected: [String], _ actual: [String]) -> String {
        let n = expected.count
        let m = actual.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = expected[i] == actual[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [String] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, expected[i] == actual[j] {
                lines.append("    \(expected[i])")
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

    /// JUnit XML for a set of results, one test suite per file.
    public static func junit(_ results: [Result]) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let files = results.map(\.file).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"escalate test\" tests=\"\(results.count)\" failures=\"\(results.filter { !$0.passed }.count)\">\n"
        for file in files {
            let cases = results.filter { $0.file == file }
            xml += "  <testsuite name=\"\(escape(file))\" tests=\"\(cases.count)\" failures=\"\(cases.filter { !$0.passed }.count)\">\n"
            for result in cases {
                xml += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(result.name))\""
                if result.passed {
                    xml += "/>\n"
                } else {
                    let text = result.failures.joined(separator: "\n")
                    xml += ">\n      <failure message=\"\(escape(result.failures.first?.components(separatedBy: "\n").first ?? "failed"))\">\(escape(text))</failure>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }
}
