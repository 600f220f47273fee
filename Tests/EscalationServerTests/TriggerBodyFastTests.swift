import EscalationCore
import Foundation
import Testing

@testable import EscalationServer

/// The trigger body read without the decoder must be what `JSONDecoder` reads, and every body it does not take (the
/// decoder's errors included) must be left to the decoder.
@Suite("Trigger body read by hand")
struct TriggerBodyFastTests {
    /// The body's values, strings standing for themselves and anything else for its case.
    static func summary(_ body: TriggerBody) -> String {
        let fields = (body.fields ?? [:]).sorted { $0.key < $1.key }.map { key, value in
            if case .string(let text) = value { return "\(key)=\(text)" }
            return "\(key)=<\(value)>"
        }
        return [
            body.organisation ?? "<nil>", body.policy ?? "<nil>", body.title ?? "<nil>", body.dedupKey ?? "<nil>",
            body.fields == nil ? "<no fields>" : fields.joined(separator: "|"),
        ].joined(separator: "\n")
    }

    static func fast(_ text: String) -> TriggerBody? { Array(text.utf8).withUnsafeBytes { TriggerBody.fast($0) } }

    static func piece(_ generator: inout SplitMix64) -> String {
        let pieces = ["a", "Z", "0", " ", "-", "/", "_", ":", ",", "{", "}", "[", "]", "\\\"", "\\n", "\\u0041", "é", "\t", "\u{7F}", "1"]
        return (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    static func space(_ generator: inout SplitMix64) -> String { ["", "", " ", "\n", "\t ", "\r\n"].randomElement(using: &generator) ?? "" }

    static func value(_ generator: inout SplitMix64) -> String {
        switch Int.random(in: 0..<12, using: &generator) {
        case 0: return "null"
        case 1: return "12"
        case 2: return "true"
        case 3: return "[\"a\"]"
        default: return "\"" + piece(&generator) + "\""
        }
    }

    static func body(_ generator: inout SplitMix64) -> String {
        var members: [String] = []
        let keys = ["organisation", "policy", "title", "dedup_key", "fields", "fields", "title", "other", "Title"]
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            let key = keys.randomElement(using: &generator) ?? "title"
            var value = value(&generator)
            if key == "fields", Int.random(in: 0..<4, using: &generator) > 0 {
                let inner = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    let name = ["host", "env", "a", "host", piece(&generator)].randomElement(using: &generator) ?? "a"
                    return space(&generator) + "\"" + name + "\"" + space(&generator) + ":" + space(&generator) + Self.value(&generator)
                }
                value = "{" + inner.joined(separator: ",") + space(&generator) + "}"
            }
            members.append(space(&generator) + "\"" + key + "\"" + space(&generator) + ":" + space(&generator) + value + space(&generator))
        }
        var text = space(&generator) + "{" + members.joined(separator: ",") + "}" + space(&generator)
        switch Int.random(in: 0..<20, using: &generator) {
        case 0: text.removeLast()
        case 1: text += "x"
        case 2: text = "[" + text + "]"
        case 3: text = String(text.dropFirst(Int.random(in: 0...3, using: &generator)))
        default: break
        }
        return text
    }

    @Test("random bodies: what the hand reads is what the decoder reads; the rest is left to the decoder")
    func randomBodies() throws {
        var generator = SplitMix64(seed: 0xB0D1_E5)
        var taken = 0
        for _ in 0..<5_000 {
            let text = Self.body(&generator)
            guard let fast = Self.fast(text) else { continue }
            taken += 1
            let decoded = try JSONDecoder().decode(TriggerBody.self, from: Data(text.utf8))
            #expect(Self.summary(fast) == Self.summary(decoded), "\(text)")
        }
        #expect(taken > 500)
    }

    @Test("the usual body is read by hand; escapes, numbers, unknown and repeated keys are left to the decoder")
    func shapes() {
        let usual = #"{"organisation":"acme","policy":"db","title":"disk full","dedup_key":"k1","fields":{"host":"db-1"}}"#
        #expect(Self.fast(usual).map(Self.summary) == "acme\ndb\ndisk full\nk1\nhost=db-1")
        #expect(Self.fast(" {} ").map(Self.summary) == "<nil>\n<nil>\n<nil>\n<nil>\n<no fields>")
        for text in [
            #"{"title":"a\"b"}"#, #"{"title":"é"}"#, #"{"fields":{"n":1}}"#, #"{"other":"x"}"#, #"{"title":"a","title":"b"}"#,
            #"{"fields":{"a":"1","a":"2"}}"#, #"{"title":"a",}"#, #"{"title":null}"#, #"{"title":"a"} x"#, "", "{", #"{"title":"a"#,
        ] {
            #expect(Self.fast(text) == nil, "\(text)")
        }
    }
}
