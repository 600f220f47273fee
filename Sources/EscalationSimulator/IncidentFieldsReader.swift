import EscalationCore
import Foundation
import Yams

/// Reads an incident's fields from a JSON or YAML file: a flat map of fields, or `{fields: {…}}`. Nested maps are
/// flattened with dots (`session: {start: …}` is `session.start`), lists become `a, b, c`, scalars keep their text
/// as written, and null values are left out.
public enum IncidentFieldsReader {
    /// Why a file could not be read as incident fields.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        /// What is wrong, with the file name.
        public var description: String
    }

    /// Reads the fields from a file.
    public static func read(path: String) throws(Problem) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(description: "\(path): cannot read this file") }
        guard let text = String(data: data, encoding: .utf8) else { throw Problem(description: "\(path): not UTF-8 text") }
        return try parse(text, file: path)
    }

    /// Parses the fields from JSON or YAML text; `file` names it in problems.
    public static func parse(_ text: String, file: String) throws(Problem) -> [String: String] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Problem(description: "\(file): not valid JSON or YAML: \(error)")
        }
        guard let root, case .mapping(var mapping) = root else {
            throw Problem(description: "\(file): expected a map of incident fields (or {\"fields\": {…}})")
        }
        if let fields = mapping["fields"], case .mapping(let inner) = fields {
            mapping = inner
        }
        var result: [String: String] = [:]
        flatten(mapping, prefix: "", into: &result)
        return result
    }

    /// A mapping of fields flattened (the one reading of incident fields, shared with scenario files).
    static func flatten(_ mapping: Node.Mapping) -> [String: String] {
        var result: [String: String] = [:]
        flatten(mapping, prefix: "", into: &result)
        return result
    }

    private static func flatten(_ mapping: Node.Mapping, prefix: String, into result: inout [String: String]) {
        for (key, value) in mapping {
            let name = prefix + (key.scalar?.string ?? "")
            switch value {
            case .mapping(let inner): flatten(inner, prefix: name + ".", into: &result)
            case .sequence(let items): result[name] = items.compactMap(text).joined(separator: ", ")
            default: if let text = text(value) { result[name] = text }
            }
        }
    }

    private static func text(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if node.tag.rawValue == Tag.Name.null.rawValue, scalar.style == .plain || scalar.style == .any { return nil }
        return scalar.string
    }
}
