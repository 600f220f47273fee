@testable import EscalationEngine
import EscalationCore
import Testing

/// The renderer fills placeholders in one pass; what it renders is pinned here, edge cases included.
@Suite("Template renderer")
struct TemplateRendererTests {
    @Test("placeholders with and without spaces, missing values, unclosed braces, non-ASCII text")
    func cases() {
        let values = ["incident.title": "Disk full ✓", "recipient.name": "Zoë"]
        #expect(TemplateRenderer.render("Hi {{recipient.name}}: {{ incident.title }}!", variables: values) == "Hi Zoë: Disk full ✓!")
        #expect(TemplateRenderer.render("{{\tincident.title  }}", variables: values) == "Disk full ✓")
        #expect(TemplateRenderer.render("{{ incident.eta }}", variables: values) == "(no value: incident.eta)")
        #expect(TemplateRenderer.render("open {{ incident.title", variables: values) == "open {{ incident.title")
        #expect(TemplateRenderer.render("a { b } {x}} }}{{", variables: values) == "a { b } {x}} }}{{")
        #expect(TemplateRenderer.render("", variables: values) == "")
        #expect(TemplateRenderer.render("{{}}", variables: ["": "empty"]) == "empty")
        #expect(TemplateRenderer.render("{{{ incident.title }}}", variables: values) == "(no value: { incident.title)}")
        #expect(TemplateRenderer.render("日本 {{ recipient.name }} 語", variables: values) == "日本 Zoë 語")
    }
}

/// Templates split once into pieces render what the one-pass renderer rendered before, on random text.
@Suite("Template pieces")
struct TemplatePiecesTests {
    /// The renderer as it was before templates were split into pieces: the reference.
    private func reference(_ text: String, _ value: (String) -> String?) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "{"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{") else {
                output.append(bytes[index])
                index += 1
                continue
            }
            var end = index + 2
            while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "}") && bytes[end + 1] == UInt8(ascii: "}")) { end += 1 }
            guard end + 1 < bytes.count else {
                output.append(contentsOf: bytes[index...])
                break
            }
            var start = index + 2
            var stop = end
            while start < stop, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while stop > start, bytes[stop - 1] == 0x20 || bytes[stop - 1] == 0x09 { stop -= 1 }
            let name = String(decoding: bytes[start..<stop], as: UTF8.self)
            output.append(contentsOf: (value(name) ?? "(no value: \(name))").utf8)
            index = end + 2
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test("renders as the one-pass renderer did, and the engine's resolved names agree", arguments: [1, 2, 3] as [UInt64])
    func agreesWithReference(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let pieces = ["{", "{{", "}", "}}", " ", "\t", "incident.title", "incident.host", "now", "x", "é", "日本", "\n"]
        let values = ["incident.title": "T", "incident.host": "db1", "now": "N", "": "E"]
        for _ in 0..<2_000 {
            let text = (0..<rng.int(0...14)).map { _ in rng.pick(pieces) }.joined()
            let expected = reference(text) { values[$0] }
            #expect(TemplateRenderer.render(text) { values[$0] } == expected, "\(text.debugDescription)")
            let compiled = CompiledMessage.pieces(text)
            let rendered = CompiledMessage.render(compiled) { variable in
                switch variable {
                case .incidentTitle: "T"
                case .field("host", _): "db1"
                case .now: "N"
                default: nil
                }
            }
            // The empty name is no variable to the engine, so it renders as missing there.
            #expect(rendered == reference(text) { $0 == "" ? nil : values[$0] }, "\(text.debugDescription)")
        }
    }
}
