import Testing

@testable import EscalationPolicy

/// `FieldName.isValid` and `isValidIdentifier` check bytes; this pins them against the checks they replaced (split the
/// characters at dots, check each segment's scalars; check the scalars) on chosen and 20,000 random texts, combining
/// marks and other scalars included.
@Suite struct FieldNameTests {
    /// `isValid` as it was.
    static func reference(_ text: String) -> Bool {
        let segments = text.split(separator: ".", omittingEmptySubsequences: false)
        return segments.allSatisfy { segment in
            guard let first = segment.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
            return segment.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        }
    }

    /// `isValidIdentifier` as it was.
    static func identifierReference(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    @Test func identifiersAgreeWithTheScalarCheck() {
        let chosen = ["", "a", "a-b", "a_b", "ab9", "9a", "-a", "_a", "A", "aB", "a\u{301}", "é", "a.b", "a b", "z-", "a🙂"]
        for text in chosen { #expect(FieldName.isValidIdentifier(text) == Self.identifierReference(text), "\(text.debugDescription)") }
        let pieces = ["a", "z", "q", "0", "9", "_", ".", "-", "A", " ", "\u{301}", "é", "日", "🙂", "\t", "{", "`", "/", ":"]
        var state: UInt64 = 11
        var valid = 0
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 60) % 9
            let text = (0..<length).map { index in pieces[Int((state >> UInt64(6 * index + 4)) % UInt64(pieces.count))] }.joined()
            let expected = Self.identifierReference(text)
            #expect(FieldName.isValidIdentifier(text) == expected, "\(text.debugDescription)")
            if expected { valid += 1 }
        }
        #expect(valid > 300)
    }

    @Test func agreesWithTheCharacterSplit() {
        let chosen = [
            "", ".", "a", "a.", ".a", "a..b", "incident.title", "session.start", "a_1.b2", "A", "1a", "a-b", "a.\u{301}b", "a\u{301}", "é", "a.b.c",
            "a b", "_a", "a._", "a.1",
        ]
        for text in chosen { #expect(FieldName.isValid(text) == Self.reference(text), "\(text.debugDescription)") }
        let pieces = ["a", "z", "q", "0", "9", "_", ".", "-", "A", " ", "\u{301}", "é", "日", "🙂", "\t", "{"]
        var state: UInt64 = 5
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 60) % 9
            let text = (0..<length).map { index in pieces[Int((state >> UInt64(6 * index + 4)) % UInt64(pieces.count))] }.joined()
            #expect(FieldName.isValid(text) == Self.reference(text), "\(text.debugDescription)")
        }
    }
}
