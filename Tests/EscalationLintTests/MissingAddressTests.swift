import EscalationCore
@testable import EscalationLint
import EscalationPolicy
import Foundation
import Testing

/// `missing_address` asks first whether a step reports anything, walking its recipients without building their
/// "member of group …" texts, and builds them only for a step that does. This pins the rule against it as it was,
/// kept here as the oracle, on the bundled organisations, the broken fixtures, 1,000 random organisations (contacts
/// with and without the addresses their channels read, copies) and 300 bundled organisations with lines dropped. A
/// mutation that skips the copies in the first question fails it.
@Suite("Missing address")
struct MissingAddressTests {
    /// `MissingAddressRule.validate` as it was.
    static func reference(_ context: LintContext) -> [Diagnostic] {
        let rule = MissingAddressRule()
        let organisation = context.organisation
        var result: [Diagnostic] = []
        for contact in organisation.contacts where !context.loaderReported(.contact, contact.id.value) {
            for preference in contact.preferences.flatMap(\.channels) {
                guard let channel = organisation.channel(preference.value), contact.address(channel.addressKind) == nil
                else { continue }
                result.append(
                    rule.kind(
                        "contact '\(contact.id.value)' prefers channel '\(channel.id.value)', which reads the '\(channel.addressKind)' address, but the contact has none",
                        at: preference.location,
                        hint: "add '\(channel.addressKind): …' to the addresses of contact '\(contact.id.value)', or remove the preference"))
            }
        }
        for labels in context.policyLabels {
            for (label, step) in labels.steps {
                let channels = step.via.flatMap(\.channels).compactMap { via in organisation.channel(via.value).map { (via, $0) } }
                guard !channels.isEmpty else { continue }
                let recipients = step.notify.flatMap { contacts(of: $0, in: organisation) }
                for (via, channel) in channels {
                    var seen = Set<String>()
                    for (contact, through) in recipients
                    where contact.address(channel.addressKind) == nil && !context.loaderReported(.contact, contact.id.value) {
                        guard seen.insert(contact.id.value).inserted else { continue }
                        result.append(
                            rule.kind(
                                "\(label) reaches contact '\(contact.id.value)'\(through) via channel '\(channel.id.value)', which reads the '\(channel.addressKind)' address, but the contact has none",
                                at: via.location,
                                hint: "add '\(channel.addressKind): …' to the addresses of contact '\(contact.id.value)', or reach them through another channel"))
                    }
                }
                let kinds = channels.map { $0.1.addressKind }
                for target in step.cc {
                    for (contact, through) in contacts(of: target, in: organisation)
                    where !kinds.contains(where: { contact.address($0) != nil }) && !context.loaderReported(.contact, contact.id.value) {
                        result.append(
                            rule.kind(
                                "cc of \(label) copies contact '\(contact.id.value)'\(through), who has no address for any of its channels (\(channels.map { "\($0.1.id.value) reads '\($0.1.addressKind)'" }.joined(separator: ", ")))",
                                at: target.reference.location,
                                hint: "add one of these addresses to contact '\(contact.id.value)', or copy someone reachable on these channels"))
                    }
                }
            }
        }
        return result
    }

    static func contacts(of target: Target, in organisation: Organisation) -> [(Contact, String)] {
        switch target.kind {
        case .contact:
            return organisation.contact(target.reference.value).map { [($0, "")] } ?? []
        case .group:
            let members = organisation.group(target.reference.value)?.members ?? []
            return members.compactMap { organisation.contact($0.value) }.map { ($0, " (member of group '\(target.reference.value)')") }
        case .schedule:
            guard let schedule = organisation.schedule(target.reference.value) else { return [] }
            let ids = (schedule.rotation?.members ?? []) + schedule.overrides.map(\.contact)
            var seen = Set<String>()
            return ids.filter { seen.insert($0.value).inserted }.compactMap { organisation.contact($0.value) }
                .map { ($0, " (on call in schedule '\(target.reference.value)')") }
        case .route:
            let rows = organisation.route(target.reference.value)?.labelledTargets ?? []
            return rows.flatMap { row, inner in
                contacts(of: inner, in: organisation).map { ($0.0, "\($0.1) (row \(row) of route '\(target.reference.value)')") }
            }
        case .field, .address:
            return []
        }
    }

    /// Fails unless the rule gives what the oracle gives, in order; returns how many diagnostics.
    @discardableResult
    static func expectSame(_ loaded: PolicyLoader.Loaded, _ what: String) -> Int {
        let context = LintContext(organisation: loaded.organisation, loadDiagnostics: loaded.diagnostics)
        let new = MissingAddressRule().validate(context)
        let old = reference(context)
        #expect(new.map(\.description) == old.map(\.description), "\(what)")
        #expect(new == old, "\(what)")
        return old.count
    }

    @Test("the bundled organisations, the broken fixtures and 300 bundled organisations with lines dropped")
    func bundled() throws {
        var reported = 0
        let bundled = try LintLabelsTests.bundled()
        for files in bundled { reported += Self.expectSame(PolicyLoader().load(files: files), files[0].path) }
        for loaded in try PolicyLoader().load(paths: [ExternalTool.fixtures.appendingPathComponent("broken").path]) {
            reported += Self.expectSame(loaded, "broken fixtures")
        }
        var rng = SplitMix64(seed: 0xadd7e55)
        for round in 0..<300 {
            let files = bundled[round % bundled.count].map { file in
                (file.path, file.text.split(separator: "\n", omittingEmptySubsequences: false).filter { _ in rng.next() % 30 != 0 }.joined(separator: "\n"))
            }
            reported += Self.expectSame(PolicyLoader().load(files: files), "round \(round) of \(files[0].0)")
        }
        #expect(reported > 5)
    }

    @Test("1,000 random organisations, with copies")
    func random() {
        var rng = SplitMix64(seed: 77)
        var clean = 0
        var reported = 0
        // Dora has no e-mail address: copying her on a step via e-mail whose recipients all have one reports the copy alone.
        let copies = ["[{ contact: alice }]", "[{ group: leads }]", "[{ schedule: desk }, { contact: carol }]", "[{ contact: nobody }]", "[{ contact: dora }]"]
        for round in 0..<1_000 {
            var file = DeclaredReferencesTests.randomFile(&rng)
                .replacingOccurrences(of: "contacts:\n", with: "contacts:\n  dora:\n    name: Dora\n    addresses: { sms: \"+1-555-0104\" }\n")
            if rng.next() % 2 == 0 {
                let copy = copies[Int(rng.next() % UInt64(copies.count))]
                file = file.replacingOccurrences(of: "        template: page\n", with: "        cc: \(copy)\n        template: page\n")
            }
            let loaded = PolicyLoader().load(files: [("base.yaml", RuleExample.baseOrganisation), ("random.yaml", file)])
            let count = Self.expectSame(loaded, "round \(round):\n\(file)")
            reported += count
            if count == 0 { clean += 1 }
        }
        #expect(clean > 100)
        #expect(reported > 500)
    }

    @Test("contacts reached through route rows, the default row, groups and schedules in them, and copies by route")
    func routes() {
        let file = """
            contacts:
              carol: { name: Carol, addresses: { email: carol@example.org } }
              dora: { name: Dora, addresses: { sms: "+1-555-0104" } }
            groups:
              mail-only: { name: Mail only, members: [carol, alice] }
            schedules:
              desk:
                name: Desk
                rotation: { members: [carol, dora], shift: 1w, start: "2026-01-05T09:00" }
            routes:
              by-region:
                by: region
                to:
                  us: { contact: carol }
                  eu: [{ group: mail-only }, { schedule: desk }]
                default: [{ contact: dora }, { contact: carol }]
            policies:
              p:
                name: P
                fields:
                  region: { type: enum, values: [us, eu, apac] }
                layers:
                  - id: first
                    notify: [{ route: by-region }]
                    via: [sms]
                    cc: [{ route: by-region }]
                    template: page
                  - id: second
                    notify: [{ contact: alice }]
                    via: [email]
                    cc: [{ route: by-region }]
                    template: page
            """
        let loaded = PolicyLoader().load(files: [("base.yaml", RuleExample.baseOrganisation), ("routes.yaml", file)])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics)")
        #expect(Self.expectSame(loaded, "routes") >= 4)
        let diagnostics = MissingAddressRule().validate(LintContext(organisation: loaded.organisation, loadDiagnostics: loaded.diagnostics))
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("contact 'carol' (row 'us' of route 'by-region') via channel 'sms'") }, "\(messages)")
        #expect(messages.contains { $0.contains("contact 'carol' (member of group 'mail-only') (row 'eu' of route 'by-region')") }, "\(messages)")
        #expect(messages.contains { $0.contains("contact 'carol' (on call in schedule 'desk') (row 'eu' of route 'by-region')") }, "\(messages)")
        #expect(messages.contains { $0.contains("copies contact 'dora' (row default of route 'by-region')") }, "\(messages)")
    }
}
