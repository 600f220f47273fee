import EscalationCore
import EscalationPolicy
import Testing

@Suite("Loader")
struct LoaderTests {
    static let header = """
        organisation:
          id: acme
          name: Acme
          timezone: Europe/London

        """

    static func load(_ text: String, header: Bool = true) -> PolicyLoader.Loaded {
        PolicyLoader().load(files: [(path: "acme.yaml", text: (header ? Self.header : "") + text)])
    }

    @Test("a clean file loads every section with locations")
    func cleanFile() throws {
        let loaded = Self.load(
            """
            contacts:
              jessie:
                name: Jessie
                addresses: { phone: "+1-555-0101", email: jessie@example.org }
                preferences: [phone, { channel: email, after: 5m }]
            channels:
              phone: { plugin: voice }
              email: { plugin: email, settings: { password: "${env:SMTP_PASSWORD}" } }
            templates:
              page:
                subject: "Outage {{ incident.title }}"
                body: |
                  Started {{ incident.started_at }}
                  See {{ incident.url }}
            policies:
              outage:
                name: Outage
                fields:
                  session.start: { type: time, required: true }
                layers:
                  - id: first
                    notify: [{ contact: jessie }]
                    template: page
                    at: session.start + 15m
            """)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let organisation = loaded.organisation
        #expect(organisation.header?.timezone.value == "Europe/London")
        let jessie = try #require(organisation.contact("jessie"))
        #expect(jessie.id.location == SourceLocation(file: "acme.yaml", line: 6, column: 3))
        #expect(jessie.address("email") == "jessie@example.org")
        #expect(jessie.preferences.map(\.channel.value) == ["phone", "email"])
        #expect(jessie.preferences.last?.after?.value.seconds == 300)
        let template = try #require(organisation.template("page"))
        #expect(template.variables.map(\.value) == ["incident.title", "incident.started_at", "incident.url"])
        // Variables are located where their braces are, including inside a block scalar.
        #expect(template.variables.map(\.location.description) == ["acme.yaml:15:22", "acme.yaml:17:15", "acme.yaml:18:11"])
        let layer = try #require(organisation.policy("outage")?.layers.first)
        #expect(layer.at?.value == Anchor(field: "session.start", offsetSeconds: 900))
        #expect(organisation.channel("email")?.settings?["password"]?.string == "${env:SMTP_PASSWORD}")
    }

    @Test("a file with three independent mistakes reports all three")
    func threeMistakes() {
        let loaded = Self.load(
            """
            contacts:
              jessie:
                name: Jessie
                adresses: { email: jessie@example.org }
            schedules:
              on-call:
                name: On call
                rotation: { members: [jessie], shift: 1 week, start: 2026-01-05T09:00 }
            policies:
              outage:
                name: Outage
                layers:
                  - id: first
                    notify: [{ contact: jessie }]
                    template: page
                    timeout: 15
            """)
        let rules = loaded.diagnostics.map(\.rule)
        #expect(rules.contains("unknown_key"))
        #expect(rules.contains("missing_key"))  // the misspelt addresses also leaves 'addresses' missing
        #expect(rules.filter { $0 == "invalid_duration" }.count == 2)
        #expect(loaded.diagnostics.allSatisfy { $0.location != nil })
    }

    @Test("a duplicate key is reported at its second occurrence")
    func duplicateKey() throws {
        let loaded = Self.load(
            """
            contacts:
              jessie:
                name: Jessie
                addresses: { email: jessie@example.org }
                name: Jess
            """)
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.rule == "duplicate_key")
        #expect(diagnostic.location?.description == "acme.yaml:9:5")
        #expect(diagnostic.message.contains("line 7"))
    }

    @Test("YAML syntax errors are located")
    func syntaxError() throws {
        let loaded = Self.load("contacts:\n  jessie: { name: Jessie\n", header: false)
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.rule == "yaml_syntax")
        #expect(diagnostic.location?.description == "acme.yaml:2:11")  // the '{' that is never closed
        #expect(diagnostic.message.contains("never closed"))
    }

    @Test("merge keys bring in defaults; local keys win; unknown merged keys point into the anchor")
    func mergeKeys() throws {
        let loaded = Self.load(
            """
            contacts:
              base: &person
                name: Base
                addresses: { email: base@example.org }
              jessie:
                <<: *person
                name: Jessie
              matt:
                <<: [*person, { timezone: America/Chicago }]
                name: Matt
            """)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.organisation.contact("jessie")?.name.value == "Jessie")
        #expect(loaded.organisation.contact("jessie")?.address("email") == "base@example.org")
        #expect(loaded.organisation.contact("matt")?.timezone?.value == "America/Chicago")
    }

    @Test("times of day: unquoted 08:00 is read as text; a bad time is located")
    func timesOfDay() throws {
        let calendar = PolicyLoader().load(files: [(path: "c.yaml", text: """
            organisation:
              id: acme
              name: Acme
              timezone: UTC
              calendars:
                office:
                  hours:
                    - { days: [mon], from: 08:00, to: "17:00" }
                    - { days: [tue], from: 8am, to: "17:00" }
            """)])
        let hours = try #require(calendar.organisation.calendar("office")?.hours.first)
        #expect(hours.from.minutes == 480)
        let diagnostic = try #require(calendar.diagnostics.first)
        #expect(diagnostic.rule == "invalid_time")
        #expect(diagnostic.location?.description == "c.yaml:9:32")
    }

    @Test("ids across files must be unique")
    func duplicateAcrossFiles() throws {
        let loaded = PolicyLoader().load(files: [
            (path: "a.yaml", text: Self.header + "contacts:\n  jessie: { name: J, addresses: { email: j@example.org } }\n"),
            (path: "b.yaml", text: "contacts:\n  jessie: { name: J2, addresses: { email: j2@example.org } }\n"),
        ])
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.rule == "duplicate_id")
        #expect(diagnostic.location?.description == "b.yaml:2:3")
        #expect(diagnostic.message.contains("a.yaml:6:3"))
    }

    @Test("timezones must be IANA names; an abbreviation gets a suggestion")
    func timezoneAbbreviation() throws {
        let loaded = Self.load("contacts:\n  jessie: { name: J, addresses: { email: j@example.org }, timezone: PST }\n")
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.rule == "invalid_timezone")
        #expect(diagnostic.location?.description == "acme.yaml:6:69")
        #expect(diagnostic.message.contains("'PST' is an abbreviation, not an IANA name; use e.g. America/Los_Angeles"))
        #expect(Self.load("contacts:\n  jessie: { name: J, addresses: { email: j@example.org }, timezone: UTC }\n").diagnostics.isEmpty)
    }

    @Test("a duplicate key in a flow mapping is reported at its second occurrence")
    func duplicateFlowKey() throws {
        let loaded = Self.load("contacts:\n  jessie: { name: J, addresses: { email: j@example.org }, name: K }\n")
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.rule == "duplicate_key")
        #expect(diagnostic.location?.description == "acme.yaml:6:59")
        #expect(diagnostic.message.contains("line 6, column 13"))
    }

    @Test("a missing key is reported at the key that owns the map; a null one at itself")
    func missingKeyAtOwner() throws {
        let loaded = Self.load("contacts:\n  jessie:\n    addresses: { email: j@example.org }\n  matt:\n    name:\n    addresses: { email: m@example.org }\n")
        let messages = loaded.diagnostics.map { "\($0.location?.description ?? "-") \($0.message) / \($0.hint ?? "")" }
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.first?.hasPrefix("acme.yaml:6:3 missing required key 'name' in contact 'jessie'") == true, "\(messages)")
        #expect(messages.last?.hasPrefix("acme.yaml:9:5 'name' in contact 'matt' has no value / give 'name' a value") == true, "\(messages)")
    }

    @Test("anchors: spaces around the sign are optional; business offsets are refused with their own kind")
    func anchors() throws {
        #expect(try Anchor.parse("session.start+15m").get() == Anchor(field: "session.start", offsetSeconds: 900))
        #expect(try Anchor.parse("session.start - 5m").get() == Anchor(field: "session.start", offsetSeconds: -300))
        guard case .failure(let error) = Anchor.parse("session.start + 1 business day") else {
            Issue.record("a business offset was accepted")
            return
        }
        #expect(error.message.contains("must be wall time"))
    }

    @Test("an unknown key merged into several maps is reported once")
    func mergedUnknownKey() throws {
        let loaded = Self.load(
            """
            contacts:
              base: &person
                name: Base
                adresses: { email: base@example.org }
                addresses: { email: base@example.org }
              jessie:
                <<: *person
                name: Jessie
            """)
        let unknown = loaded.diagnostics.filter { $0.rule == "unknown_key" }
        #expect(unknown.count == 1, "\(unknown)")
        #expect(unknown.first?.location?.description == "acme.yaml:8:5")
        #expect(unknown.first?.message.contains("also merged in via '<<' at line 11") == true, "\(unknown)")
    }
}
