import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// `validate` reads the declared fields by slot (`PolicyIndex.slotValues`) and a trigger keeps what it read as the new
/// state's `slots`. It must answer what reading the fields by name answered (the old `validate` is kept below as the
/// oracle), and the slots kept must be what a fill of the state's fields gives.
@Suite("Field checks by slot")
struct FieldChecksBySlotTests {
    static let policies = """
        policies:
          checked:
            name: Checked
            fields:
              at: { type: time, required: true, description: When it starts }
              count: { type: integer }
              ratio: { type: number }
              flag: { type: boolean, required: true }
              level: { type: enum, values: [low, high] }
              owner: { type: contact }
              owners: { type: list }
              client: { type: address, kind: email, required: true }
              phones: { type: address-list, kind: phone }
              chat: { type: address, kind: slack }
              note: { type: string }
              k: { type: string }
            layers:
              - id: first
                notify: [{ field: owner }, { field: owners }, { field: note }, { field: undeclared }]
                via: [email]
                template: page
        """

    static let names = ["at", "count", "ratio", "flag", "level", "owner", "owners", "client", "phones", "chat", "note", "k", "K", "\u{212A}", "undeclared"]
    static let values = [
        "", "2026-03-09T10:00", "2026-03-09T10:00-06:00", "tomorrow", "12", "1.5", "x1", "true", "false", "TRUE", "low", "high", "ann", "bob, cat",
        "nobody", "Dana <dana@example.org>", "a@example.org, b@example.org", "dana@", "+1-555-0150", "+1 555", "@ann", "a b", "é", "K",
    ]

    static func fields(_ rng: inout SplitMix64) -> [String: String] {
        var fields: [String: String] = [:]
        for name in names where rng.chance(75) { fields[name] = rng.pick(values) }
        return fields
    }

    @Test("validate gives the problems reading by name gave, in order", arguments: [1, 2, 3] as [UInt64])
    func agreesWithByName(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let engine = Engine(graph: try Org.graph(Self.policies))
        for _ in 0..<2_000 {
            let fields = Self.fields(&rng)
            #expect(engine.validate(policy: "checked", fields: fields) == engine.oracleValidate(policy: "checked", fields: fields), "\(fields)")
        }
        #expect(engine.validate(policy: "nope", fields: [:]) == ["unknown policy 'nope'"])
    }

    @Test("each check keeps its field's slot, as the slot table gives it")
    func checksKeepTheirSlots() throws {
        let engine = Engine(graph: try Org.graph(Self.policies))
        let policy = try #require(engine.index.policyIndex("checked"))
        #expect(policy.fieldChecks.count == policy.policy.fields.count)
        for check in policy.fieldChecks { #expect(check.slot == policy.fieldSlots[check.field.name], "\(check.field.name)") }
    }

    @Test("a trigger keeps the fields it checked as the state's slots", arguments: [4, 5] as [UInt64])
    func triggerKeepsTheSlots(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let engine = Engine(graph: try Org.graph(Self.policies))
        let policy = try #require(engine.index.policyIndex("checked"))
        var triggered = 0
        for _ in 0..<1_000 {
            // Fields that pass the checks (each value kept only if it passes alone), so most triggers open.
            let required = ["at": "2026-03-09T10:00", "flag": "true", "client": "Dana <dana@example.org>"]
            var fields = required
            for (name, value) in Self.fields(&rng)
            where rng.chance(5) || engine.validate(policy: "checked", fields: required.merging([name: value]) { _, new in new }).isEmpty {
                fields[name] = value
            }
            var state: IncidentState?
            _ = engine.apply(.trigger(id: "I", policy: "checked", title: "t", fields: fields, dedupKey: nil), to: &state, now: instant("2026-03-09T09:00"))
            guard let opened = state else { continue }
            triggered += 1
            let read = try #require(opened.slots.read)
            #expect(read.owner === policy)
            #expect(read.values == policy.slotValues(opened.fields))
        }
        #expect(triggered > 100)
    }
}

extension Engine {
    /// `validate` as it was before it read the fields by slot (the oracle).
    func oracleValidate(policy id: String, fields: [String: String]) -> [String] {
        guard let indexed = index.policyIndex(id) else { return ["unknown policy '\(id)'"] }
        var problems: [String] = []
        for check in indexed.fieldChecks {
            let field = check.field
            guard let value = fields[field.name], !value.isEmpty else {
                if field.required { problems.append("missing required field '\(field.name)'\(field.description.map { " (\($0))" } ?? "")") }
                continue
            }
            switch check.kind {
            case .time where Instant.parse(value, zone: index.zone) == nil:
                problems.append("field '\(field.name)' must be a time like 2026-11-22T10:00 or 2026-11-22T10:00-06:00, got '\(value)'")
            case .integer where Int(value) == nil:
                problems.append("field '\(field.name)' must be a whole number, got '\(value)'")
            case .number where Double(value) == nil:
                problems.append("field '\(field.name)' must be a number, got '\(value)'")
            case .boolean where value != "true" && value != "false":
                problems.append("field '\(field.name)' must be true or false, got '\(value)'")
            case .enumeration where !field.values.contains(value):
                problems.append("field '\(field.name)' must be one of \(field.values.joined(separator: ", ")), got '\(value)'")
            case .contact where !index.isContact(value):
                problems.append("field '\(field.name)' must name a contact, got '\(value)'")
            case .address(let single):
                let entries = IncidentAddress.entries(value)
                if single, entries.count > 1 {
                    problems.append("field '\(field.name)' takes one address, got \(entries.count); declare it 'type: address-list' for several")
                }
                let kind = field.addressKind ?? "address"
                problems += entries.compactMap { $0.problem(kind: kind) }.map { "field '\(field.name)' (\(kind)): \($0)" }
            default: break
            }
        }
        return problems
    }
}
