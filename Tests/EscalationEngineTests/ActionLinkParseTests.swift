import Foundation
import Testing

@testable import EscalationEngine

/// `ActionLink.parse` of a placeholder's bytes (what `substitute` calls) must read every body exactly as the string
/// parse it replaced (kept below as `stringParse`, the oracle here) does: the same link, or nil.
@Suite("Action link parse from bytes")
struct ActionLinkParseTests {
    /// Byte pieces bodies are made of: the actions and near misses, colons, plain text, escapes (valid, short,
    /// signed as `UInt8(_:radix:)` reads them), other ASCII, multi-byte characters and invalid UTF-8.
    static let pieces: [[UInt8]] = {
        let texts: [String] = [
            "ack", "Acknowledge", "resolved", "", ":", ":", ":", "acme-1", "alice", "a_b", "%41", "%3A", "%e9", "%", "%4", "%+F", "%-0",
            "%zz", " ", "!", ".", "é", "日本", "😀",
        ]
        let invalid: [[UInt8]] = [[0xFF], [0xE2], [0xC3], [0x80], [0x00]]
        let actions: [[UInt8]] = ActionLink.Action.allCases.map { Array($0.rawValue.utf8) }
        let plain: [[UInt8]] = texts.map { Array($0.utf8) }
        return actions + plain + invalid
    }()

    static func parsedByString(_ bytes: [UInt8]) -> ActionLink? {
        ActionLink.stringParse(Substring(decoding: bytes, as: UTF8.self))
    }

    static func parsedByBytes(_ bytes: [UInt8]) -> ActionLink? {
        bytes.withUnsafeBufferPointer { ActionLink.parse($0) }
    }

    /// A random body: usually an action, a colon, a part, a colon and a part (each part a few pieces), sometimes
    /// with pieces, colons included, anywhere.
    static func body(_ generator: inout some RandomNumberGenerator) -> [UInt8] {
        func piece() -> [UInt8] { pieces.randomElement(using: &generator) ?? [] }
        if Int.random(in: 0..<5, using: &generator) == 0 {
            return (0..<Int.random(in: 0...7, using: &generator)).flatMap { _ in piece() }
        }
        func part() -> [UInt8] { (0..<Int.random(in: 0...3, using: &generator)).flatMap { _ in piece() }.filter { $0 != UInt8(ascii: ":") } }
        let actions = ActionLink.Action.allCases.map { Array($0.rawValue.utf8) }
        let action = Int.random(in: 0..<4, using: &generator) == 0 ? piece() : (actions.randomElement(using: &generator) ?? [])
        return action + [UInt8(ascii: ":")] + part() + [UInt8(ascii: ":")] + part()
    }

    @Test("random bodies: the same link or nil as the string parse")
    func equivalence() {
        var generator = SystemRandomNumberGenerator()
        var parsed = 0
        var refused = 0
        for _ in 0..<20_000 {
            let body = Self.body(&generator)
            let expected = Self.parsedByString(body)
            #expect(Self.parsedByBytes(body) == expected, "body: \(body)")
            if expected != nil { parsed += 1 } else { refused += 1 }
        }
        // Both outcomes are common enough for the comparison to mean something.
        #expect(parsed > 1_000)
        #expect(refused > 2_000)
    }

    @Test("every placeholder the engine writes is read back, escapes included")
    func placeholders() {
        var generator = SystemRandomNumberGenerator()
        let texts = ["acme-1", "a b", "日本", "x:y!z", "%41", "o'brien", "zoë", "", "bench-tp7t4o-2323-3595749482", "oncall-01173"]
        for _ in 0..<2_000 {
            let link = ActionLink(
                action: ActionLink.Action.allCases.randomElement(using: &generator) ?? .acknowledge,
                incident: (texts.randomElement(using: &generator) ?? "i") + (texts.randomElement(using: &generator) ?? ""),
                recipient: texts.randomElement(using: &generator) ?? "")
            let body = Array(link.placeholder.utf8.dropFirst(ActionLink.prefixBytes.count).dropLast())
            let expected = link.incident.isEmpty ? nil : link
            #expect(Self.parsedByBytes(body) == expected)
            #expect(Self.parsedByString(body) == expected)
        }
    }
}

extension ActionLink {
    /// The placeholder's body read as it was before the byte reader: split into strings, then each part unescaped (the
    /// oracle of `ActionLinkParseTests` and `ActionLinkSubstituteTests`).
    static func stringParse(_ body: Substring) -> ActionLink? {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let action = Action(rawValue: String(parts[0])), let incident = unescape(parts[1]), !incident.isEmpty,
            let recipient = unescape(parts[2])
        else { return nil }
        return ActionLink(action: action, incident: incident, recipient: recipient)
    }
}
