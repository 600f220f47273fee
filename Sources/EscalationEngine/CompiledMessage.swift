import EscalationGraph

/// A template split once into literal text and resolved placeholders (built with the engine's index), so a message
/// renders by appending pieces: no search for `{{`, no placeholder name built, no name compared at render.
struct CompiledMessage: Sendable {
    /// One piece of a template's text.
    enum Piece: Sendable {
        /// Literal text.
        case text(String)
        /// A placeholder, with its name as written for `(no value: name)`.
        case variable(TemplateVariable, name: String)
    }

    /// The subject's pieces, if the template has a subject.
    let subject: [Piece]?
    /// The body's pieces.
    let body: [Piece]

    /// A template's subject and body, split, with each `incident.FIELD` shown as `fieldKind` says (a policy's field
    /// types; plain text by default).
    init(_ template: CompiledTemplate, fieldKind: (String) -> TemplateVariable.FieldKind = { _ in .plain }) {
        subject = template.subject.map { Self.pieces($0, fieldKind: fieldKind) }
        body = Self.pieces(template.body, fieldKind: fieldKind)
    }

    /// The pieces of one text, from `TemplateRenderer`'s single parse.
    static func pieces(_ text: String, fieldKind: (String) -> TemplateVariable.FieldKind = { _ in .plain }) -> [Piece] {
        TemplateRenderer.segments(text).map { segment in
            switch segment {
            case .text(let literal): return .text(literal)
            case .placeholder(let name):
                if case .field(let field, _) = TemplateVariable(name: name) { return .variable(.field(field, fieldKind(field)), name: name) }
                return .variable(TemplateVariable(name: name), name: name)
            }
        }
    }

    /// The text with each placeholder's value, or `(no value: name)` where `value` has none.
    static func render(_ pieces: [Piece], value: (TemplateVariable) -> String?) -> String {
        if pieces.count == 1, case .text(let literal) = pieces[0] { return literal }
        var output: [UInt8] = []
        // Room for the literal text and a short value per placeholder, so appending rarely grows the buffer.
        output.reserveCapacity(pieces.reduce(0) { total, piece in
            if case .text(let literal) = piece { return total + literal.utf8.count }
            return total + 24
        })
        for piece in pieces {
            switch piece {
            case .text(let literal): append(literal, to: &output)
            case .variable(let variable, let name):
                if let value = value(variable) {
                    append(value, to: &output)
                } else {
                    append("(no value: \(name))", to: &output)
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends a string's bytes: one copy of its storage when it has contiguous UTF-8 (native strings do), else
    /// byte by byte.
    @inline(__always)
    private static func append(_ text: String, to output: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ output.append(contentsOf: $0) }) == nil {
            output.append(contentsOf: text.utf8)
        }
    }
}
