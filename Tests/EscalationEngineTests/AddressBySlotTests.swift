import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// An `address` target reads the state's own fields at their slots (`PolicyIndex.addressFields`) through
/// `RuleGraph.addressRecipients(of:reading:)`, and the by-name path now goes through the same rule: both must give the
/// people the rule gave when it copied each declaration out of the index and read the value by name (kept below as the
/// oracle), on random policies (duplicate and canonically equal field names, every field type), fields and targets.
@Suite("Address targets read by slot")
struct AddressBySlotTests {
    static let t0 = instant("2026-03-09T10:00")
    /// Field names, among them canonically equal spellings (`K` and the Kelvin sign, `é` composed and not).
    static let names = ["one", "list", "phone", "owner", "K", "\u{212A}", "caf\u{E9}", "cafe\u{301}", "missing"]
    static let values = [
        "", "Dana <dana@example.org>", "dana@example.org", "ann", "+1-555-0150", "a@example.org, \"Lee, Sam\" <sam@example.org>",
        "K", "Zoë <z@example.org>", " , ", "b@example.org, c@example.org",
    ]
    static let contactIDs = ["ann", "dana@example.org", "K"]

    static func graph(_ rng: inout SplitMix64) -> RuleGraph {
        let fields = (0..<rng.int(0...7)).map { _ in
            CompiledField(
                name: rng.pick(names.dropLast()), type: rng.pick(["address", "address", "address-list", "contact", "list", "string"]), required: false, values: [],
                addressKind: rng.chance(70) ? rng.pick(["email", "phone", "K", "\u{212A}"]) : nil)
        }
        let contacts = contactIDs.filter { _ in rng.chance(50) }.map {
            CompiledContact(id: $0, name: $0.uppercased(), canAcknowledge: true, addresses: ["email": $0], preferences: [])
        }
        let policy = CompiledPolicy(
            id: "p", name: "P", version: "1", match: [:], priority: 0, fields: fields, outcomes: [], until: [], entry: "start", nodes: [], edges: [],
            stages: [], actions: [], hooks: CompiledHooks(acknowledge: [], resolve: [], signals: [:]))
        return RuleGraph(
            organisation: "o", name: "O", timezone: "UTC", calendars: [], contacts: contacts, groups: [], schedules: [], channels: [], templates: [],
            policies: [policy], routes: [])
    }

    static func fields(_ rng: inout SplitMix64) -> [String: String] {
        var fields: [String: String] = [:]
        for name in names where rng.chance(60) { fields[name] = rng.pick(values) }
        return fields
    }

    static func target(_ rng: inout SplitMix64) -> CompiledTarget {
        let also: [String]? = rng.chance(40) ? nil : (0..<rng.int(0...3)).map { _ in rng.pick(names) }
        return CompiledTarget(kind: rng.chance(95) ? "address" : "field", ref: rng.pick(names), also: also)
    }

    @Test("the walk's people and the by-name rule agree with the rule before the slot reader", arguments: [1, 2, 3] as [UInt64])
    func agreesWithTheOldRule(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<100 {
            let graph = Self.graph(&rng)
            let engine = Engine(graph: graph)
            let index = try #require(engine.index.policyIndex("p"))
            let policy = try #require(graph.policies.first)
            for _ in 0..<20 {
                var state = IncidentState(id: "I-1", policy: "p", version: "1", title: "t", fields: Self.fields(&rng), triggeredAt: Self.t0)
                // Half the time the fields are already read by slot, as after a trigger.
                if rng.chance(50) { state.slots = FieldSlots(owner: index, values: index.slotValues(state.fields)) }
                let run = EngineRun(engine: engine, policy: index, state: state, now: Self.t0)
                let targets = (0..<rng.int(1...3)).map { _ in Self.target(&rng) }
                for target in targets {
                    let expected = Self.oracle(target, declaredBy: policy.field, fields: state.fields)
                    #expect(RuleGraph.addressRecipients(of: target, declaredBy: index.field, fields: state.fields) == expected, "\(target) \(state.fields)")
                }
                // The engine's walk (the state's fields, read by slot) against the oracle's people, as the walk keeps them.
                var ids: [String] = []
                var people: [String: CompiledContact] = [:]
                for target in targets where target.kind == "address" {
                    for person in Self.oracle(target, declaredBy: policy.field, fields: state.fields) where !engine.index.isContact(person.id) {
                        people[person.id] = people[person.id] ?? person
                        ids.append(person.id)
                    }
                }
                var seen = Set<String>()
                let expected = ids.filter { seen.insert($0).inserted }.compactMap { people[$0] }
                let addressTargets = targets.filter { $0.kind == "address" }
                #expect(run.contacts(for: addressTargets) == expected, "\(addressTargets) \(state.fields)")
            }
        }
    }

    /// `RuleGraph.addressRecipients(of:declaredBy:fields:)` as it was before the slot reader (the oracle): each
    /// declaration copied out of `field`, each value read by the declared name.
    static func oracle(_ target: CompiledTarget, declaredBy field: (String) -> CompiledField?, fields: [String: String]) -> [CompiledContact] {
        if target.kind == "address", target.also?.isEmpty ?? true {
            guard let only = field(target.ref) else { return [] }
            let kind = only.addressKind ?? "address"
            if only.type == "address-list" {
                return IncidentAddress.entries(fields[only.name] ?? "").map { entry in
                    CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])
                }
            }
            guard let entry = IncidentAddress.firstEntry(fields[only.name] ?? "") else { return [] }
            return [CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])]
        }
        guard target.kind == "address", let first = field(target.ref) else { return [] }
        let also = target.also ?? []
        if first.type == "address-list" {
            for name in also where field(name) == nil { return [] }
            let kind = first.addressKind ?? "address"
            return IncidentAddress.entries(fields[first.name] ?? "").map { entry in
                CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])
            }
        }
        var addresses = [String: String](minimumCapacity: 1 + also.count)
        var id: String?
        var name: String?
        for position in -1..<also.count {
            let declared: CompiledField
            if position < 0 {
                declared = first
            } else {
                guard let found = field(also[position]) else { return [] }
                declared = found
            }
            guard let entry = IncidentAddress.firstEntry(fields[declared.name] ?? "") else { continue }
            let kind = declared.addressKind ?? "address"
            if let kept = addresses.updateValue(entry.address, forKey: kind) { addresses[kind] = kept }
            id = id ?? entry.address
            name = name ?? entry.name
        }
        guard let id else { return [] }
        return [CompiledContact(id: id, name: name ?? id, canAcknowledge: false, addresses: addresses, preferences: [])]
    }
}
