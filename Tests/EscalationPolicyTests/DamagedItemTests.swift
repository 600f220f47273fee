import EscalationCore
import EscalationPolicy
import Testing

/// The loader names the items whose declarations had errors, so lint rules skip follow-on problems by kind and id
/// rather than by searching message text.
@Suite("Damaged items")
struct DamagedItemTests {
    @Test("items with errors are recorded by kind and id; clean ones are not")
    func recorded() {
        let loaded = LoaderTests.load(
            """
            contacts:
              alice: { name: Alice, addresses: { email: alice@example.org } }
              bob: { name: Bob, addresses: { email: bob@example.org }, kind: robot }
            groups:
              leads: { members: [alice] }
            templates:
              page: { body: "Page" }
            policies:
              outage:
                name: Outage
                fields:
                  good: { type: string }
                  Bad-Name: { type: string }
                  typed: { type: colour }
                layers: [{ notify: [{ contact: alice }] }]
            """)
        #expect(loaded.diagnostics.contains { $0.severity == .error })
        let damaged = loaded.organisation.damaged
        #expect(damaged.contains(ModelItem(.contact, "bob")))
        #expect(damaged.contains(ModelItem(.group, "leads")))
        #expect(damaged.contains(ModelItem(.field, "Bad-Name")))
        #expect(damaged.contains(ModelItem(.field, "typed")))
        #expect(damaged.contains(ModelItem(.policyFields, "outage")))
        #expect(!damaged.contains(ModelItem(.contact, "alice")))
        #expect(!damaged.contains(ModelItem(.field, "good")))
        #expect(!damaged.contains(ModelItem(.template, "page")))
    }
}
