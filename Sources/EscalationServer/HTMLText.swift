import EscalationSimulator
import Foundation

/// A fragment of HTML built by string interpolation that escapes every interpolated `String` with `HTMLText.escape`
/// (the one escaping function of the console); only other `HTMLText` fragments are inserted as they are.
struct HTMLText: ExpressibleByStringInterpolation, Sendable, Equatable {
    /// The markup.
    var html: String

    /// Markup written in the source (a literal, trusted).
    init(stringLiteral value: String) { html = value }

    /// Markup with escaped values interpolated.
    init(stringInterpolation: Interpolation) { html = stringInterpolation.html }

    /// Trusted markup built elsewhere from escaped parts.
    init(trusted html: String) { self.html = html }

    /// Builds the markup: literals as written, strings escaped, fragments as they are.
    struct Interpolation: StringInterpolationProtocol {
        /// The markup so far.
        var html = ""

        init(literalCapacity: Int, interpolationCount: Int) { html.reserveCapacity(literalCapacity + interpolationCount * 16) }

        mutating func appendLiteral(_ literal: String) { html += literal }

        /// A value from a policy, an incident or a request: always escaped.
        mutating func appendInterpolation(_ value: String) { html += HTMLText.escape(value) }

        /// A number.
        mutating func appendInterpolation(_ value: Int) { html += String(value) }

        /// A fragment already built (its values were escaped when it was).
        mutating func appendInterpolation(_ fragment: HTMLText) { html += fragment.html }

        /// Fragments one after another.
        mutating func appendInterpolation(_ fragments: [HTMLText]) { html += fragments.map(\.html).joined() }
    }

    /// The text with `&`, `<`, `>`, `"` and `'` written as character references, safe in element content and in
    /// quoted attribute values (`HTMLEscaping.escape`, the one escaping function, shared with the simulation's export).
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// A value percent-encoded for one path segment or query value (then escaped when interpolated).
    static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
