import EscalationGraph

/// A template split once into literal text and resolved placeholders (built with the engine's index), so a message
/// renders by appending pieces: no search for `{{`, no placeholder name built, no name compared at render.
///
/// A class with `let`s: looking a message up in its policy's table copies one reference. As a struct it held 14
/// references (two `Text`s of 7), and every render copied and destroyed them all.
final class CompiledMessage: Sendable {
    /// One piece of a template's text, as the split yields it.
    enum Piece: Sendable {
        /// Literal text.
        case text(String)
        /// A placeholder, with its name as written for `(no value: name)`.
        case variable(TemplateVariable, name: String)
    }

    /// One text (a subject or a body) laid out flat for rendering: every literal's bytes in one buffer and the
    /// placeholders in their own list, so a render walks plain integers and copies byte ranges. A list of `Piece`s
    /// copied each piece out of the list (a retain and a release of its string) on every render. A class, so reading
    /// the subject out of its message copies one reference, not seven.
    final class Text: Sendable {
        /// One step of a render: the literal bytes `start..<end`, then placeholder `variable` (-1: none).
        struct Part: Sendable {
            let start: Int
            let end: Int
            let variable: Int
        }

        /// Every literal's UTF-8 bytes, in order.
        let bytes: [UInt8]
        /// The steps, in order.
        let parts: [Part]
        /// The placeholders, in order.
        let variables: [TemplateVariable]
        /// Each placeholder's name as written (for `(no value: name)`).
        let names: [String]
        /// Each placeholder's field slot in its policy (`PolicyIndex.fieldSlots`; -1: not an `incident.FIELD`, or no
        /// slot), so a render reads the field by position instead of hashing its name.
        let slots: [Int]
        /// Each placeholder's field kind (meaningful where `slots` has one), read without copying the variable.
        let kinds: [TemplateVariable.FieldKind]
        /// The whole text when it is one literal (a render hands it back as it is).
        let literal: String?

        /// The layout of `pieces`, each `incident.FIELD` given the slot `slot` names (nil: none).
        init(_ pieces: [Piece], slot: (String) -> Int? = { _ in nil }) {
            var bytes: [UInt8] = []
            var parts: [Part] = []
            var variables: [TemplateVariable] = []
            var names: [String] = []
            var slots: [Int] = []
            var kinds: [TemplateVariable.FieldKind] = []
            var start = 0
            for piece in pieces {
                switch piece {
                case .text(let text): bytes.append(contentsOf: text.utf8)
                case .variable(let variable, let name):
                    parts.append(Part(start: start, end: bytes.count, variable: variables.count))
                    variables.append(variable)
                    names.append(name)
                    if case .field(let field, let kind) = variable {
                        slots.append(slot(field) ?? -1)
                        kinds.append(kind)
                    } else {
                        slots.append(-1)
                        kinds.append(.plain)
                    }
                    start = bytes.count
                }
            }
            if start < bytes.count || parts.isEmpty { parts.append(Part(start: start, end: bytes.count, variable: -1)) }
            self.bytes = bytes
            self.parts = parts
            self.variables = variables
            self.names = names
            self.slots = slots
            self.kinds = kinds
            if pieces.count == 1, case .text(let text) = pieces[0] { literal = text } else { literal = nil }
        }
    }

    /// The subject, if the template has a subject.
    let subject: Text?
    /// The body.
    let body: Text
    /// Whether a placeholder of the subject or the body reads a field by slot.
    let readsSlots: Bool

    /// A template's subject and body, split, with each `incident.FIELD` shown as `fieldKind` says (a policy's field
    /// types; plain text by default) and read from the slot `slot` gives it (nil: by name).
    init(
        _ template: CompiledTemplate, fieldKind: (String) -> TemplateVariable.FieldKind = { _ in .plain }, slot: (String) -> Int? = { _ in nil }
    ) {
        subject = template.subject.map { Self.pieces($0, fieldKind: fieldKind, slot: slot) }
        body = Self.pieces(template.body, fieldKind: fieldKind, slot: slot)
        readsSlots = (subject?.slots ?? []).contains { $0 >= 0 } || body.slots.contains { $0 >= 0 }
    }

    /// The pieces of one text, from `TemplateRenderer`'s single parse, laid out for rendering.
    static func pieces(
        _ text: String, fieldKind: (String) -> TemplateVariable.FieldKind = { _ in .plain }, slot: (String) -> Int? = { _ in nil }
    ) -> Text {
        Text(
            TemplateRenderer.segments(text).map { segment in
                switch segment {
                case .text(let literal): return .text(literal)
                case .placeholder(let name):
                    if case .field(let field, _) = TemplateVariable(name: name) { return .variable(.field(field, fieldKind(field)), name: name) }
                    return .variable(TemplateVariable(name: name), name: name)
                }
            }, slot: slot)
    }

    /// The text with each placeholder's value, or `(no value: name)` where `value` has none.
    static func render(_ text: Text, value: (TemplateVariable) -> String?) -> String {
        render(text, slotValues: nil, shown: { value, _ in value }, value: value)
    }

    /// The text with each placeholder's value: with `slotValues` (the incident's fields by slot), a field with a slot
    /// from there, shown as `shown` says for its kind; anything else from `value`; `(no value: name)` where there is
    /// none. (The closures are non-escaping: an optional closure would escape, and its captures be boxed on the heap
    /// for every render; the values come as a list, not read through a closure that captured them, for the same reason.)
    static func render(
        _ text: Text, slotValues: [String?]?, shown: (String, TemplateVariable.FieldKind) -> String, value: (TemplateVariable) -> String?
    ) -> String {
        if let literal = text.literal { return literal }
        let count = text.variables.count
        // Each placeholder's value first (in order, on the stack for the usual few), so the length is known, then the
        // text is written once into a string of that capacity. Appending into a byte array and decoding it after made
        // the array (a malloc and a free), grew it through `Array.append(contentsOf:)` and copied it all again.
        return withUnsafeTemporaryAllocation(of: String.self, capacity: count) { values in
            var total = text.bytes.count
            for index in 0..<count {
                let slot = text.slots[index]
                let found: String?
                if let slotValues, slot >= 0 {
                    found = slotValues[slot].map { shown($0, text.kinds[index]) }
                } else {
                    found = value(text.variables[index])
                }
                let piece = found ?? "(no value: \(text.names[index]))"
                total += piece.utf8.count
                values.initializeElement(at: index, to: piece)
            }
            defer { _ = values.deinitialize() }
            return String(unsafeUninitializedCapacity: total) { output in
                var at = 0
                text.bytes.withUnsafeBufferPointer { bytes in
                    for part in text.parts {
                        if part.end > part.start {
                            at = copy(UnsafeBufferPointer(rebasing: bytes[part.start..<part.end]), into: output, at: at)
                        }
                        guard part.variable >= 0 else { continue }
                        let piece = values[part.variable]
                        if let end = piece.utf8.withContiguousStorageIfAvailable({ copy($0, into: output, at: at) }) {
                            at = end
                        } else {
                            for byte in piece.utf8 {
                                output[at] = byte
                                at += 1
                            }
                        }
                    }
                }
                return at
            }
        }
    }

    /// Copies `bytes` into `output` at `at`; returns the index after them.
    @inline(__always)
    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        UnsafeMutableBufferPointer(rebasing: output[at...]).initialize(fromContentsOf: bytes) + at
    }
}
