import EscalationCore
import Foundation
import Yams

/// A policy test file (`policies/<org>/tests/*.yaml`): cases with an incident, a script and the expected result.
public struct PolicyTestFile: Sendable {
    /// One expected delivery: when (offset or anchored), to whom or to which channel, and which template.
    public struct Expected: Sendable, Hashable {
        /// When, as written (`+15m`, `session.start + 15m`, an instant).
        public var at: String
        /// Contact id (notifications) or nil (posts, stages).
        public var to: String?
        /// Channel id.
        public var channel: String?
        /// Template id.
        public var template: String?
        /// Where it is written.
        public var location: SourceLocation
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
        /// Expected final status (`open`, `acknowledged`, `resolved`).
        public var status: String?
        /// Expected ladder end text (e.g. `ladder exhausted`).
        public var ladder: String?
        /// Where the case is written.
        public var location: SourceLocation
    }

    /// The file path.
    public var path: String
    /// The cases.
    public var cases: [Case]

    /// Keys of a case beyond the scenario keys.
    static let caseKeys = ["name", "expect"]
    static let expectKeys = ["notifications", "posts", "status", "ladder"]
    static let itemKeys = ["at", "to", "channel", "template"]

    /// Reads a test file.
    public static func read(path: String) throws(ScenarioFile.ReadError) -> PolicyTestFile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioFile.ReadError(description: "\(path): cannot read this file")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ScenarioFile.ReadError(description: "\(path): the file is empty") }
            root = node
        } catch let error as ScenarioFile.ReadError {
            throw error
        } catch {
            throw ScenarioFile.ReadError(description: "\(path): not valid YAML: \(error)")
        }
        func location(_ node: Node) -> SourceLocation {
            SourceLocation(file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }
        guard case .mapping(let top) = root, let testsNode = top["tests"], case .sequence(let items) = testsNode else {
            throw ScenarioFile.ReadError(description: "\(path):1:1: a test file has a 'tests:' list of cases")
        }
        var cases: [Case] = []
        for item in items {
            guard case .mapping(let mapping) = item else {
                throw ScenarioFile.ReadError(description: "\(location(item)): each test is a map with name, fields, respond and expect")
            }
            let scenario = try ScenarioFile.parse(mapping: mapping, file: path, extraKeys: caseKeys)
            guard let name = mapping["name"]?.string else {
                throw ScenarioFile.ReadError(description: "\(location(item)): a test needs a 'name'")
            }
            var test = Case(name: name, scenario: scenario, location: location(item))
            if let expect = mapping["expect"] {
                guard case .mapping(let expectMap) = expect else {
                    throw ScenarioFile.ReadError(description: "\(location(expect)): 'expect' must be a map")
                }
                for (key, value) in expectMap {
                    let name = key.string ?? ""
                    switch name {
                    case "notifications": test.notifications = try expectedList(value, path: path, location: location)
                    case "posts": test.posts = try expectedList(value, path: path, location: location)
                    case "status": test.status = value.string
                    case "ladder": test.ladder = value.string
                    default:
                        throw ScenarioFile.ReadError(
                            description: "\(location(key)): unknown key '\(name)' in expect\(name.didYouMean(expectKeys)); allowed: \(expectKeys.joined(separator: ", "))")
                    }
                }
            }
            cases.append(test)
        }
        return PolicyTestFile(path: path, cases: cases)
    }

    static func expectedList(_ node: Node, path: String, location: (Node) -> SourceLocation) throws(ScenarioFile.ReadError) -> [Expected] {
        if case .sequence(let items) = node, items.isEmpty { return [] }
        guard case .sequence(let items) = node else {
            throw ScenarioFile.ReadError(description: "\(location(node)): expected a list of {at, to, channel, template}")
        }
        var result: [Expected] = []
        for item in items {
            guard case .mapping(let map) = item else {
                throw ScenarioFile.ReadError(description: "\(location(item)): each expected item is {at, to, channel, template}")
            }
            for key in map.keys where !itemKeys.contains(key.string ?? "") {
                let name = key.string ?? ""
                throw ScenarioFile.ReadError(description: "\(location(key)): unknown key '\(name)'\(name.didYouMean(itemKeys)); allowed: \(itemKeys.joined(separator: ", "))")
            }
            guard let at = map["at"]?.string else { throw ScenarioFile.ReadError(description: "\(location(item)): each expected item needs 'at'") }
            result.append(
                Expected(at: at, to: map["to"]?.string, channel: map["channel"]?.string, template: map["template"]?.string, location: location(item)))
        }
        return result
    }
}
