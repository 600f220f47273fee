import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// A list of one `group` target (a task's usual assignee, a step's `cc`) is answered from the index
/// (`GraphIndex.groupReach`, built once per engine) instead of walking the group for every step: the ids must be
/// those the walk gives (`oracleContacts`, the walk before `reached(by:fields:)`, kept in `ReachedContactsTests`) on
/// random organisations whose groups repeat members, spell them in canonically equal ways, name people who are no
/// contact, repeat group ids, and are long enough for the set that drops repeats in long lists.
@Suite("A lone group's contacts kept by the index")
struct LoneGroupTests {
    static let t0 = instant("2026-03-09T10:00")
    static let ids = ["ann", "bob", "cat", "dan", "K", "\u{212A}", "\u{E9}", "e\u{301}", "Zo\u{EB}", "Zoe\u{308}"]
    static let groupIDs = ["g1", "g2", "g3", "G\u{E9}", "Ge\u{301}"]

    static func graph(_ rng: inout SplitMix64) -> RuleGraph {
        let contacts = (0..<rng.int(0...9)).map { _ in
            let id = rng.pick(ids)
            return CompiledContact(id: id, name: id.uppercased(), canAcknowledge: true, addresses: ["email": "\(id)@example.org"], preferences: [])
        }
        let groups = (0..<rng.int(0...6)).map { _ in
            let id = rng.pick(groupIDs)
            let size = rng.chance(20) ? rng.int(17...40) : rng.int(0...8)
            return CompiledGroup(id: id, name: id, members: (0..<size).map { _ in rng.pick(ids + ["nobody", "ann "]) })
        }
        let policy = CompiledPolicy(
            id: "p", name: "P", version: "1", match: [:], priority: 0, fields: [], outcomes: [], until: [], entry: "start", nodes: [], edges: [],
            stages: [], actions: [], hooks: CompiledHooks(acknowledge: [], resolve: [], signals: [:]))
        return RuleGraph(
            organisation: "o", name: "O", timezone: "UTC", calendars: [], contacts: contacts, groups: groups, schedules: [],
            channels: [CompiledChannel(id: "email", plugin: "p", addressKind: "email")], templates: [], policies: [policy], routes: [])
    }

    /// Ids compared by their bytes: `==` on `String` takes canonically equal spellings as equal, and the declared
    /// spelling is part of the answer.
    static func bytes(_ ids: [String]) -> [[UInt8]] { ids.map { Array($0.utf8) } }

    @Test("assignees and copies of a lone group are the walk's, on random organisations", arguments: [1, 2, 3] as [UInt64])
    func agreesWithTheWalk(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var checked = 0
        for _ in 0..<400 {
            let engine = Engine(graph: Self.graph(&rng))
            let policy = try #require(engine.index.policyIndex("p"))
            let state = IncidentState(id: "I-1", policy: "p", version: "1", title: "t", fields: [:], triggeredAt: Self.t0)
            let run = EngineRun(engine: engine, policy: policy, state: state, now: Self.t0)
            for group in Self.groupIDs + ["nothing"] {
                let target = CompiledTarget(kind: "group", ref: group)
                let expected = Self.bytes(run.oracleContacts(for: [target]).map(\.id))
                #expect(Self.bytes(run.contactIDs(for: CollectionOfOne(target))) == expected, "\(group)")
                #expect(Self.bytes(run.contactIDs(for: [target], fields: ["x": "y"])) == expected, "\(group)")
                let copied = run.copied([target])
                #expect(Self.bytes(copied.contacts) == expected, "\(group)")
                #expect(copied.people.isEmpty)
                checked += 1
            }
        }
        #expect(checked == 2_400)
    }

    @Test("repeats are dropped as a set keeps the first of each, short lists and long", arguments: [1, 2] as [UInt64])
    func dropRepeatsKeepsTheFirst(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<3_000 {
            let ids = (0..<rng.int(0...40)).map { _ in rng.pick(Self.ids + ["nobody", ""]) }
            var kept = ids
            EngineRun.Reach.dropRepeats(&kept)
            var seen = Set<String>()
            #expect(Self.bytes(kept) == Self.bytes(ids.filter { seen.insert($0).inserted }), "\(ids)")
        }
    }
}
