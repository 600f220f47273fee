import EscalationCore
import EscalationGraph
import Foundation

extension PolicyTestRunner {
    /// What an item's `cc`, `subject`, `text` and `contains` find wrong with the delivery it was paired with.
    func messageProblems(_ expected: PolicyTestFile.Expected, _ actual: Timeline.Entry, label: String) -> [String] {
        guard expected.checksMessage else { return [] }
        func at(_ key: String) -> String { Self.prefix(expected.keyLocations[key] ?? expected.location) }
        var problems: [String] = []
        if let cc = expected.cc {
            let wanted = cc.map { address(of: $0, channel: actual.channel) }.sorted()
            let got = (actual.cc ?? []).sorted()
            if wanted != got {
                problems.append(
                    "\(at("cc"))\(label): cc differs: expected [\(cc.joined(separator: ", "))] (\(wanted.joined(separator: ", "))), "
                        + "got [\(got.joined(separator: ", "))]")
            }
        }
        if let subject = expected.subject, subject != (actual.subject ?? "") {
            problems.append("\(at("subject"))\(label): subject differs:\n  - \(subject)\n  + \(actual.subject ?? "(none)")")
        }
        let body = actual.body ?? ""
        if let text = expected.text, Self.trimmed(text) != Self.trimmed(body) {
            let diff = Self.diff(Self.trimmed(text).components(separatedBy: "\n"), Self.trimmed(body).components(separatedBy: "\n"))
            problems.append("\(at("text"))\(label): text differs (- expected, + actual body):\n\(diff)")
        }
        for fragment in expected.contains ?? [] where !body.contains(fragment) {
            let shown = Self.trimmed(body).components(separatedBy: "\n").map { "    | \($0)" }.joined(separator: "\n")
            problems.append("\(at("contains"))\(label): the body does not contain \"\(fragment)\"; it is:\n\(shown)")
        }
        return problems
    }

    /// A cc item as the address a notification on `channel` carries: a contact id becomes its address for the
    /// channel; anything else (an address) stays as written.
    func address(of item: String, channel: String?) -> String {
        guard let contact = graph.contact(item), let kind = channel.flatMap(graph.channel)?.addressKind, let address = contact.addresses[kind]
        else { return item }
        return address
    }

    /// Text without trailing white space (a YAML block ends with a newline; so do most template bodies).
    static func trimmed(_ text: String) -> String {
        var result = text
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }

    /// Compares tasks, the whole list in time order: `at` and, when given, the title and the assignees (any order).
    func compareTasks(_ expected: [PolicyTestFile.ExpectedTask], actual: [Timeline.Entry], scenario: Scenario, at: SourceLocation?) -> [String] {
        var offsets: [Int] = []
        for item in expected {
            guard let offset = offset(of: item.at, scenario: scenario) else { return [Self.unreadableTime(item.at, "tasks", item.location)] }
            offsets.append(offset)
        }
        let assignees = actual.map { ($0.who ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        func taskLine(_ offset: Int, _ title: String?, _ people: [String]?, _ incident: Int?) -> String {
            var text = Self.incidentPrefix(incident) + "at \(Self.offset(offset)) task"
            text += title.map { " '\($0)'" } ?? " (any title)"
            if let people { text += " for \(people.isEmpty ? "nobody" : people.sorted().joined(separator: ", "))" }
            return text
        }
        let wanted = expected.enumerated().map { taskLine(offsets[$0.offset], $0.element.title, $0.element.assignees, $0.element.incident) }
        let lines = actual.enumerated().map { taskLine($0.element.offset, $0.element.subject ?? "", assignees[$0.offset], $0.element.incident) }
        func matches(_ i: Int, _ j: Int) -> Bool {
            let item = expected[i]
            return offsets[i] == actual[j].offset && (item.incident ?? 1) == (actual[j].incident ?? 1) && (item.title == nil || item.title == actual[j].subject)
                && (item.assignees == nil || item.assignees?.sorted() == assignees[j].sorted())
        }
        guard expected.count != actual.count || !expected.indices.allSatisfy({ matches($0, $0) }) else { return [] }
        return ["\(Self.prefix(at))tasks differ (- expected, + actual):\n" + Self.diff(wanted, lines, matches: matches)]
    }

    /// Compares refused signals, the whole list in time order: `at`, and every `contains` fragment in the reason.
    func compareRefusals(_ expected: [PolicyTestFile.ExpectedRefusal], actual: [Timeline.Entry], scenario: Scenario, at: SourceLocation?)
        -> [String]
    {
        var offsets: [Int] = []
        for item in expected {
            guard let offset = offset(of: item.at, scenario: scenario) else { return [Self.unreadableTime(item.at, "refusals", item.location)] }
            offsets.append(offset)
        }
        let wanted = expected.enumerated().map { index, item in
            "at \(Self.offset(offsets[index])) refused"
                + (item.contains.isEmpty ? "" : " containing " + item.contains.map { "\"\($0)\"" }.joined(separator: " and "))
        }
        let lines = actual.map { "at \(Self.offset($0.offset)) \($0.detail)" }
        func matches(_ i: Int, _ j: Int) -> Bool {
            offsets[i] == actual[j].offset && expected[i].contains.allSatisfy { actual[j].detail.dropFirst(Timeline.refusedPrefix.count).contains($0) }
        }
        guard expected.count != actual.count || !expected.indices.allSatisfy({ matches($0, $0) }) else { return [] }
        return ["\(Self.prefix(at))refusals differ (- expected, + actual):\n" + Self.diff(wanted, lines, matches: matches)]
    }
}
