import EscalationCore
import Foundation
import EscalationYAML

/// Reads an incident's fields from a JSON or YAML file: a flat map of fields, or `{fields: {…}}`. Nested maps are
/// flattened with dots (`session: {start: …}` is `session.start`), lists become `a, b, c`, scalars keep their text
/// as written, null values are left out, and `<<` merge keys are applied as the loader applies them.
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
        let document: YAMLDocument
        do {
            document = try YAMLComposer.compose(text)
        } catch {
            throw Problem(description: "\(file): not valid JSON or YAML: \(error.message(in: text))")
        }
        guard var mapping = document.root, document.isMapping(mapping) else {
            throw Problem(description: "\(file): expected a map of incident fields (or {\"fields\": {…}})")
        }
        if let fields = document.value(in: document.mergedPairs(mapping), forKey: "fields"), document.isMapping(fields) {
            mapping = fields
        }
        var result: [String: String] = [:]
        flatten(mapping, in: document, prefix: "", into: &result)
        return result
    }

    /// A mapping of fields flattened (the one reading of incident fields, shared with scenario files).
    static func flatten(_ mapping: YAMLNode, in document: YAMLDocument) -> [String: String] {
        var result: [String: String] = [:]
        flatten(mapping, in: document, prefix: "", into: &result)
        return result
    }

    private static func flatten(_ mapping: YAMLNode, in document: YAMLDocument, prefix: String, into result: inout [String: String]) {
        for (key, value) in document.mergedPairs(mapping) {
            let name = prefix + (ScenarioFile.scalarText(key, in: document) ?? "")
            switch document.kind(value) {
            case .mapping: flatten(value, in: document, prefix: name + ".", into: &result)
            case .sequence: result[name] = document.items(value).compactMap { text($0, in: document) }.joined(separator: ", ")
            case .scalar: if let text = text(value, in: document) { result[name] = text }
            }
        }
    }

    /// A scalar's text; nil for a null (the composer's rule, the loader's too) or a collection.
    private static func text(_ node: YAMLNode, in document: YAMLDocument) -> String? {
        guard document.isScalar(node), !document.isNull(node) else { return nil }
        return document.string(node)
    }
}
