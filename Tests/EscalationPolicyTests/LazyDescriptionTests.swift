import EscalationCore
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// The value readers of `DocumentReader` take the place they read (`what`) as an autoclosure: the text is built only
/// when a diagnostic is reported. This pins that each reader builds it exactly when it reports, and that every
/// message it reports still names the place, on 3,000 random scalars, lists and maps. The collection readers' hints are
/// autoclosures too: built exactly as often as a diagnostic carries them.
@Suite struct LazyDescriptionTests {
    static let values = [
        "15m", "15", "09:00", "9:30", "true", "True", "'true'", "~", "", "null", "abc", "[1, 2]", "{ a: 1 }", "2026-01-05",
        "2026-02-30", "2026-01-05T09:00", "Europe/London", "PST", "Mars/Base", "x.y", "Bad Id", "-3", "0", "1 business day",
        "\"15\"", "{{ x }}", "a, b",
    ]

    @Test func readersBuildTheirDescriptionOnlyWhenTheyReport() throws {
        var rng = SplitMix64(seed: 2_026)
        var reported = 0
        var hintsReported = 0
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
            var hinted = 0
            func hint() -> String? {
                hinted += 1
                return "the hint"
            }
            let reads: [() -> Void] = [
                { _ = reader.string(node, what: place()) }, { _ = reader.identifier(node, what: place()) },
                { _ = reader.fieldName(node, what: place()) }, { _ = reader.int(node, what: place(), minimum: 1) },
                { _ = reader.bool(node, what: place()) }, { _ = reader.duration(node, what: place(), allowBusiness: false) },
                { _ = reader.timeOfDay(node, what: place()) }, { _ = reader.date(node, what: place()) },
                { _ = reader.instant(node, what: place()) }, { _ = reader.timezone(node, what: place()) },
                { _ = reader.list(node, what: place()) }, { _ = reader.pairs(node, what: place()) },
                { _ = reader.entries(node, what: place()) }, { _ = reader.choice(node, what: place(), as: Severity.self) },
                // The hints of the collection readers are autoclosures too.
                { _ = reader.list(node, what: place(), hint: hint()) }, { _ = reader.pairs(node, what: place(), hint: hint()) },
                { _ = reader.entries(node, what: place(), hint: hint()) },
            ]
            let read = reads[Int(rng.next() % UInt64(reads.count))]
            read()
            let messages = sink.diagnostics.map(\.message)
            let hints = sink.diagnostics.compactMap(\.hint).filter { $0 == "the hint" }
            #expect(hinted == hints.count, "\(text): hint built \(hinted) times, \(hints)")
            if hinted > 0 { hintsReported += 1 }
            #expect((built > 0) == !messages.isEmpty, "\(text): built \(built) times, \(messages)")
            #expect(built <= messages.count, "\(text): built \(built) times, \(messages)")
            for message in messages { #expect(message.contains("place 'p'"), "\(text): \(message)") }
            reported += messages.count
        }
        #expect(reported > 500)
        #expect(hintsReported > 50)
    }

    /// `Fields.required` takes its hint and example as autoclosures: each is built only when the key is missing (the
    /// hint) or has no value (the example), and the message then holds it, on 2,000 random maps.
    @Test func requiredBuildsItsHintAndExampleOnlyWhenItReports() {
        var rng = SplitMix64(seed: 15)
        let lines = ["name: Ann\n", "name:\n", "other: 1\n", "name: ''\n", ""]
        var counts = (present: 0, empty: 0, missing: 0)
        for _ in 0..<2_000 {
            let text = "k:\n" + (0..<Int(rng.next() % 3)).map { _ in "  " + lines[Int(rng.next() % UInt64(lines.count))] }.joined()
            // A key drawn twice does not compose.
            guard let document = try? YAMLComposer.compose(text), let root = document.root, document.isMapping(root), document.count(root) > 0
            else { continue }
            let sink = DiagnosticSink()
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: sink)
            guard let map = reader.fields(document.value(root, 0), what: "contact 'k'", allowed: ["name", "other"]) else { continue }
            let before = sink.diagnostics.count
            var hints = 0
            var examples = 0
            let found = map.required(
                "name",
                hint: { () -> String? in
                    hints += 1
                    return "the hint"
                }(),
                example: { () -> String? in
                    examples += 1
                    return "name: K"
                }())
            let messages = sink.diagnostics.dropFirst(before).map { "\($0.message) \($0.hint ?? "")" }
            if found != nil {
                counts.present += 1
                #expect(hints == 0 && examples == 0 && messages.isEmpty, "\(text)")
            } else if map.keyLocation("name") != nil {
                counts.empty += 1
                #expect(hints == 0 && examples == 1, "\(text)")
                #expect(messages.count == 1 && messages[0].contains("e.g. 'name: K'"), "\(text): \(messages)")
            } else {
                counts.missing += 1
                #expect(hints == 1 && examples == 0, "\(text)")
                #expect(messages.count == 1 && messages[0].contains("the hint"), "\(text): \(messages)")
            }
        }
        #expect(counts.present > 200 && counts.empty > 100 && counts.missing > 100, "\(counts)")
    }
}
