import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// A delivery reads an organisation's contact's address by the position of the channel's address kind
/// (`GraphIndex.contactEntries`): it must be the address the contact's own map gives for the channel's kind.
@Suite("Addresses by kind")
struct AddressByKindTests {
    @Test("every contact and channel, random organisations: the address by position is the map's", arguments: [1, 2, 3] as [UInt64])
    func agreesWithTheMap(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let kinds = ["email", "phone", "slack", "pager", "e\u{301}", "\u{E9}", "K", "\u{212A}", "address"]
        for _ in 0..<200 {
            let channels = (0..<rng.int(0...6)).map { index in
                CompiledChannel(id: "c\(index)", plugin: "p", addressKind: rng.pick(kinds))
            }
            let contacts = (0..<rng.int(0...6)).map { index in
                var addresses: [String: String] = [:]
                for _ in 0..<rng.int(0...4) { addresses[rng.pick(kinds)] = "a\(rng.int(0...99))" }
                return CompiledContact(id: "p\(index)", name: "P\(index)", canAcknowledge: true, addresses: addresses, preferences: [])
            }
            let index = GraphIndex(
                RuleGraph(
                    organisation: "o", name: "O", timezone: "UTC", calendars: [], contacts: contacts, groups: [], schedules: [], channels: channels, templates: [],
                    policies: []))
            for contact in contacts.map(\.id) + ["nobody"] {
                for channel in channels.map(\.id) + ["none"] {
                    let expected = index.addressKind(ofChannel: channel).flatMap { index.contact(contact)?.addresses[$0] }
                    let found = index.addressKindSlot(ofChannel: channel).flatMap { index.address(ofContact: contact, kindSlot: $0) }
                    #expect(found == expected, "\(contact) on \(channel)")
                    // A delivery's one lookup (kind and position together) reads the same address.
                    let both = index.kind(ofChannel: channel)
                    #expect(both?.kind == index.addressKind(ofChannel: channel), "\(channel)")
                    #expect(both.flatMap { index.address(ofContact: contact, kindSlot: $0.slot) } == expected, "\(contact) on \(channel)")
                    // The shared contact is the contact the table holds.
                    #expect(index.sharedContact(contact)?.value == index.contact(contact), "\(contact)")
                }
            }
        }
    }
}
