import EscalationCore
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// ASCII templates are scanned byte by byte; this pins that the scan finds the same variables, at the same places,
/// with the same diagnostics, as Foundation's string search (still used for other text).
@Suite struct TemplateTextTests {
    func compare(_ text: String, mark: YAMLMark) {
        let source = SourceText(file: "t.yaml", text: text)
        let asciiSink = DiagnosticSink()
        let foundationSink = DiagnosticSink()
        let ascii = TemplateText.asciiVariables(in: text, what: "template t", source: source, mark: mark, sink: asciiSink)
        let foundation = TemplateText.foundationVariables(in: text, what: "template t", source: source, mark: mark, sink: foundationSink)
        #expect(ascii.map(\.value) == foundation.map(\.value), "text \(text.debugDescription)")
        #expect(ascii.map(\.location) == foundation.map(\.location), "text \(text.debugDescription)")
        #expect(asciiSink.diagnostics == foundationSink.diagnostics, "text \(text.debugDescription)")
    }

    @Test func agreesWithFoundationOnChosenAndRandomTemplates() throws {
        let document = try YAMLComposer.compose("x")
        let mark = try #require(document.root.map(document.mark))
        let chosen = [
            "", "{{", "}}", "{{}}", "{{ incident.title }}", "a {{ b }} c {{ d.e }}", "{{{ x }}}", "{{ x }} {{", "{{ a {{ b }} }}",
            "{{ Bad Name }}", "{{\tincident.x\t}}", "line\n{{ a }}\n{{ b }}\n", "}} {{ a }}", "{{ a }}}}", "{{{{}}}}",
        ]
        for text in chosen { compare(text, mark: mark) }
        let alphabet = Array("{{}} ab.c_\n\tX1")
        var state: UInt64 = 2_026
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 59) % 24
            var text = ""
            var bits = state
            for _ in 0..<length {
                bits = bits &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int((bits >> 33) % UInt64(alphabet.count))])
            }
            compare(text, mark: mark)
        }
    }
}
