import EscalationCore
import EscalationYAML

/// Reads the items under a test case's `expect:` with located errors (`file:line:col: …`) and hints.
struct PolicyTestExpectationReader {
    /// The test file, for locations.
    let path: String
    /// The composed test file.
    let document: YAMLDocument

    static let notificationKeys = ["at", "to", "channel", "template", "cc", "subject", "text", "contains", "incident"]
    static let postKeys = ["at", "channel", "template", "subject", "text", "contains", "incident"]
    static let taskKeys = ["at", "title", "assignees", "incident"]
    static let refusalKeys = ["at", "contains"]

    typealias ReadError = ScenarioFile.ReadError

    func location(_ node: YAMLNode) -> SourceLocation {
        let mark = document.mark(node)
        return SourceLocation(file: path, line: mark.line, column: mark.column)
    }

    /// A scalar value.
    func text(_ node: YAMLNode, key: String) throws(ReadError) -> String {
        guard document.isScalar(node) else { throw ReadError(description: "\(location(node)): '\(key)' must be text") }
        return document.string(node)
    }

    /// A whole number of at least 1 (an incident's number, a count of incidents).
    func count(_ node: YAMLNode, key: String) throws(ReadError) -> Int {
        guard document.isScalar(node), let number = Int(document.string(node)), number >= 1, number <= 1_000 else {
            throw ReadError(description: "\(location(node)): '\(key)' must be a whole number from 1 to 1000, e.g. \(key): 2")
        }
        return number
    }

    /// One text or a list of texts.
    func texts(_ node: YAMLNode, key: String) throws(ReadError) -> [String] {
        if document.isScalar(node) { return [document.string(node)] }
        guard document.isSequence(node) else {
            throw ReadError(description: "\(location(node)): '\(key)' must be text or a list of texts")
        }
        var result: [String] = []
        for item in document.items(node) { result.append(try text(item, key: key)) }
        return result
    }

    /// The items of a list, each a map (with its pairs, `<<` merges applied) whose keys are among `keys` and which has
    /// `at`.
    func maps(_ node: YAMLNode, keys: [String], what: String) throws(ReadError) -> [(YAMLNode, [YAMLDocument.Pair])] {
        let shape = "{\(keys.joined(separator: ", "))}"
        guard document.isSequence(node) else { throw ReadError(description: "\(location(node)): expected a list of \(shape)") }
        var result: [(YAMLNode, [YAMLDocument.Pair])] = []
        for item in document.items(node) {
            guard document.isMapping(item) else { throw ReadError(description: "\(location(item)): each expected \(what) is \(shape)") }
            let map = document.mergedPairs(item)
            for (key, _) in map {
                let name = ScenarioFile.scalarText(key, in: document) ?? ""
                guard !keys.contains(name) else { continue }
                throw ReadError(
                    description: "\(location(key)): unknown key '\(name)' in an expected \(what)\(name.didYouMean(keys)); allowed: \(keys.joined(separator: ", "))")
            }
            guard document.value(in: map, forKey: "at") != nil else { throw ReadError(description: "\(location(item)): each expected \(what) needs 'at'") }
            result.append((item, map))
        }
        return result
    }

    /// Notifications (`keys` = `notificationKeys`) or posts (`postKeys`).
    func deliveries(_ node: YAMLNode, keys: [String]) throws(ReadError) -> [PolicyTestFile.Expected] {
        var result: [PolicyTestFile.Expected] = []
        for (item, map) in try maps(node, keys: keys, what: keys.contains("to") ? "notification" : "post") {
            func optional(_ key: String) throws(ReadError) -> String? {
                guard let value = document.value(in: map, forKey: key) else { return nil }
                return try text(value, key: key)
            }
            var expected = PolicyTestFile.Expected(
                at: try optional("at") ?? "", to: try optional("to"), channel: try optional("channel"), template: try optional("template"),
                location: location(item))
            expected.subject = try optional("subject")
            expected.text = try optional("text")
            if let value = document.value(in: map, forKey: "cc") { expected.cc = try texts(value, key: "cc") }
            if let value = document.value(in: map, forKey: "contains") { expected.contains = try texts(value, key: "contains") }
            if let value = document.value(in: map, forKey: "incident") { expected.incident = try count(value, key: "incident") }
            for (key, _) in map {
                expected.keyLocations[ScenarioFile.scalarText(key, in: document) ?? ""] = location(key)
            }
            result.append(expected)
        }
        return result
    }

    /// Tasks: `{at, title, assignees}`.
    func tasks(_ node: YAMLNode) throws(ReadError) -> [PolicyTestFile.ExpectedTask] {
        var result: [PolicyTestFile.ExpectedTask] = []
        for (item, map) in try maps(node, keys: Self.taskKeys, what: "task") {
            var task = PolicyTestFile.ExpectedTask(at: "", title: nil, assignees: nil, location: location(item))
            if let value = document.value(in: map, forKey: "at") { task.at = try text(value, key: "at") }
            if let value = document.value(in: map, forKey: "title") { task.title = try text(value, key: "title") }
            if let value = document.value(in: map, forKey: "assignees") { task.assignees = try texts(value, key: "assignees") }
            if let value = document.value(in: map, forKey: "incident") { task.incident = try count(value, key: "incident") }
            result.append(task)
        }
        return result
    }

    /// Refusals: `{at, contains}`.
    func refusals(_ node: YAMLNode) throws(ReadError) -> [PolicyTestFile.ExpectedRefusal] {
        var result: [PolicyTestFile.ExpectedRefusal] = []
        for (item, map) in try maps(node, keys: Self.refusalKeys, what: "refusal") {
            var refusal = PolicyTestFile.ExpectedRefusal(at: "", contains: [], location: location(item))
            if let value = document.value(in: map, forKey: "at") { refusal.at = try text(value, key: "at") }
            if let value = document.value(in: map, forKey: "contains") { refusal.contains = try texts(value, key: "contains") }
            result.append(refusal)
        }
        return result
    }
}
