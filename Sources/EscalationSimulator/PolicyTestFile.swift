import EscalationCore
import Foundation
import EscalationYAML

/// A policy test file (`policies/<org>/tests/*.yaml`): cases with an incident, a script and the expected result.
public struct PolicyTestFile: Sendable {
    /// One expected delivery: when (offset or anchored), to whom or to which channel, which template, and optionally
    /// who is copied and what the message says.
    public struct Expected: Sendable, Hashable {
        /// When, as written (`+15m`, `session.start + 15m`, an instant).
        public var at: String
        /// Contact id (notifications) or nil (posts, stages).
        public var to: String?
        /// Channel id.
        public var channel: String?
        /// Template id.
        public var template: String?
        /// Copied contacts (ids or addresses), compared in any order; nil: not checked.
        public var cc: [String]? = nil
        /// The exact subject line (for a template without one: the first line of the body); nil: not checked.
        public var subject: String? = nil
        /// The exact rendered body (trailing white space ignored on both sides); nil: not checked.
        public var text: String? = nil
        /// Fragments the rendered body must contain; nil: not checked.
        public var contains: [String]? = nil
        /// Which incident of the case it belongs to (2, 3, …: one opened by a later event after a resolve); nil: the first.
        public var incident: Int? = nil
        /// Where it is written.
        public var location: SourceLocation
        /// Where each key of the item is written (to locate a mismatch of `cc`, `text`, …).
        public var keyLocations: [String: SourceLocation] = [:]

        /// Whether the item checks more than when, to whom, where and which template.
        public var checksMessage: Bool { cc != nil || subject != nil || text != nil || contains != nil }
    }

    /// One test case.
    public struct Case: Sendable {
        /// Name.
        public var name: String
        /// The scenario.
        public var scenario: ScenarioFile
        /// Expected notifications, in time order (exactly these, no more).
        public var notifications: [Expected]?
        /// Expected posts, stage messages, actions and expiries on channels (exactly these).
        public var posts: [Expected]?
        /// Expected tasks, in time order (exactly these).
        public var tasks: [ExpectedTask]?
        /// Expected refused signals, in time order (exactly these); nil: refusals are not checked.
        public var refusals: [ExpectedRefusal]?
        /// Expected final status (`open`, `acknowledged`, `resolved`).
        public var status: String?
        /// Expected ladder end text (e.g. `ladder exhausted`).
        public var ladder: String?
        /// Expected number of incidents opened (a later event after a resolve opens another).
        public var incidents: Int? = nil
        /// Where the case is written.
        public var location: SourceLocation
        /// Where each key of `expect` is written (`notifications`, `tasks`, …).
        public var expectLocations: [String: SourceLocation] = [:]
    }

    /// The file path.
    public var path: String
    /// The cases.
    public var cases: [Case]

    /// Keys of a case beyond the scenario keys.
    static let caseKeys = ["name", "expect"]
    static let expectKeys = ["notifications", "posts", "tasks", "refusals", "status", "ladder", "incidents"]

    /// Reads a test file.
    public static func read(path: String) throws(ScenarioFile.ReadError) -> PolicyTestFile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioFile.ReadError(description: "\(path): cannot read this file")
        }
        return try parse(text: text, path: path)
    }

    /// Reads a test file's text; `path` names it in locations.
    public static func parse(text: String, path: String) throws(ScenarioFile.ReadError) -> PolicyTestFile {
        let document: YAMLDocument
        do {
            document = try YAMLComposer.compose(text)
        } catch {
            throw ScenarioFile.ReadError(description: "\(path): not valid YAML: \(error.message(in: text))")
        }
        guard let root = document.root else { throw ScenarioFile.ReadError(description: "\(path): the file is empty") }
        let reader = PolicyTestExpectationReader(path: path, document: document)
        let top = document.isMapping(root) ? document.mergedPairs(root) : []
        guard document.isMapping(root), let testsNode = document.value(in: top, forKey: "tests"), document.isSequence(testsNode) else {
            throw ScenarioFile.ReadError(description: "\(path):1:1: a test file has a 'tests:' list of cases")
        }
        for (key, _) in top {
            let name = ScenarioFile.scalarText(key, in: document)
            guard name != "tests" else { continue }
            throw ScenarioFile.ReadError(
                description: "\(reader.location(key)): unknown key '\(name ?? "")'\((name ?? "").didYouMean(["tests"])); a test file has only 'tests:'")
        }
        var cases: [Case] = []
        for item in document.items(testsNode) {
            guard document.isMapping(item) else {
                throw ScenarioFile.ReadError(description: "\(reader.location(item)): each test is a map with name, fields, respond and expect")
            }
            let scenario = try ScenarioFile.parse(mapping: item, in: document, file: path, extraKeys: caseKeys)
            let pairs = document.mergedPairs(item)
            guard let nameNode = document.value(in: pairs, forKey: "name"), let name = ScenarioFile.scalarText(nameNode, in: document) else {
                throw ScenarioFile.ReadError(description: "\(reader.location(item)): a test needs a 'name'")
            }
            var test = Case(name: name, scenario: scenario, location: reader.location(item))
            if let expect = document.value(in: pairs, forKey: "expect") {
                guard document.isMapping(expect) else {
                    throw ScenarioFile.ReadError(description: "\(reader.location(expect)): 'expect' must be a map")
                }
                for (key, value) in document.mergedPairs(expect) {
                    let name = ScenarioFile.scalarText(key, in: document) ?? ""
                    test.expectLocations[name] = reader.location(key)
                    switch name {
                    case "notifications": test.notifications = try reader.deliveries(value, keys: PolicyTestExpectationReader.notificationKeys)
                    case "posts": test.posts = try reader.deliveries(value, keys: PolicyTestExpectationReader.postKeys)
                    case "tasks": test.tasks = try reader.tasks(value)
                    case "refusals": test.refusals = try reader.refusals(value)
                    case "status": test.status = try reader.text(value, key: name)
                    case "ladder": test.ladder = try reader.text(value, key: name)
                    case "incidents": test.incidents = try reader.count(value, key: name)
                    default:
                        throw ScenarioFile.ReadError(
                            description: "\(reader.location(key)): unknown key '\(name)' in expect\(name.didYouMean(expectKeys)); allowed: \(expectKeys.joined(separator: ", "))")
                    }
                }
            }
            cases.append(test)
        }
        return PolicyTestFile(path: path, cases: cases)
    }
}
