import EscalationCore
import Foundation
import Yams

/// Reads one composed YAML file into model values, reporting every problem with its location.
struct DocumentReader {
    let source: SourceText
    let sink: DiagnosticSink

    var file: String { source.file }

    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return source.location(line: 1, column: 1) }
        return source.location(line: mark.line, column: mark.column)
    }

    // MARK: - Describing what was found

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                switch Tag.Name(rawValue: node.tag.rawValue) {
                case .null: return "nothing (null)"
                case .int, .float: return "the number \(scalar.string)"
                case .bool: return "the boolean \(scalar.string)"
                default: break
                }
            }
            let text = scalar.string.count > 40 ? String(scalar.string.prefix(37)) + "…" : scalar.string
            return "the text '\(text)'"
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any, node.tag.rawValue == Tag.Name.null.rawValue {
            return true
        }
        return false
    }

    @discardableResult
    func wrongType(_ node: Node, expected: String, what: String, hint: String? = nil) -> Bool {
        sink.add(LoadProblem.wrongType("\(what) must be \(expected), found \(describe(node))", at: location(node), hint: hint))
        return false
    }

    // MARK: - Mappings

    /// A mapping whose keys were checked against the allowed set.
    struct Fields {
        let reader: DocumentReader
        let node: Node
        let what: String
        let pairs: [(key: String, keyNode: Node, value: Node)]

        var location: SourceLocation { reader.location(node) }

        subscript(key: String) -> Node? {
            guard let value = pairs.first(where: { $0.key == key })?.value, !reader.isNull(value) else { return nil }
            return value
        }

        func has(_ key: String) -> Bool { self[key] != nil }

        /// The value, or a `missing_key` diagnostic at the mapping.
        func required(_ key: String, hint: String? = nil) -> Node? {
            if let value = self[key] { return value }
            let present = pairs.first { $0.key == key }
            reader.sink.add(
                LoadProblem.missingKey(
                    present == nil ? "\(what) is missing the required key '\(key)'" : "'\(key)' in \(what) has no value",
                    at: present.map { reader.location($0.keyNode) } ?? location,
                    hint: hint ?? "add '\(key):' to \(what)"))
            return nil
        }
    }

    /// The key/value pairs of a mapping with `<<` merge keys applied (local keys win).
    func pairs(_ node: Node, what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            wrongType(node, expected: "a map", what: what)
            return nil
        }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        var merged: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                sink.add(LoadProblem.wrongType("a key in \(what) must be text, found \(describe(keyNode))", at: location(keyNode)))
                continue
            }
            if keyScalar.string == "<<", keyNode.tag.rawValue == Tag.Name.merge.rawValue || keyScalar.style == .plain {
                for source in mergeSources(value, what: what) {
                    guard case .mapping(let sourceMapping) = source else { continue }
                    for (sourceKey, sourceValue) in sourceMapping {
                        guard let name = sourceKey.scalar?.string, !merged.contains(where: { $0.key == name }) else { continue }
                        merged.append((name, sourceKey, sourceValue))
                    }
                }
                continue
            }
            pairs.append((keyScalar.string, keyNode, value))
        }
        for entry in merged where !pairs.contains(where: { $0.key == entry.key }) {
            pairs.append(entry)
        }
        return pairs
    }

    /// Reads a mapping, merging `<<` keys and reporting keys outside `allowed`.
    func fields(_ node: Node, what: String, allowed: [String]) -> Fields? {
        guard let pairs = pairs(node, what: what) else { return nil }
        for pair in pairs where !allowed.contains(pair.key) {
            sink.add(
                LoadProblem.unknownKey(
                    "unknown key '\(pair.key)' in \(what)\(pair.key.didYouMean(allowed))",
                    at: location(pair.keyNode),
                    hint: "allowed keys here: \(allowed.joined(separator: ", "))"))
        }
        return Fields(reader: self, node: node, what: what, pairs: pairs.filter { allowed.contains($0.key) })
    }

    private func mergeSources(_ value: Node, what: String) -> [Node] {
        switch value {
        case .mapping: return [value]
        case .sequence(let sequence): return sequence.filter { if case .mapping = $0 { return true } else { return false } }
        default:
            wrongType(value, expected: "a map or a list of maps (an alias such as *defaults)", what: "the merge key '<<' in \(what)")
            return []
        }
    }

    /// The entries of an id-keyed section (`contacts:`), with each id checked.
    func entries(_ node: Node, what: String) -> [(id: Located<String>, value: Node)] {
        if isNull(node) { return [] }
        guard let pairs = pairs(node, what: what) else { return [] }
        return pairs.compactMap { pair in
            let id = Located(pair.key, at: location(pair.keyNode))
            guard checkIdentifier(id, what: "the id '\(pair.key)' in \(what)") else { return nil }
            return (id, pair.value)
        }
    }

    func checkIdentifier(_ id: Located<String>, what: String) -> Bool {
        if FieldName.isValidIdentifier(id.value) { return true }
        let suggestion = id.value.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        sink.add(
            LoadProblem.invalidIdentifier(
                "\(what) is not a valid id", at: id.location,
                hint: "ids are lower-case letters, digits, '-' and '_', starting with a letter (e.g. '\(String(suggestion))')"))
        return false
    }

    // MARK: - Scalars

    /// Non-null scalar text (numbers and booleans are taken as written).
    func string(_ node: Node, what: String) -> Located<String>? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            wrongType(node, expected: "text", what: what)
            return nil
        }
        return Located(scalar.string, at: location(node))
    }

    func identifier(_ node: Node, what: String) -> Located<String>? {
        guard let text = string(node, what: what) else { return nil }
        return checkIdentifier(text, what: "\(what) '\(text.value)'") ? text : nil
    }

    func fieldName(_ node: Node, what: String) -> Located<String>? {
        guard let text = string(node, what: what) else { return nil }
        guard FieldName.isValid(text.value) else {
            sink.add(
                LoadProblem.invalidIdentifier(
                    "\(what) '\(text.value)' is not a valid field name", at: text.location,
                    hint: "field names are lower-case words of letters, digits and '_', joined by dots (e.g. 'session.start')"))
            return nil
        }
        return text
    }

    func int(_ node: Node, what: String, minimum: Int = Int.min) -> Located<Int>? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), scalar.style == .plain || scalar.style == .any
        else {
            wrongType(node, expected: "a whole number", what: what)
            return nil
        }
        guard value >= minimum else {
            sink.add(LoadProblem.invalidValue("\(what) must be at least \(minimum), found \(value)", at: location(node)))
            return nil
        }
        return Located(value, at: location(node))
    }

    func bool(_ node: Node, what: String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
            ["true", "false"].contains(scalar.string)
        else {
            wrongType(node, expected: "true or false", what: what)
            return nil
        }
        return scalar.string == "true"
    }

    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, what: String, as type: E.Type) -> Located<E>?
    where E.RawValue == String {
        guard let text = string(node, what: what) else { return nil }
        guard let value = E(rawValue: text.value) else {
            let names = E.allCases.map(\.rawValue)
            sink.add(
                LoadProblem.invalidValue(
                    "\(what) '\(text.value)' is not one of \(names.joined(separator: ", "))\(text.value.didYouMean(names))",
                    at: text.location))
            return nil
        }
        return Located(value, at: text.location)
    }

    func duration(_ node: Node, what: String, allowBusiness: Bool = true) -> Located<PolicyDuration>? {
        if case .scalar(let scalar) = node, node.tag.rawValue == Tag.Name.int.rawValue, scalar.style == .plain || scalar.style == .any {
            sink.add(
                LoadProblem.invalidDuration(
                    "\(what) '\(scalar.string)' has no unit", at: location(node),
                    hint: "write \(scalar.string)m for minutes, \(scalar.string)s for seconds or \(scalar.string)h for hours"))
            return nil
        }
        guard let text = string(node, what: what) else { return nil }
        switch PolicyDuration.parse(text.value) {
        case .failure(let error):
            sink.add(
                LoadProblem.invalidDuration(
                    "\(what) '\(text.value)' is not a duration: \(error.message)", at: text.location,
                    hint: "durations look like 30s, 15m, 1h30m, 1d or '1 business day'"))
            return nil
        case .success(let duration):
            if duration.isBusiness, !allowBusiness {
                sink.add(
                    LoadProblem.invalidDuration(
                        "\(what) must be wall-clock time, not business time ('\(text.value)')", at: text.location,
                        hint: "write it as e.g. 8h or 1d"))
                return nil
            }
            return Located(duration, at: text.location)
        }
    }

    func timeOfDay(_ node: Node, what: String) -> Located<TimeOfDay>? {
        if case .scalar(let scalar) = node, node.tag.rawValue == Tag.Name.int.rawValue, scalar.string.contains(":") {
            sink.add(
                LoadProblem.invalidTime(
                    "\(what) \(scalar.string) was read by YAML as a number (base 60)", at: location(node),
                    hint: "quote times of day: \"\(scalar.string)\""))
            return nil
        }
        guard let text = string(node, what: what) else { return nil }
        guard let time = TimeOfDay.parse(text.value) else {
            sink.add(LoadProblem.invalidTime("\(what) '\(text.value)' is not a time of day", at: text.location, hint: "write \"HH:MM\" on a 24-hour clock, e.g. \"09:00\" or \"17:30\""))
            return nil
        }
        return Located(time, at: text.location)
    }

    func date(_ node: Node, what: String) -> Located<LocalDate>? {
        guard let text = string(node, what: what) else { return nil }
        guard let date = LocalDate.parse(text.value) else {
            sink.add(LoadProblem.invalidTime("\(what) '\(text.value)' is not a date", at: text.location, hint: "write dates as YYYY-MM-DD, e.g. 2026-12-25"))
            return nil
        }
        return Located(date, at: text.location)
    }

    func instant(_ node: Node, what: String) -> Located<LocalDateTime>? {
        guard let text = string(node, what: what) else { return nil }
        guard let instant = LocalDateTime.parse(text.value) else {
            sink.add(
                LoadProblem.invalidTime(
                    "\(what) '\(text.value)' is not an instant", at: text.location,
                    hint: "write YYYY-MM-DDTHH:MM in the organisation's timezone, e.g. 2026-01-05T09:00 (or with an offset, 2026-01-05T09:00-06:00)"))
            return nil
        }
        return Located(instant, at: text.location)
    }

    func timezone(_ node: Node, what: String) -> Located<String>? {
        guard let text = string(node, what: what) else { return nil }
        guard TimeZone(identifier: text.value) != nil else {
            let known = TimeZone.knownTimeZoneIdentifiers
            sink.add(
                LoadProblem.invalidTimezone(
                    "\(what) '\(text.value)' is not a known timezone\(text.value.didYouMean(known))", at: text.location,
                    hint: "use an IANA name such as America/Chicago, Europe/London or UTC"))
            return nil
        }
        return text
    }

    // MARK: - Lists

    /// The items of a list; a scalar or map where a list is expected is reported.
    func list(_ node: Node, what: String) -> [Node] {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            var hint: String?
            if case .scalar(let scalar) = node { hint = "write a list, e.g. [\(scalar.string)]" }
            wrongType(node, expected: "a list", what: what, hint: hint)
            return []
        }
        return Array(sequence)
    }
}
