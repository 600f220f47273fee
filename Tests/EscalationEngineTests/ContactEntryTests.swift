import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// A delivery finds an organisation's contact and its addresses by position in one lookup (`GraphIndex.contactEntry`):
/// it must hold the contact `sharedContact` gives, and the address that contact's own map holds for each channel's
/// kind, for every id, duplicates and canonically equal ids included.
@Suite("Contact entries")
struct ContactEntryTests {
    @Test("every id, random organisations with repeated ids: the entry is the two lookups'", arguments: [1, 2, 3] as [UInt64])
    func agreesWithTheTwoLookups(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let kinds = ["email", "phone", "slack", "pager", "e\u{301}", "\u{E9}", "K", "\u{212A}", "address"]
        // Ids that repeat, and two spellings of one canonical id (the table answers the first of equal ids).
        let ids = ["p0", "p1", "p2", "p3", "caf\u{E9}", "cafe\u{301}", "K", "\u{212A}"]
        for _ in 0..<500 {
            let channels = (0..<rng.int(0...6)).map { index in
                CompiledChannel(id: "c\(index)", plugin: "p", addressKind: rng.pick(kinds))
            }
            let contacts = (0..<rng.int(0...8)).map { index in
                var addresses: [String: String] = [:]
                for _ in 0..<rng.int(0...4) { addresses[rng.pick(kinds)] = "a\(rng.int(0...99))" }
                return CompiledContact(
                    id: rng.pick(ids), name: "P\(index)", canAcknowledge: true, addresses: addresses, preferences: [])
            }
            let index = GraphIndex(
                RuleGraph(
                    organisation: "o", name: "O", timezone: "UTC", calendars: [], contacts: contacts, groups: [], schedules: [], channels: channels, templates: [],
                    policies: []))
            for contact in ids + ["nobody", ""] {
                let entry = index.contactEntry(contact)
                #expect((entry == nil) == (index.sharedContact(contact) == nil), "\(contact)")
                #expect(entry?.contact.value == index.sharedContact(contact)?.value, "\(contact)")
                #expect(entry.map { $0.contact === index.sharedContact(contact) } ?? true, "\(contact)")
                for channel in channels.map(\.id) + ["none"] {
                    guard let kind = index.kind(ofChannel: channel) else { continue }
                    #expect(entry?.address(kindSlot: kind.slot) == index.contact(contact)?.addresses[kind.kind], "\(contact) on \(channel)")
                }
            }
        }
    }
}
