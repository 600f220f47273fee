import EscalationCore
import EscalationPolicy
import Testing

/// Channel items with groups (`all:`) and waits for an answer (`unanswered:`), and their located errors.
@Suite("Loader: channel items")
struct ChannelItemLoaderTests {
    static func load(_ via: String) -> PolicyLoader.Loaded {
        let text = """
            organisation: { id: acme, name: Acme, timezone: UTC }
            contacts:
              pat: { name: Pat, addresses: { phone: "+1-555-0101", email: pat@example.org } }
            channels:
              phone: { plugin: voice }
              email: { plugin: email }
            templates:
              page: { body: hi }
            policies:
              p:
                name: P
                layers:
                  - id: only
                    notify: [{ contact: pat }]
                    template: page
                    via: \(via)
            """
        return PolicyLoader().load(files: [(path: "acme.yaml", text: text)])
    }

    @Test("groups and unanswered waits are read with their locations")
    func reads() throws {
        let loaded = Self.load("[{ all: [phone, email] }, { channel: email, unanswered: 2m }, { all: [phone], after: 10m }]")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let via = try #require(loaded.organisation.policy("p")?.layers.first?.step.via)
        #expect(via.map { $0.channels.map(\.value) } == [["phone", "email"], ["email"], ["phone"]])
        #expect(via.map { $0.all != nil } == [true, false, true])
        #expect(via[1].unanswered?.value.seconds == 120)
        #expect(via[1].unanswered?.location == SourceLocation(file: "acme.yaml", line: 16, column: 70))
        #expect(via[2].after?.value.seconds == 600)
    }

    @Test(
        "malformed items are located errors with a hint",
        arguments: [
            ("[{ all: [] }]", "'all' names no channel", "invalid_value"),
            ("[{ all: [phone, phone] }]", "channel 'phone' appears twice in 'all'", "invalid_value"),
            ("[{ channel: phone, all: [email] }]", "has both 'channel' and 'all'", "invalid_value"),
            ("[phone, { channel: email, after: 1m, unanswered: 2m }]", "has both 'after' and 'unanswered'", "invalid_value"),
            ("[phone, { channel: email, unanswered: 0s }]", "unanswered must be longer than 0s", "invalid_value"),
            ("[phone, { channel: email, unanswered: 1 business day }]", "must be wall-clock time", "invalid_duration"),
            ("[phone, { unanswered: 2m }]", "missing required key 'channel'", "missing_key"),
            ("[[phone, email]]", "must be a channel id or a map", "wrong_type"),
            ("[{ all: phone }]", "must be a list", "wrong_type"),
        ])
    func malformed(via: String, message: String, rule: String) throws {
        let loaded = Self.load(via)
        let diagnostic = try #require(loaded.diagnostics.first, "\(via) loads clean")
        #expect(diagnostic.message.contains(message), "\(diagnostic)")
        #expect(diagnostic.rule == rule)
        #expect(diagnostic.location?.line == 16)
        #expect(diagnostic.hint?.isEmpty == false)
    }
}
