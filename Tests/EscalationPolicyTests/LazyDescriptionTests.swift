import EscalationCore
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// The value readers of `DocumentReader` take the place they read (`what`) as an autoclosure: the text is built only
/// when a diagnostic is reported. This pins that each reader builds it exactly when it reports, and that every
/// message it reports still names the place, on 3,000 random scalars, lists and maps.
@Suite struct LazyDescriptionTests {
    static let values = [
        "15m", "15", "09:00", "9:30", "true", "True", "'true'", "~", "", "null", "abc", "[1, 2]", "{ a: 1 }", "2026-01-05",
        "2026-02-30", "2026-01-05T09:00", "Europe/London", "PST", "Mars/Base", "x.y", "Bad Id", "-3", "0", "1 business day",
        "\"15\"", "{{ x }}", "a, b",
    ]

    @Test func readersBuildTheirDescriptionOnlyWhenTheyReport() throws {
        var rng = SplitMix64(seed: 2_026)
        var reported = 0
        for _ in 0..<3_000 {
            let text = "v: \(Self.values[Int(rng.next() % UInt64(Self.values.count))])\n"
            let document = try YAMLComposer.compose(text)
            guard let root = document.root, document.isMapping(root), document.count(root) > 0 else { continue }
            let node = document.value(root, 0)
            let sink = DiagnosticSink()
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: sink)
            var built = 0
            func place() -> String {
                built += 1
                return "place 'p'"
            }
            let reads: [() -> Void] = [
                { _ = reader.string(node, what: place()) }, { _ = reader.identifier(node, what: place()) },
                { _ = reader.fieldName(node, what: place()) }, { _ = reader.int(node, what: place(), minimum: 1) },
                { _ = reader.bool(node, what: place()) }, { _ = reader.duration(node, what: place(), allowBusiness: false) },
                { _ = reader.timeOfDay(node, what: place()) }, { _ = reader.date(node, what: place()) },
                { _ = reader.instant(node, what: place()) }, { _ = reader.timezone(node, what: place()) },
                { _ = reader.list(node, what: place()) }, { _ = reader.pairs(node, what: place()) },
                { _ = reader.entries(node, what: place()) }, { _ = reader.choice(node, what: place(), as: Severity.self) },
            ]
            let read = reads[Int(rng.next() % UInt64(reads.count))]
            read()
            let messages = sink.diagnostics.map(\.message)
            #expect((built > 0) == !messages.isEmpty, "\(text): built \(built) times, \(messages)")
            #expect(built <= messages.count, "\(text): built \(built) times, \(messages)")
            for message in messages { #expect(message.contains("place 'p'"), "\(text): \(message)") }
            reported += messages.count
        }
        #expect(reported > 500)
    }
}
