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

    /// A template's subject and body, split.
    init(_ template: CompiledTemplate) {
        subject = template.subject.map(Self.pieces)
        body = Self.pieces(template.body)
    }

    /// The pieces of one text, from `TemplateRenderer`'s single parse.
    static func pieces(_ text: String) -> [Piece] {
        TemplateRenderer.segments(text).map { segment in
            switch segment {
            case .text(let literal): .text(literal)
            case .placeholder(let name): .variable(TemplateVariable(name: name), name: name)
            }
        }
    }

    /// The text with each placeholder's value, or `(no value: name)` where `value` has none.
    static func render(_ pieces: [Piece], value: (TemplateVariable) -> String?) -> String {
        if pieces.count == 1, case .text(let literal) = pieces[0] { return literal }
        var output = ""
        for piece in pieces {
            switch piece {
            case .text(let literal): output += literal
            case .variable(let variable, let name): output += value(variable) ?? "(no value: \(name))"
            }
        }
        return output
    }
}
