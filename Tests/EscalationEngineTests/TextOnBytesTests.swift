@testable import EscalationEngine
import EscalationCore
import EscalationGraph
import Testing

/// The engine's text written on bytes (`KeyText`, `CompiledMessage.render`) or once per policy (`IndexedNode.texts`,
/// `PolicyIndex`'s hook origins) is, byte for byte, the text the old code built per event; the old code is kept here as
/// the oracle. Strings are compared by their bytes: `==` on `String` takes canonically equal spellings as equal.
@Suite("Engine text on bytes")
struct TextOnBytesTests {
    /// Parts of ids and values: empty, ASCII, non-ASCII, canonically equal spellings, long enough to leave a small string.
    static let words = ["", "B-7", "inc", "é", "e\u{301}", "日本", "a/b", "x.y", "0", "K", "\u{212A}", "incident-2026-11-28-000123", "✓ done"]

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func word(_ rng: inout SplitMix64, parts: ClosedRange<Int> = 0...3) -> String {
        (0..<rng.int(parts)).map { _ in rng.pick(words) }.joined()
    }

    @Test("ids and idempotency keys are the interpolated text", arguments: [1, 2, 3] as [UInt64])
    func keys(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let edges = [0, 1, 9, 10, 99, 100, 999_999, -1, -9, -10, Int.max, Int.min, Int.min + 1]
        for _ in 0..<4_000 {
            let base = Self.word(&rng)
            let number = rng.chance(30) ? rng.pick(edges) : rng.int(-100_000...100_000_000)
            let member = rng.chance(30) ? rng.pick(edges) : rng.int(0...40)
            let prefix = rng.pick(["t", "n", "s", "p"])
            let ascii = prefix.utf8.first!
            // The old code: `nextID` and `deliver`'s keys.
            #expect(Self.bytes(KeyText.key(base, prefix: ascii, number: number)) == Self.bytes("\(base)/\(prefix)\(number)"), "\(base) \(number)")
            #expect(Self.bytes(KeyText.key(base, number: number)) == Self.bytes("\(base)/\(number)"), "\(base) \(number)")
            #expect(
                Self.bytes(KeyText.key(base, number: number, member: member)) == Self.bytes("\(base)/\(number).\(member)"),
                "\(base) \(number) \(member)")
            #expect(KeyText.digitCount(number) == String(number).utf8.count)
        }
    }

    @Test("joined texts are the interpolated text", arguments: [1, 2, 3] as [UInt64])
    func joined(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<4_000 {
            let who = Self.word(&rng, parts: 0...4)
            let outcome = Self.word(&rng, parts: 0...3)
            let parts = (0..<4).map { _ in Self.word(&rng, parts: 0...4) }
            // The old code: `resolve`'s and `acknowledge`'s reason and record.
            let reason = "resolved by \(who)"
            #expect(Self.bytes(KeyText.joined("resolved by ", who)) == Self.bytes(reason))
            #expect(Self.bytes(KeyText.joined("acknowledged by ", who)) == Self.bytes("acknowledged by \(who)"))
            #expect(Self.bytes(KeyText.joined(reason, " (outcome: ", outcome, ")")) == Self.bytes("\(reason) (outcome: \(outcome))"))
            // `fallbackReason`'s text.
            #expect(
                Self.bytes(KeyText.joined(parts[0], " not answered within ", parts[1]))
                    == Self.bytes("\(parts[0]) not answered within \(parts[1])"))
            #expect(Self.bytes(KeyText.joined(parts[0], parts[1], parts[2], parts[3])) == Self.bytes(parts.joined()))
            #expect(Self.bytes(KeyText.joined(parts[0], parts[1], parts[2])) == Self.bytes(parts[0] + parts[1] + parts[2]))
        }
    }

    /// `CompiledMessage.render` as it was: pieces appended to a byte array, decoded at the end.
    static func oracle(
        _ text: CompiledMessage.Text, slotValues: [String?]?, shown: (String, TemplateVariable.FieldKind) -> String,
        value: (TemplateVariable) -> String?
    ) -> String {
        if let literal = text.literal { return literal }
        var output: [UInt8] = []
        output.reserveCapacity(text.bytes.count + 24 * text.variables.count)
        for part in text.parts {
            if part.end > part.start { output.append(contentsOf: text.bytes[part.start..<part.end]) }
            guard part.variable >= 0 else { continue }
            let slot = text.slots[part.variable]
            let found: String?
            if let slotValues, slot >= 0 {
                found = slotValues[slot].map { shown($0, text.kinds[part.variable]) }
            } else {
                found = value(text.variables[part.variable])
            }
            output.append(contentsOf: (found ?? "(no value: \(text.names[part.variable]))").utf8)
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test("a message written once into its string renders what the byte buffer rendered", arguments: [1, 2, 3] as [UInt64])
    func render(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let pieces = [
            "{{ incident.title }}", "{{incident.host}}", "{{ incident.client_email }}", "{{ incident.owner }}", "{{ incident.other }}",
            "{{ now }}", "{{ recipient.name }}", "{{ layer.name }}", "{{ unknown.thing }}", "{{}}", "{{", "}}", "{", " ", "\n", "é", "日本",
            "Dear ", "the session has not started and nobody has joined yet; please call the client. ",
        ]
        let kinds: [String: TemplateVariable.FieldKind] = ["client_email": .address, "owner": .contact]
        let slots = ["host": 0, "client_email": 1, "owner": 2]
        for _ in 0..<3_000 {
            let source = (0..<rng.int(0...12)).map { _ in rng.pick(pieces) }.joined()
            let text = CompiledMessage.pieces(source, fieldKind: { kinds[$0] ?? .plain }, slot: { slots[$0] })
            var values: [TemplateVariable: String] = [:]
            for variable in text.variables where !rng.chance(25) { values[variable] = Self.word(&rng, parts: 0...6) }
            let slotValues: [String?]? = rng.chance(30) ? nil : (0..<3).map { _ in rng.chance(25) ? nil : Self.word(&rng, parts: 0...5) }
            let shown = { (value: String, kind: TemplateVariable.FieldKind) -> String in
                switch kind {
                case .plain: value
                case .contact: "name of \(value)"
                case .address: "\(value), \(value)"
                }
            }
            let expected = Self.oracle(text, slotValues: slotValues, shown: shown) { values[$0] }
            let rendered = CompiledMessage.render(text, slotValues: slotValues, shown: shown) { values[$0] }
            #expect(Self.bytes(rendered) == Self.bytes(expected), "\(source.debugDescription)")
        }
    }
}

/// A layer's texts and a policy's hook origins, written once per policy, against the interpolations `enter`,
/// `timerFired`, `start`, `acknowledge` and `resolve` wrote for every event.
@Suite("Engine texts written once")
struct TextsWrittenOnceTests {
    @Test("a layer node's origin, reason and timeout record", arguments: [1, 2, 3] as [UInt64])
    func nodeTexts(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<3_000 {
            let id = TextOnBytesTests.word(&rng, parts: 1...3)
            let layer = rng.chance(20) ? nil : TextOnBytesTests.word(&rng)
            var step: CompiledStep? = rng.chance(15) ? nil : CompiledStep(targets: [], channels: [], cc: [], tasks: [], posts: [])
            if rng.chance(50) { step?.alternative = TextOnBytesTests.word(&rng) }
            let wait: CompiledWait?
            switch rng.int(0...3) {
            case 0: wait = nil
            case 1: wait = CompiledWait(kind: .duration, seconds: rng.int(0...200_000), businessDays: 0, offsetSeconds: 0)
            case 2: wait = CompiledWait(kind: .business, seconds: rng.int(0...30_000), businessDays: rng.int(0...5), offsetSeconds: 0)
            default:
                wait = CompiledWait(
                    kind: .anchor, seconds: 0, businessDays: 0, field: rng.chance(90) ? TextOnBytesTests.word(&rng) : nil,
                    offsetSeconds: rng.int(-7_200...7_200))
            }
            let node = GraphNode(id: id, kind: rng.chance(50) ? .notify : .wait, layer: layer, step: step, wait: wait)
            let indexed = IndexedNode(node, outgoing: [], targets: [])
            guard let texts = indexed.texts else {
                #expect(layer == nil)
                continue
            }
            // The old code, with the id the node is reached by (the node's own id).
            let chosen = step?.alternative.map { ": \($0)" } ?? ""
            #expect(TextOnBytesTests.bytes(texts.origin) == TextOnBytesTests.bytes("layer \(node.layer ?? id)"))
            #expect(TextOnBytesTests.bytes(texts.started) == TextOnBytesTests.bytes("layer '\(node.layer ?? id)' started\(chosen)"))
            let timeout = wait.map { "timeout of \(node.layer.map { "layer '\($0)'" } ?? id) (\($0))" }
            #expect(texts.timeout.map(TextOnBytesTests.bytes) == timeout.map(TextOnBytesTests.bytes))
        }
    }

    @Test("a policy's hook origins and first record", arguments: Array(0..<20))
    func policyTexts(policy: Int) throws {
        let graph = try Org.graph(PropertyTests.policyYAML(seed: UInt64(policy) &* 7_919 &+ 11))
        let engine = Engine(graph: graph)
        for compiled in graph.policies {
            let index = try #require(engine.index.policyIndex(compiled.id))
            #expect(index.triggeredRecord == "triggered by policy '\(compiled.id)' (version \(compiled.version))")
            #expect(index.acknowledgeOrigins == compiled.hooks.acknowledge.indices.map { "on acknowledge #\($0 + 1)" })
            #expect(index.resolveOrigins == compiled.hooks.resolve.indices.map { "on resolve #\($0 + 1)" })
            #expect(index.triggerOrigins == (compiled.hooks.trigger ?? []).indices.map { "on trigger #\($0 + 1)" })
        }
    }
}
