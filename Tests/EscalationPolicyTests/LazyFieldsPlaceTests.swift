import EscalationCore
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// `fields` keeps the mapping's place (`what`) as a closure that `Fields` calls only for a message. This pins, on 2,000
/// random mappings (allowed and unknown keys, merges, values missing or null, a list or text where a map belongs), that
/// the place is made only when a diagnostic is added, and that each diagnostic then names it as before.
@Suite struct LazyFieldsPlaceTests {
    @Test func thePlaceIsMadeOnlyForAMessage() throws {
        let keys = ["a", "b", "c", "<<"]
        let values = ["1", "~", "", "x", "[1]"]
        var rng = SplitMix64(seed: 606)
        var quiet = 0
        var reported = 0
        for round in 0..<2_000 {
            var text = rng.mappingText(keys: keys) { key, rng in key == "<<" ? "{ a: 7, c: ~ }" : values[Int(rng.next() % UInt64(values.count))] }
            if round % 10 == 0 { text = ["- a", "just text", "[1, 2]"][round / 10 % 3] + "\n" }
            let document = try YAMLComposer.compose(text)
            guard let node = document.root else { continue }
            let sink = DiagnosticSink()
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: sink)
            var made = 0
            let fields = reader.fields(
                node,
                describedBy: {
                    made += 1
                    return "the place 'p'"
                }, allowed: ["a", "b"])
            _ = fields?.required("a")
            _ = fields?.required("b")
            reader.reportUnknownKeys()
            let messages = sink.diagnostics.map(\.message)
            if messages.isEmpty {
                #expect(made == 0, "\(text)")
                quiet += 1
            } else {
                #expect(made > 0, "\(text)")
                #expect(messages.allSatisfy { $0.contains("the place 'p'") }, "\(messages) for \(text)")
                reported += 1
            }
        }
        #expect(quiet > 20)
        #expect(reported > 1_000)
    }
}
