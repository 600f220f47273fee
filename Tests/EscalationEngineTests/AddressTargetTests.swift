import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// People outside the organisation, reached at addresses the incident carries (`type: address`, `{ address: F }`).
@Suite("Engine: addresses from the incident")
struct AddressTargetTests {
    static let policies = """
        policies:
          client:
            name: Client
            fields:
              client_phone: { type: address, kind: phone, required: true }
              client_email: { type: address, kind: email, required: true }
              participants: { type: address-list, kind: email }
            layers:
              - id: call-then-mail
                notify: [{ address: [client_phone, client_email] }]
                via: [phone, { channel: email, after: 5m }]
                cc: [{ address: participants }]
                template: greeting
                timeout: 30m
              - id: owner
                notify: [{ contact: ann }]
                via: [email]
                template: greeting
        templates:
          greeting:
            subject: "Hello {{ recipient.name }}"
            body: "Dear {{ incident.client_email }}"
        """

    static let fields = [
        "client_phone": "+1-555-0150", "client_email": "Dana Client <dana@example.org>",
        "participants": "a@example.org, \"Lee, Sam\" <sam@example.org>",
    ]

    @Test("one person with a phone and an e-mail from two fields: called first, e-mailed 5 minutes later; named in the message; participants in cc")
    func onePersonTwoAddresses() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:00"))
        let first = driver.trigger("client", fields: Self.fields).notifications
        #expect(first.count == 1)
        let call = try #require(first.first)
        #expect(call.channel == "phone" && call.address == "+1-555-0150" && call.contact == "+1-555-0150")
        #expect(call.message.subject == "Hello Dana Client")
        #expect(call.message.body == "Dear Dana Client")
        #expect(call.cc.isEmpty, "participants have no phone address: \(call.cc)")
        let later = driver.run(until: instant("2026-03-09T10:05")).map(\.effect).notifications
        let mail = try #require(later.first)
        #expect(mail.channel == "email" && mail.address == "dana@example.org")
        #expect(mail.cc == ["a@example.org", "sam@example.org"])
    }

    @Test("an address recipient cannot stop the ladder by being notified: the next layer still runs (nobody acknowledged)")
    func cannotAcknowledge() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:00"))
        driver.trigger("client", fields: Self.fields)
        driver.run(until: instant("2026-03-09T11:00"))
        let notified = driver.allEffects.map(\.effect).notifications.map(\.contact)
        #expect(notified.contains("ann"))
        #expect(driver.state?.status == .open)
    }

    @Test("a trigger with a malformed address, or two where one is declared, is refused with the field and the kind")
    func validation() throws {
        let engine = Engine(graph: try Org.graph(Self.policies))
        var bad = Self.fields
        bad["client_email"] = "not-an-address"
        bad["client_phone"] = "call me"
        let problems = engine.validate(policy: "client", fields: bad)
        #expect(problems.contains { $0.contains("client_email") && $0.contains("e-mail") })
        #expect(problems.contains { $0.contains("client_phone") && $0.contains("phone number") })
        var two = Self.fields
        two["client_email"] = "a@example.org, b@example.org"
        #expect(engine.validate(policy: "client", fields: two).contains { $0.contains("takes one address") })
        #expect(engine.validate(policy: "client", fields: Self.fields).isEmpty)
    }

    @Test("address lists split on commas outside quotes and angle brackets, with or without names")
    func parsing() {
        let entries = IncidentAddress.entries(#"a@example.org, "Lee, Sam" <sam@example.org>,  Kim <kim@example.org> ,"#)
        #expect(entries == [
            IncidentAddress(name: nil, address: "a@example.org"), IncidentAddress(name: "Lee, Sam", address: "sam@example.org"),
            IncidentAddress(name: "Kim", address: "kim@example.org"),
        ])
        #expect(IncidentAddress(name: nil, address: "+44 20 7946 0958").problem(kind: "phone") == nil)
        #expect(IncidentAddress(name: nil, address: "@dana").problem(kind: "slack") == nil)
        #expect(IncidentAddress(name: nil, address: "x@y").problem(kind: "email") != nil)
    }
}
