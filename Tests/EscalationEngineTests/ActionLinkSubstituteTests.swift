import Foundation
import Testing

@testable import EscalationEngine

/// `ActionLink.substitute` scans UTF-8 bytes; it must write exactly what the character-based scan it replaced wrote.
@Suite("Action link substitution")
struct ActionLinkSubstituteTests {
    /// The character-based substitution (Foundation's `range(of:)` and a `Character` search for `!`) the byte scan replaced.
    static func reference(in text: String, _ url: (ActionLink) -> String) -> String {
        guard text.contains(ActionLink.prefix) else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: ActionLink.prefix) {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "!"), let link = ActionLink.stringParse(after[..<end]) else {
                result += ActionLink.prefix
                rest = after
                continue
            }
            result += url(link)
            rest = after[after.index(after: end)...]
        }
        return result + rest
    }

    static func url(_ link: ActionLink) -> String { "https://x.test/\(link.action.rawValue)/\(link.incident)/\(link.recipient)?a=1&b=é" }

    /// Pieces random texts are made of: placeholders (valid, broken, unterminated), look-alikes and plain text.
    static func pieces(_ generator: inout some RandomNumberGenerator) -> [String] {
        let incident = ["acme-1", "a b", "日本", "x:y!z", "%41"].randomElement(using: &generator) ?? "i"
        let recipient = ["alice", "", "zoë", "o'brien"].randomElement(using: &generator) ?? "r"
        let link = ActionLink(action: ActionLink.Action.allCases.randomElement(using: &generator) ?? .acknowledge, incident: incident, recipient: recipient)
        return [
            link.placeholder, link.placeholder, "escalate-link:", "escalate-link:acknowledge:x!", "escalate-link:ack:x:y!",
            "escalate-link:acknowledge::y!", "escalate-link:resolve:i%2:r!", "escalate-link:escalate:i:r", "escal", "ate-link:", "!", ":", "%",
            "Ack: ", "日本語 ", "✓", "😀", " ", "\n", "text", "e\u{301}", "-",
        ]
    }

    @Test("random texts of placeholders, broken placeholders and non-ASCII text: the same output as the character scan")
    func equivalence() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                text += Self.pieces(&generator).randomElement(using: &generator) ?? ""
            }
            let expected = Self.reference(in: text, Self.url)
            let got = ActionLink.substitute(in: text, Self.url)
            #expect(got == expected, "text: \(text.debugDescription)")
            if got != expected { return }
        }
    }

    @Test("fixed cases: none, one, two, a broken one between, one at the very end")
    func cases() {
        let link = ActionLink(action: .acknowledge, incident: "acme-1", recipient: "alice")
        let url = { (link: ActionLink) in "U(\(link.incident))" }
        #expect(ActionLink.substitute(in: "", url) == "")
        #expect(ActionLink.substitute(in: "no link", url) == "no link")
        #expect(ActionLink.substitute(in: "Ack: \(link.placeholder).", url) == "Ack: U(acme-1).")
        #expect(ActionLink.substitute(in: "\(link.placeholder) escalate-link:x \(link.placeholder)", url) == "U(acme-1) escalate-link:x U(acme-1)")
        #expect(ActionLink.substitute(in: "end escalate-link:", url) == "end escalate-link:")
        #expect(ActionLink.substitute(in: "日本 \(link.placeholder)", url) == "日本 U(acme-1)")
    }
}
