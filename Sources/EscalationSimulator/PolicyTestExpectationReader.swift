import EscalationCore
import Yams

/// Reads the items under a test case's `expect:` with located errors (`file:line:col: …`) and hints.
struct PolicyTestExpectationReader {
    /// The test file, for locations.
    let path: String

    static let notificationKeys = ["at", "to", "channel", "template", "cc", "subject", "text", "contains", "incident"]
    static let postKeys = ["at", "channel", "template", "subject", "text", "contains", "incident"]
    static let taskKeys = ["at", "title", "assignees", "incident"]
    static let refusalKeys = ["at", "contains"]

    typealias ReadError = ScenarioFile.ReadError

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// A scalar value.
    func text(_ node: Node, key: String) throws(ReadError) -> String {
        guard case .scalar(let value) = node else { throw ReadError(description: "\(location(node)): '\(key)' must be text") }
        return value.string
    }

    /// A whole number of at least 1 (an incident's number, a count of incidents).
    func count(_ node: Node, key: String) throws(ReadError) -> Int {
        guard case .scalar(let value) = node, let number = Int(value.string), number >= 1, number <= 1_000 else {
            throw ReadError(description: "\(location(node)): '\(key)' must be a whole number from 1 to 1000, e.g. \(key): 2")
        }
        return number
    }

    /// One text or a list of texts.
    func texts(_ node: Node, key: String) throws(ReadError) -> [String] {
        if case .scalar(let value) = node { return [value.string] }
        guard case .sequence(let items) = node else {
            throw ReadError(description: "\(location(node)): '\(key)' must be text or a list of texts")
        }
        var result: [String] = []
        for item in items { result.append(try text(item, key: key)) }
        return result
    }

    /// The items of a list, each a map whose keys are among `keys` and which has `at`.
    func maps(_ node: Node, keys: [String], what: String) throws(ReadError) -> [(Node, Node.Mapping)] {
        let shape = "{\(keys.joined(separator: ", "))}"
        guard case .sequence(let items) = node else { throw ReadError(description: "\(location(node)): expected a list of \(shape)") }
        var result: [(Node, Node.Mapping)] = []
        for item in items {
            guard case .mapping(let map) = item else { throw ReadError(description: "\(location(item)): each expected \(what) is \(shape)") }
            for key in map.keys where !keys.contains(key.string ?? "") {
                let name = key.string ?? ""
                throw ReadError(
                    description: "\(location(key)): unknown key '\(name)' in an expected \(what)\(name.didYouMean(keys)); allowed: \(keys.joined(separator: ", "))")
            }
            guard map["at"] != nil else { throw ReadError(description: "\(location(item)): each expected \(what) needs 'at'") }
            result.append((item, map))
        }
        return result
    }

    /// Notifications (`keys` = `notificationKeys`) or posts (`postKeys`).
    func deliveries(_ node: Node, keys: [String]) throws(ReadError) -> [PolicyTestFile.Expected] {
        var result: [PolicyTestFile.Expected] = []
        for (item, map) in try maps(node, keys: keys, what: keys.contains("to") ? "notification" : "post") {
            func optional(_ key: String) throws(ReadError) -> String? {
                guard let value = map[key] else { return nil }
                return try text(value, key: key)
            }
            var expected = PolicyTestFile.Expected(
                at: try optional("at") ?? "", to: try optional("to"), channel: try optional("channel"), template: try optional("template"),
                location: location(item))
            expected.subject = try optional("subject")
            expected.text = try optional("text")
            if let value = map["cc"] { expected.cc = try texts(value, key: "cc") }
            if let value = map["contains"] { expected.contains = try texts(value, key: "contains") }
            if let value = map["incident"] { expected.incident = try count(value, key: "incident") }
            for (key, _) in map { expected.keyLocations[key.string ?? ""] = location(key) }
            result.append(expected)
        }
        return result
    }

    /// Tasks: `{at, title, assignees}`.
    func tasks(_ node: Node) throws(ReadError) -> [PolicyTestFile.ExpectedTask] {
        var result: [PolicyTestFile.ExpectedTask] = []
        for (item, map) in try maps(node, keys: Self.taskKeys, what: "task") {
            var task = PolicyTestFile.ExpectedTask(at: "", title: nil, assignees: nil, location: location(item))
            if let value = map["at"] { task.at = try text(value, key: "at") }
            if let value = map["title"] { task.title = try text(value, key: "title") }
            if let value = map["assignees"] { task.assignees = try texts(value, key: "assignees") }
            if let value = map["incident"] { task.incident = try count(value, key: "incident") }
            result.append(task)
        }
        return result
    }

    /// Refusals: `{at, contains}`.
    func refusals(_ node: Node) throws(ReadError) -> [PolicyTestFile.ExpectedRefusal] {
        var result: [PolicyTestFile.ExpectedRefusal] = []
        for (item, map) in try maps(node, keys: Self.refusalKeys, what: "refusal") {
            var refusal = PolicyTestFile.ExpectedRefusal(at: "", contains: [], location: location(item))
            if let value = map["at"] { refusal.at = try text(value, key: "at") }
            if let value = map["contains"] { refusal.contains = try texts(value, key: "contains") }
            result.append(refusal)
        }
        return result
    }
}
