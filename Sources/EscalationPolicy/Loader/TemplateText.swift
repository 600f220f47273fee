import EscalationCore
import EscalationYAML
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds `{{ variable }}` placeholders in template text and locates each in the source file.
enum TemplateText {
    /// The variables in `text`; malformed placeholders are reported to the sink. ASCII text (nearly every template)
    /// is scanned byte by byte; other text goes through Foundation's search, as before.
    static func variables(in text: String, what: String, source: SourceText, mark: YAMLMark, sink: DiagnosticSink) -> [Located<String>] {
        let ascii = text.utf8.withContiguousStorageIfAvailable(isASCII) ?? text.utf8.allSatisfy { $0 < 0x80 }
        if ascii {
            return asciiVariables(in: text, what: what, source: source, mark: mark, sink: sink)
        }
        return foundationVariables(in: text, what: what, source: source, mark: mark, sink: sink)
    }

    /// Whether every byte is ASCII: one loop without branches, which the compiler vectorises (iterating
    /// `String.UTF8View` cost 6,500 instructions a template).
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for byte in bytes { any |= byte }
        return any < 0x80
    }

    /// `foundationVariables` for ASCII text, without Foundation's string search: the same variables and diagnostics.
    static func asciiVariables(in text: String, what: String, source: SourceText, mark: YAMLMark, sink: DiagnosticSink) -> [Located<String>] {
        if let found = text.utf8.withContiguousStorageIfAvailable({ asciiVariables(in: $0, what: what, source: source, mark: mark, sink: sink) }) {
            return found
        }
        return Array(text.utf8).withUnsafeBufferPointer { asciiVariables(in: $0, what: what, source: source, mark: mark, sink: sink) }
    }

    /// `asciiVariables` over the text's bytes: `{{` and `}}` are found by `memchr` for their first brace.
    private static func asciiVariables(
        in bytes: UnsafeBufferPointer<UInt8>, what: String, source: SourceText, mark: YAMLMark, sink: DiagnosticSink
    ) -> [Located<String>] {
        guard let base = bytes.baseAddress else { return [] }
        let count = bytes.count
        /// The offset of the first pair of `brace` (`{{` or `}}`) at or after `start`.
        func find(_ brace: UInt8, from start: Int) -> Int? {
            var index = start
            while index + 1 < count, let found = memchr(base + index, Int32(brace), count - 1 - index) {
                let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                if base[offset + 1] == brace { return offset }
                index = offset + 1
            }
            return nil
        }
        let open: UInt8 = 0x7B
        let close: UInt8 = 0x7D
        var openings = 0
        var cursor = 0
        while let found = find(open, from: cursor) {
            openings += 1
            cursor = found + 2
        }
        let positions = openings == 0 ? [] : source.occurrences(of: "{{", from: mark.line, column: mark.column, limit: openings)
        var result: [Located<String>] = []
        var index = 0
        cursor = 0
        while let opening = find(open, from: cursor) {
            let location = index < positions.count ? positions[index] : source.location(line: mark.line, column: mark.column)
            index += 1
            let afterOpen = opening + 2
            guard let closing = find(close, from: afterOpen) else {
                sink.add(LoadProblem.invalidTemplate("'{{' without a closing '}}' in \(what)", at: location, hint: "write variables as {{ incident.field }}"))
                break
            }
            // ASCII: the whitespace `trimmingCharacters(in: .whitespaces)` trims is spaces and tabs, and `{{` inside the
            // name is two adjacent brace bytes.
            var first = afterOpen
            var end = closing
            while first < end, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
            while end > first, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let nested = first + 1 < end && (first..<(end - 1)).contains { bytes[$0] == open && bytes[$0 + 1] == open }
            keep(
                String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<end]), as: UTF8.self), nested: nested, at: location, what: what,
                sink: sink, in: &result)
            cursor = closing + 2
        }
        return result
    }

    /// The variables in any text, found with Foundation's string search.
    static func foundationVariables(in text: String, what: String, source: SourceText, mark: YAMLMark, sink: DiagnosticSink) -> [Located<String>] {
        let openings = text.components(separatedBy: "{{").count - 1
        let positions = source.occurrences(of: "{{", from: mark.line, column: mark.column, limit: openings)
        var result: [Located<String>] = []
        var rest = Substring(text)
        var index = 0
        while let open = rest.range(of: "{{") {
            let location = index < positions.count ? positions[index] : source.location(line: mark.line, column: mark.column)
            index += 1
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                sink.add(LoadProblem.invalidTemplate("'{{' without a closing '}}' in \(what)", at: location, hint: "write variables as {{ incident.field }}"))
                break
            }
            let name = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            keep(name, nested: name.contains("{{"), at: location, what: what, sink: sink, in: &result)
            rest = afterOpen[close.upperBound...]
        }
        return result
    }

    /// Keeps a placeholder's name when it is a variable name; else says so where it stands.
    /// `nested`: whether the name holds another `{{`.
    private static func keep(
        _ name: String, nested: Bool, at location: SourceLocation, what: String, sink: DiagnosticSink, in result: inout [Located<String>]
    ) {
        if nested || !FieldName.isValid(name) {
            sink.add(
                LoadProblem.invalidTemplate(
                    "'{{ \(name) }}' in \(what) is not a variable name", at: location,
                    hint: "variables are dotted lower-case names, e.g. {{ incident.client_name }}"))
        } else {
            result.append(Located(name, at: location))
        }
    }
}
