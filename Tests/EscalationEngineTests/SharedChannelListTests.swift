import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// `channelsFor` hands back the step's (or the contact's) list itself when every use is a single channel the
/// recipient has an address for, instead of building a new list of the same uses; from the first group or dropped
/// use on it filters as before. The answer must be the old `compactMap` over `keeping` (`oracleChannelsFor`, kept in
/// `RecipientsInPlaceTests`) on random organisations, recipients and channel lists, and the shared list must be
/// taken often enough for the comparison to cover it.
@Suite("A recipient's channels shared when all are kept")
struct SharedChannelListTests {
    /// Uses that are mostly single channels (so the whole list is often kept), with groups, delays and waits.
    static func uses(_ rng: inout SplitMix64) -> [ChannelUse] {
        (0..<rng.int(0...4)).map { _ in
            if rng.chance(10) {
                let all = (0..<rng.int(1...3)).map { _ in rng.pick(RecipientsInPlaceTests.channelIDs) }
                return ChannelUse(channel: all[0], afterSeconds: rng.int(0...2) * 60, all: all)
            }
            return ChannelUse(
                channel: rng.pick(rng.chance(70) ? ["email", "sms"] : RecipientsInPlaceTests.channelIDs), afterSeconds: rng.int(0...2) * 60,
                unansweredSeconds: rng.chance(30) ? 120 : nil)
        }
    }

    /// The organisation of `ReachedContactsTests`, most contacts reachable by e-mail and phone.
    static func graph(_ rng: inout SplitMix64) -> RuleGraph {
        var graph = ReachedContactsTests.graph(&rng)
        for index in graph.contacts.indices {
            if rng.chance(70) {
                graph.contacts[index].addresses["email"] = "e\(index)@example.org"
                graph.contacts[index].addresses["phone"] = "+1-555-01\(index)"
            }
            if rng.chance(40) { graph.contacts[index].preferences = uses(&rng) }
        }
        return graph
    }

    @Test("the old filter's channels, and the list itself when all are kept", arguments: [21, 22, 23] as [UInt64])
    func agreesWithTheFilter(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var compared = 0
        var shared = 0
        for _ in 0..<150 {
            let engine = Engine(graph: Self.graph(&rng))
            let policy = try #require(engine.index.policyIndex("p"))
            for _ in 0..<20 {
                let state = IncidentState(
                    id: "I-1", policy: "p", version: "1", title: "t", fields: ReachedContactsTests.fields(&rng), triggeredAt: ReachedContactsTests.t0)
                let run = EngineRun(engine: engine, policy: policy, state: state, now: ReachedContactsTests.t0)
                let targets = ReachedContactsTests.targets(&rng)
                for recipient in run.recipients(for: targets) {
                    let stepChannels = rng.chance(20) ? [] : Self.uses(&rng)
                    let chosen = run.channelsFor(recipient, stepChannels: stepChannels)
                    let expected = run.oracleChannelsFor(contact: recipient.contact, stepChannels: stepChannels)
                    #expect(chosen == expected, "\(recipient.contact) \(stepChannels)")
                    // `==` on the ids takes canonically equal spellings as equal: the bytes must match too.
                    #expect(chosen.map { Array($0.channel.utf8) } == expected.map { Array($0.channel.utf8) })
                    let candidates = stepChannels.isEmpty ? recipient.preferences : stepChannels
                    if !chosen.isEmpty, chosen.withUnsafeBufferPointer(\.baseAddress) == candidates.withUnsafeBufferPointer(\.baseAddress) {
                        shared += 1
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 2_000)
        #expect(shared > 300)
    }
}
