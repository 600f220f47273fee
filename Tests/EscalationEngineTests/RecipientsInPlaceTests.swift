import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// A step's recipients are read in place (`recipients(for:)`: an organisation's contact shared from the index, a
/// person the incident carries whole) and their channels chosen from that (`channelsFor(_:stepChannels:)`). They must
/// be what the copies gave: the contacts of the old walk (`oracleContacts`), a person exactly when the id is no
/// contact of the organisation (the old `isContact` test), and the channels the old `channelsFor(contact:)` (kept below
/// as the oracle) chose, on random organisations, targets, preferences and step channels.
@Suite("Recipients read in place")
struct RecipientsInPlaceTests {
    static let channelIDs = ReachedContactsTests.channels.map(\.0) + ["nochannel"]

    static func uses(_ rng: inout SplitMix64) -> [ChannelUse] {
        (0..<rng.int(0...3)).map { _ in
            if rng.chance(25) {
                let all = (0..<rng.int(1...3)).map { _ in rng.pick(channelIDs) }
                return ChannelUse(channel: all[0], afterSeconds: rng.int(0...2) * 60, all: all)
            }
            return ChannelUse(channel: rng.pick(channelIDs), afterSeconds: rng.int(0...2) * 60, unansweredSeconds: rng.chance(30) ? 120 : nil)
        }
    }

    /// `ReachedContactsTests`' organisation, its contacts given random preferences.
    static func graph(_ rng: inout SplitMix64) -> RuleGraph {
        var graph = ReachedContactsTests.graph(&rng)
        for index in graph.contacts.indices where rng.chance(50) { graph.contacts[index].preferences = uses(&rng) }
        return graph
    }

    @Test("the same contacts, people and channels as the copies gave", arguments: [11, 12, 13] as [UInt64])
    func agreesWithTheCopies(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var reached = 0
        for _ in 0..<100 {
            let engine = Engine(graph: Self.graph(&rng))
            let policy = try #require(engine.index.policyIndex("p"))
            for _ in 0..<20 {
                var state = IncidentState(
                    id: "I-1", policy: "p", version: "1", title: "t", fields: ReachedContactsTests.fields(&rng), triggeredAt: ReachedContactsTests.t0)
                if rng.chance(50) { state.slots = FieldSlots(owner: policy, values: policy.slotValues(state.fields)) }
                let run = EngineRun(engine: engine, policy: policy, state: state, now: ReachedContactsTests.t0.adding(seconds: rng.int(0...20_000)))
                let targets = ReachedContactsTests.targets(&rng)
                let given = rng.chance(30) ? ReachedContactsTests.fields(&rng) : nil
                let expected = run.oracleContacts(for: targets, fields: given)
                let recipients = run.recipients(for: targets, fields: given)
                #expect(recipients.map(\.contact) == expected, "\(targets)")
                #expect(recipients.map(\.id) == expected.map(\.id))
                #expect(recipients.map(\.person) == expected.map { engine.index.isContact($0.id) ? nil : $0 })
                for (recipient, contact) in zip(recipients, expected) {
                    reached += 1
                    let stepChannels = rng.chance(30) ? [] : Self.uses(&rng)
                    #expect(
                        run.channelsFor(recipient, stepChannels: stepChannels) == run.oracleChannelsFor(contact: contact, stepChannels: stepChannels),
                        "\(contact) \(stepChannels)")
                }
            }
        }
        #expect(reached > 1_000)
    }
}

extension EngineRun {
    /// `channelsFor` as it was when it took the contact whole (the oracle).
    func oracleChannelsFor(contact: CompiledContact, stepChannels: [ChannelUse]) -> [ChannelUse] {
        let candidates = !stepChannels.isEmpty ? stepChannels : contact.preferences
        if candidates.isEmpty {
            return graph.channels.first { contact.addresses[$0.addressKind] != nil }.map { [ChannelUse(channel: $0.id, afterSeconds: 0)] } ?? []
        }
        return candidates.compactMap { use in use.keeping { engine.index.addressKind(ofChannel: $0).map { contact.addresses[$0] != nil } ?? false } }
    }
}
