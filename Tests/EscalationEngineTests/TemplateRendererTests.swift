import EscalationEngine
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
