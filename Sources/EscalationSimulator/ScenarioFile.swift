import EscalationCore
import Foundation
import EscalationYAML

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
        let document: YAMLDocument
        do {
            document = try YAMLComposer.compose(text)
        } catch {
            throw ReadError(description: "\(path): not valid YAML or JSON: \(error.message(in: text))")
        }
        guard let root = document.root else { throw ReadError(description: "\(path): the file is empty") }
        guard document.isMapping(root) else { throw ReadError(description: "\(path):1:1: a scenario must be a map") }
        let isFlat = !document.mergedPairs(root).contains { scalarText($0.key, in: document) == "fields" }
        return try parse(mapping: root, in: document, file: path, flat: isFlat)
    }

    static func location(_ file: String, _ node: YAMLNode, in document: YAMLDocument) -> String {
        let mark = document.mark(node)
        return "\(file):\(mark.line):\(mark.column)"
    }

    /// A scalar's text; nil for a list or a map (a key's name, a test's name).
    static func scalarText(_ node: YAMLNode, in document: YAMLDocument) -> String? {
        document.isScalar(node) ? document.string(node) : nil
    }

    /// Reads a scenario from a mapping of a composed document, `<<` merges applied (also used for policy test cases,
    /// which add their own keys).
    public static func parse(mapping: YAMLNode, in document: YAMLDocument, file: String, flat: Bool = false, extraKeys: [String] = [])
        throws(ReadError) -> ScenarioFile
    {
        var scenario = ScenarioFile(fields: [:], respond: [], fail: [])
        if flat {
            scenario.fields = try fieldMap(mapping, in: document, file: file)
            return scenario
        }
        for (key, value) in document.mergedPairs(mapping) {
            guard let name = scalarText(key, in: document) else { continue }
            switch name {
            case "policy": scenario.policy = try scalar(value, in: document, file: file, key: name)
            case "title": scenario.title = try scalar(value, in: document, file: file, key: name)
            case "start": scenario.start = try scalar(value, in: document, file: file, key: name)
            case "until": scenario.until = try scalar(value, in: document, file: file, key: name)
            case "fields": scenario.fields = try fieldMap(value, in: document, file: file)
            case "respond": scenario.respond = try lines(value, in: document, file: file, key: name)
            case "fail": scenario.fail = try lines(value, in: document, file: file, key: name)
            case "answered": scenario.answered = try lines(value, in: document, file: file, key: name)
            case "unanswered": scenario.unanswered = try lines(value, in: document, file: file, key: name)
            case "reports":
                let items = document.isSequence(value) ? document.items(value) : [value]
                for item in items {
                    if document.isMapping(item) {
                        let report = document.mergedPairs(item)
                        guard let atNode = document.value(in: report, forKey: "at") else {
                            throw ReadError(description: "\(location(file, item, in: document)): a report needs 'at', e.g. '{ at: +40m, fields: { customer_tickets: [CS-3] } }'")
                        }
                        let at = try scalar(atNode, in: document, file: file, key: "at")
                        for (reportKey, _) in report {
                            let reportName = scalarText(reportKey, in: document)
                            guard !["at", "fields"].contains(reportName ?? "") else { continue }
                            throw ReadError(
                                description: "\(location(file, reportKey, in: document)): unknown key '\(reportName ?? "?")' in a report; allowed: at, fields")
                        }
                        scenario.reports.append(at)
                        if let fieldsNode = document.value(in: report, forKey: "fields") {
                            scenario.reportFields.append(try fieldMap(fieldsNode, in: document, file: file))
                        } else {
                            scenario.reportFields.append([:])
                        }
                    } else {
                        scenario.reports.append(try scalar(item, in: document, file: file, key: name))
                        scenario.reportFields.append([:])
                    }
                }
            default:
                guard extraKeys.contains(name) else {
                    throw ReadError(
                        description: "\(location(file, key, in: document)): unknown key '\(name)'\(name.didYouMean(keys + extraKeys)); allowed: \((keys + extraKeys).joined(separator: ", "))")
                }
            }
        }
        return scenario
    }

    static func scalar(_ node: YAMLNode, in document: YAMLDocument, file: String, key: String) throws(ReadError) -> String {
        guard document.isScalar(node) else { throw ReadError(description: "\(location(file, node, in: document)): '\(key)' must be text") }
        return document.string(node)
    }

    static func lines(_ node: YAMLNode, in document: YAMLDocument, file: String, key: String) throws(ReadError) -> [String] {
        if document.isScalar(node) { return [document.string(node)] }
        guard document.isSequence(node) else {
            throw ReadError(description: "\(location(file, node, in: document)): '\(key)' must be a list of lines")
        }
        var result: [String] = []
        for item in document.items(node) { result.append(try scalar(item, in: document, file: file, key: key)) }
        return result
    }

    static func fieldMap(_ node: YAMLNode, in document: YAMLDocument, file: String) throws(ReadError) -> [String: String] {
        guard document.isMapping(node) else { throw ReadError(description: "\(location(file, node, in: document)): 'fields' must be a map") }
        return IncidentFieldsReader.flatten(node, in: document)
    }
}
