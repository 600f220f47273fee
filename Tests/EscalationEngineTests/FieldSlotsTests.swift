import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// Messages read the incident's fields by slot (`FieldSlots`, kept beside the state): what they render must be what
/// reading each field by name renders, after any change of the fields, and the slots must never show in the state's
/// value (equality, hash, JSON).
@Suite("Fields read by slot")
struct FieldSlotsTests {
    static let policies = """
        policies:
          slots:
            name: Slots
            fields:
              host: { type: string }
              owner: { type: contact }
              client: { type: address, kind: email }
              long_field_name_past_15: { type: string }
            layers:
              - id: first
                notify: [{ contact: ann }]
                via: [email]
                template: many
        templates:
          many:
            subject: "{{ incident.host }} / {{ incident.undeclared }} / {{ incident.host }}"
            body: "{{ incident.owner }} {{ incident.client }} {{ incident.long_field_name_past_15 }} {{ incident.host }} {{ incident.nope }} {{ incident.undeclared }}"
          other:
            body: "{{ incident.extra }}{{ incident.host }}{{ incident.extra }}"
        """

    static let names = ["host", "owner", "client", "long_field_name_past_15", "undeclared", "nope", "extra", "unread", "K", "\u{212A}"]
    static let values = ["", "db1", "ann", "bob", "nobody", "Dana <dana@example.org>", "a@example.org, b@example.org", "é", "日本"]

    static func fields(_ rng: inout SplitMix64) -> [String: String] {
        var fields: [String: String] = [:]
        for name in names where rng.int(0...2) > 0 { fields[name] = rng.pick(values) }
        return fields
    }

    /// Each template rendered by slot and by name (the reference: `variable` reads `.field` from `state.fields`).
    static func renders(_ run: EngineRun) -> [(slotted: RenderedMessage, byName: RenderedMessage)] {
        ["many", "other"].compactMap { id in
            guard let compiled = run.nodes.message(id) else { return nil }
            let value = { (variable: TemplateVariable) in run.variable(variable, recipient: nil, layer: nil, alternative: nil) }
            let byName = RenderedMessage(
                template: id, subject: compiled.subject.map { CompiledMessage.render($0, value: value) },
                body: CompiledMessage.render(compiled.body, value: value))
            return (run.render(id, recipient: nil, layer: nil), byName)
        }
    }

    @Test("renders by slot what reading by name renders, as the fields change between renders", arguments: [1, 2, 3] as [UInt64])
    func agreesWithByName(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let engine = Engine(graph: try Org.graph(Self.policies))
        let other = Engine(graph: try Org.graph(Self.policies))
        let policy = try #require(engine.index.policyIndex("slots"))
        let otherPolicy = try #require(other.index.policyIndex("slots"))
        for _ in 0..<1_000 {
            var state = IncidentState(id: "I-1", policy: "slots", version: "1", title: "t", fields: Self.fields(&rng), triggeredAt: instant("2026-03-09T10:00"))
            // Now and then the state carries slots another engine's index read (its numbering must not be trusted).
            if rng.int(0...3) == 0 {
                let stale = EngineRun(engine: other, policy: otherPolicy, state: state, now: instant("2026-03-09T10:00"))
                _ = stale.field(slot: 0)
                state = stale.takeState()
                #expect(state.slots.read != nil)
            }
            let run = EngineRun(engine: engine, policy: policy, state: state, now: instant("2026-03-09T10:00"))
            for _ in 0..<4 {
                for (slotted, byName) in Self.renders(run) { #expect(slotted == byName) }
                // A change as a step makes it: merged data, one field set, one removed, or the whole map replaced.
                switch rng.int(0...3) {
                case 0: run.state.fields.merge(Self.fields(&rng)) { _, new in new }
                case 1: run.state.fields[rng.pick(Self.names)] = rng.pick(Self.values)
                case 2: run.state.fields[rng.pick(Self.names)] = nil
                default: run.state.fields = Self.fields(&rng)
                }
            }
        }
    }

    @Test("a field changed by a report, an update or a signal's data shows in the next message")
    func changesShow() throws {
        let engine = Engine(graph: try Org.graph(Self.policies))
        var state: IncidentState?
        let start = instant("2026-03-09T10:00")
        let first = engine.apply(.trigger(id: "I-1", policy: "slots", title: "t", fields: ["host": "db1"], dedupKey: nil), to: &state, now: start)
        let page = first.compactMap { effect -> Effect.Notification? in if case .notify(let notification) = effect { return notification }; return nil }
        #expect(page.first?.message.subject == "db1 / (no value: incident.undeclared) / db1")
        #expect(state?.slots.read != nil, "the trigger's message read the fields by slot")
        _ = engine.apply(.updateFields(["host": "db2", "undeclared": "u"]), to: &state, now: start.plus(1))
        #expect(state?.slots.read == nil, "a change of the fields drops the slots")
        var current = try #require(state)
        let run = EngineRun(engine: engine, policy: try #require(engine.index.policyIndex("slots")), state: current, now: start.plus(3))
        #expect(run.render("many", recipient: nil, layer: nil).subject == "db2 / u / db2")
        current = run.takeState()
        current.fields["host"] = "db3"
        let again = EngineRun(engine: engine, policy: try #require(engine.index.policyIndex("slots")), state: current, now: start.plus(4))
        #expect(again.render("many", recipient: nil, layer: nil).subject == "db3 / u / db3")
    }

    @Test("the slots take no part in the state's equality, hash or JSON", arguments: [1, 2] as [UInt64])
    func notPartOfTheValue(seed: UInt64) async throws {
        var rng = SplitMix64(seed: seed)
        let engine = Engine(graph: try Org.graph(Self.policies))
        let policy = try #require(engine.index.policyIndex("slots"))
        let sorted = JSONEncoder()
        sorted.outputFormatting = [.sortedKeys]
        for _ in 0..<2_000 {
            await Task.yield()  // a long test: lets the timing-sensitive tests that share the pool run
            let plain = IncidentStateJSONTests.state(&rng)
            var read = plain
            read.slots = FieldSlots(owner: policy, values: (0..<policy.slotCount).map { _ in rng.int(0...1) == 0 ? nil : rng.pick(Self.values) })
            #expect(read == plain)
            #expect(read.hashValue == plain.hashValue)
            #expect(read.sortedJSON == plain.sortedJSON)
            #expect(try sorted.encode(read) == sorted.encode(plain))
            // Unsorted, the order of a dictionary's keys differs between dictionaries of the same entries (Swift seeds each
            // one), so the unsorted JSON is compared as objects.
            let unsorted = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(read)) as? NSDictionary)
            let expected = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(plain)) as? NSDictionary)
            #expect(unsorted == expected)
            #expect(unsorted["slots"] == nil)
            let decoded = try JSONDecoder().decode(IncidentState.self, from: try JSONEncoder().encode(read))
            #expect(decoded == plain && decoded.slots.read == nil)
        }
    }
}
