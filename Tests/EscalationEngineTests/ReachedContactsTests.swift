import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// `contacts(for:)`, `contactIDs(for:)` and `copied(_:)` share one walk of the targets (`reached(by:fields:)`), which
/// drops repeats in place, appends a field's contacts without a list of its own and reads address targets without
/// copying the graph: each must give what the walk it replaced gave (kept below as the oracle) on random
/// organisations, targets and fields, with and without the slots a trigger leaves in the state.
@Suite("Contacts a step reaches")
struct ReachedContactsTests {
    static let t0 = instant("2026-03-09T10:00")
    /// Contact ids, among them canonically equal spellings (`K` and the Kelvin sign, `é` composed and not).
    static let ids = ["ann", "bob", "cat", "dan", "K", "\u{212A}", "\u{E9}", "e\u{301}", "dana@example.org"]
    static let fieldNames = ["owner", "owners", "one", "list", "phone", "region", "nothing"]
    static let addressValues = [
        "", "Dana <dana@example.org>", "dana@example.org", "ann", "+1-555-0150", "a@example.org, \"Lee, Sam\" <sam@example.org>",
        "K", "Zoë <z@example.org>", " , ",
    ]

    static func target(_ rng: inout SplitMix64, routes: Bool) -> CompiledTarget {
        switch rng.int(0...(routes ? 7 : 6)) {
        case 0: return CompiledTarget(kind: "contact", ref: rng.pick(ids + ["nobody"]))
        case 1: return CompiledTarget(kind: "group", ref: rng.pick(["g1", "g2", "gX"]))
        case 2: return CompiledTarget(kind: "schedule", ref: rng.pick(["s1", "sX"]))
        case 3: return CompiledTarget(kind: "field", ref: rng.pick(fieldNames))
        case 4, 5:
            let also: [String]? = rng.chance(50) ? nil : (0..<rng.int(0...2)).map { _ in rng.pick(fieldNames) }
            return CompiledTarget(kind: "address", ref: rng.pick(fieldNames), also: also)
        case 6: return CompiledTarget(kind: rng.pick(["bogus", "route"]), ref: rng.pick(["r1", "rX"]))
        default: return CompiledTarget(kind: "route", ref: rng.pick(["r1", "rX"]))
        }
    }

    /// Address kinds (canonically equal spellings among them) and channels reading them.
    static let kinds = ["email", "phone", "slack", "K", "\u{212A}", "address"]
    static let channels = [("email", "email"), ("sms", "phone"), ("chat", "slack"), ("k", "K"), ("kelvin", "\u{212A}"), ("any", "address")]

    static func targets(_ rng: inout SplitMix64, routes: Bool = true) -> [CompiledTarget] {
        (0..<rng.int(0...7)).map { _ in target(&rng, routes: routes) }
    }

    static func graph(_ rng: inout SplitMix64) -> RuleGraph {
        let contacts = (0..<rng.int(0...8)).map { _ in
            let id = rng.pick(ids)
            var addresses: [String: String] = [:]
            for _ in 0..<rng.int(0...3) { addresses[rng.pick(kinds)] = "\(id)-\(rng.int(0...9))" }
            return CompiledContact(id: id, name: id.uppercased(), canAcknowledge: true, addresses: addresses, preferences: [])
        }
        let groups = ["g1", "g2"].map { id in CompiledGroup(id: id, name: id, members: (0..<rng.int(0...5)).map { _ in rng.pick(ids + ["nobody"]) }) }
        let schedule = CompiledSchedule(
            id: "s1", name: "S", timezone: "UTC", members: (0..<rng.int(0...3)).map { _ in rng.pick(ids) }, shiftSeconds: rng.pick([0, 3_600]),
            start: instant("2026-03-09T00:00"), overrides: [])
        let route = CompiledRoute(
            id: "r1", field: "region", rows: ["us": targets(&rng, routes: false), "eu": targets(&rng, routes: true)],
            fallback: rng.chance(50) ? targets(&rng, routes: false) : nil)
        let fields = [
            CompiledField(name: "owner", type: "contact", required: false, values: []),
            CompiledField(name: "one", type: "address", required: false, values: [], addressKind: "email"),
            CompiledField(name: "list", type: "address-list", required: false, values: [], addressKind: rng.pick(["email", "phone"])),
            CompiledField(name: "phone", type: "address", required: false, values: [], addressKind: "phone"),
            CompiledField(name: "owners", type: rng.pick(["address", "list"]), required: false, values: []),
        ]
        let policy = CompiledPolicy(
            id: "p", name: "P", version: "1", match: [:], priority: 0, fields: fields, outcomes: [], until: [], entry: "start", nodes: [], edges: [],
            stages: [], actions: [], hooks: CompiledHooks(acknowledge: [], resolve: [], signals: [:]))
        return RuleGraph(
            organisation: "o", name: "O", timezone: "UTC", calendars: [], contacts: contacts, groups: groups, schedules: [schedule],
            channels: channels.map { CompiledChannel(id: $0.0, plugin: "p", addressKind: $0.1) }, templates: [], policies: [policy], routes: [route])
    }

    static func fields(_ rng: inout SplitMix64) -> [String: String] {
        var fields: [String: String] = [:]
        for name in fieldNames where rng.chance(70) {
            switch name {
            case "region": fields[name] = rng.pick(["us", "eu", "asia"])
            case "owner", "owners":
                fields[name] = (0..<rng.int(0...4)).map { _ in rng.pick(ids + ["nobody", " ann", "bob "]) }.joined(separator: rng.pick([",", ", "]))
            default: fields[name] = rng.pick(addressValues)
            }
        }
        return fields
    }

    @Test("the same contacts, ids and copied as the walk it replaced, on random targets", arguments: [1, 2, 3] as [UInt64])
    func agreesWithTheOldWalk(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<100 {
            let engine = Engine(graph: Self.graph(&rng))
            let policy = try #require(engine.index.policyIndex("p"))
            for _ in 0..<20 {
                var state = IncidentState(id: "I-1", policy: "p", version: "1", title: "t", fields: Self.fields(&rng), triggeredAt: Self.t0)
                // Half the time the fields are already read by slot, as after a trigger.
                if rng.chance(50) { state.slots = FieldSlots(owner: policy, values: policy.slotValues(state.fields)) }
                let run = EngineRun(engine: engine, policy: policy, state: state, now: Self.t0.adding(seconds: rng.int(0...20_000)))
                let targets = Self.targets(&rng)
                let given = rng.chance(30) ? Self.fields(&rng) : nil
                let expected = run.oracleContacts(for: targets, fields: given)
                #expect(run.contacts(for: targets, fields: given) == expected, "\(targets) \(given ?? run.state.fields)")
                #expect(run.contactIDs(for: targets, fields: given) == expected.map(\.id))
                let all = run.oracleContacts(for: targets)
                let copied = run.copied(targets)
                #expect(copied.contacts == all.filter { engine.index.isContact($0.id) }.map(\.id))
                #expect(copied.people == all.filter { !engine.index.isContact($0.id) })
            }
        }
    }
}

extension EngineRun {
    /// `contacts(for:)` as it was before it shared `reached(by:fields:)` (the oracle).
    func oracleContacts(for targets: [CompiledTarget], fields given: [String: String]? = nil) -> [CompiledContact] {
        let fields = given ?? state.fields
        var ids: [String] = []
        var people: [String: CompiledContact] = [:]
        for target in targets {
            switch target.kind {
            case "contact": ids.append(target.ref)
            case "group": ids += engine.index.group(target.ref)?.members ?? []
            case "schedule":
                if let who = engine.index.schedule(target.ref)?.onCall(at: now, calendars: graph.calendars)?.contact { ids.append(who) }
            case "field":
                if let value = fields[target.ref] { ids += Engine.listItems(value) }
            case "route":
                let picked = engine.index.route(target.ref)?.targets(fields: fields) ?? []
                ids += oracleContacts(for: picked.filter { $0.kind != "route" }, fields: fields).map(\.id)
            case "address":
                for person in graph.addressRecipients(target, declaredBy: nodes.field, fields: fields) where !engine.index.isContact(person.id) {
                    people[person.id] = people[person.id] ?? person
                    ids.append(person.id)
                }
            default: break
            }
        }
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }.compactMap { people[$0] ?? engine.index.contact($0) }
    }
}
