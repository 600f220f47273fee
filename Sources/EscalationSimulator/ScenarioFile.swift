import EscalationCore
import Foundation
import Yams

/// A scenario written as YAML or JSON (`escalate simulate --incident FILE`, and each case of a policy test file).
public struct ScenarioFile: Sendable {
    /// Policy id, if the file names one.
    public var policy: String?
    /// Incident title.
    public var title: String?
    /// Start time as written.
    public var start: String?
    /// Fields (lists joined with ", ").
    public var fields: [String: String]
    /// Responder lines.
    public var respond: [String]
    /// Failure lines.
    public var fail: [String]
    /// Deliveries answered (`phone`, `phone to pat`).
    public var answered: [String] = []
    /// Deliveries not answered (`phone`, `phone to pat`).
    public var unanswered: [String] = []
    /// Horizon as written (`6h`).
    public var until: String?
    /// Further trigger events with the same fields, as offsets from the start (`+10m`), for policies with a
    /// `threshold`: the incident opens at the event that reaches the count, as `serve` does.
    public var reports: [String] = []
    /// Fields each report brings (aligned with `reports`; empty for a report written as an offset only).
    public var reportFields: [[String: String]] = []

    /// A scenario document.
    public init(
        policy: String? = nil, title: String? = nil, start: String? = nil, fields: [String: String], respond: [String] = [], fail: [String] = [],
        until: String? = nil, reports: [String] = []
    ) {
        self.policy = policy
        self.title = title
        self.start = start
        self.fields = fields
        self.respond = respond
        self.fail = fail
        self.until = until
        self.reports = reports
    }

    /// Keys a scenario may have.
    public static let keys = ["policy", "title", "start", "fields", "respond", "fail", "answered", "unanswered", "until", "reports"]

    /// Why a scenario file cannot be read: `file:line:col: message`.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        /// The located message.
        public var description: String
    }

    /// Reads a scenario file; a file that is only a flat map of fields is accepted too.
    public static func read(path: String) throws(ReadError) -> ScenarioFile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "\(path): cannot read this file")
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw ReadError(description: "\(path): the file is empty") }
            node = composed
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(description: "\(path): not valid YAML or JSON: \(error)")
        }
        guard case .mapping(let mapping) = node else { throw ReadError(description: "\(path):1:1: a scenario must be a map") }
        let isFlat = !mapping.keys.contains { $0.string == "fields" }
        return try parse(mapping: mapping, file: path, flat: isFlat)
    }

    static func location(_ file: String, _ node: Node) -> String {
        "\(file):\(node.mark?.line ?? 1):\(node.mark?.column ?? 1)"
    }

    /// Reads a scenario from a mapping (also used for policy test cases, which add their own keys).
    public static func parse(mapping: Node.Mapping, file: String, flat: Bool = false, extraKeys: [String] = []) throws(ReadError)
        -> ScenarioFile
    {
        var scenario = ScenarioFile(fields: [:], respond: [], fail: [])
        if flat {
            scenario.fields = try fieldMap(.mapping(mapping), file: file)
            return scenario
        }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            switch name {
            case "policy": scenario.policy = try scalar(value, file: file, key: name)
            case "title": scenario.title = try scalar(value, file: file, key: name)
            case "start": scenario.start = try scalar(value, file: file, key: name)
            case "until": scenario.until = try scalar(value, file: file, key: name)
            case "fields": scenario.fields = try fieldMap(value, file: file)
            case "respond": scenario.respond = try lines(value, file: file, key: name)
            case "fail": scenario.fail = try lines(value, file: file, key: name)
            case "answered": scenario.answered = try lines(value, file: file, key: name)
            case "unanswered": scenario.unanswered = try lines(value, file: file, key: name)
            case "reports":
                let items: [Node]
                if case .sequence(let sequence) = value { items = Array(sequence) } else { items = [value] }
                for item in items {
                    if case .mapping(let report) = item {
                        guard let atNode = report["at"] else {
                            throw ReadError(description: "\(location(file, item)): a report needs 'at', e.g. '{ at: +40m, fields: { customer_tickets: [CS-3] } }'")
                        }
                        let at = try scalar(atNode, file: file, key: "at")
                        for (reportKey, _) in report where !["at", "fields"].contains(reportKey.string ?? "") {
                            throw ReadError(description: "\(location(file, reportKey)): unknown key '\(reportKey.string ?? "?")' in a report; allowed: at, fields")
                        }
                        scenario.reports.append(at)
                        if let fieldsNode = report["fields"] {
                            scenario.reportFields.append(try fieldMap(fieldsNode, file: file))
                        } else {
                            scenario.reportFields.append([:])
                        }
                    } else {
                        scenario.reports.append(try scalar(item, file: file, key: name))
                        scenario.reportFields.append([:])
                    }
                }
            default:
                guard extraKeys.contains(name) else {
                    throw ReadError(
                        description: "\(location(file, key)): unknown key '\(name)'\(name.didYouMean(keys + extraKeys)); allowed: \((keys + extraKeys).joined(separator: ", "))")
                }
            }
        }
        return scenario
    }

    static func scalar(_ node: Node, file: String, key: String) throws(ReadError) -> String {
        guard case .scalar(let value) = node else { throw ReadError(description: "\(location(file, node)): '\(key)' must be text") }
        return value.string
    }

    static func lines(_ node: Node, file: String, key: String) throws(ReadError) -> [String] {
        if case .scalar(let value) = node { return [value.string] }
        guard case .sequence(let items) = node else { throw ReadError(description: "\(location(file, node)): '\(key)' must be a list of lines") }
        var result: [String] = []
        for item in items { result.append(try scalar(item, file: file, key: key)) }
        return result
    }

    static func fieldMap(_ node: Node, file: String) throws(ReadError) -> [String: String] {
        guard case .mapping(let mapping) = node else { throw ReadError(description: "\(location(file, node)): 'fields' must be a map") }
        return IncidentFieldsReader.flatten(mapping)
    }
}
