import EscalationCore
@testable import EscalationLint
import EscalationPolicy
import Foundation
import Testing

/// `unknown_contact` and `unknown_channel` first check every reference against a set of the declared ids and build
/// labels only when one is missing. This pins both rules against them as they were (labels for every reference, a
/// search per reference), kept here as the oracle, on the bundled organisations, the broken fixtures and 2,000 random
/// organisations whose references are drawn from declared and undeclared ids.
@Suite("Declared references")
struct DeclaredReferencesTests {

    /// `UnknownContactRule.validate` as it was before the set.
    static func contactsReference(_ context: LintContext) -> [Diagnostic] {
        let rule = UnknownContactRule()
        let organisation = context.organisation
        let known = organisation.contacts.map(\.id.value)
        var references: [(String, Located<String>)] = []
        for group in organisation.groups { references += group.members.map { ("group '\(group.id.value)'", $0) } }
        for schedule in organisation.schedules {
            references += (schedule.rotation?.members ?? []).map { ("the rotation of schedule '\(schedule.id.value)'", $0) }
            references += schedule.overrides.map { ("an override of schedule '\(schedule.id.value)'", $0.contact) }
        }
        references += organisation.labelledTargets.filter { $0.target.kind == .contact }.map { ($0.label, $0.target.reference) }
        return references.filter { organisation.contact($0.1.value) == nil }.map { label, reference in
            rule.kind(
                "\(label) names contact '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                at: reference.location,
                hint: "declare it under 'contacts:' or fix the id")
        }
    }

    /// `UnknownChannelRule.validate` as it was before the set.
    static func channelsReference(_ context: LintContext) -> [Diagnostic] {
        let rule = UnknownChannelRule()
        let organisation = context.organisation
        let known = organisation.channels.map(\.id.value)
        var references: [(String, Located<String>)] = []
        for contact in organisation.contacts {
            references += contact.preferences.flatMap(\.channels).map { ("a preference of contact '\(contact.id.value)'", $0) }
        }
        for labels in context.policyLabels {
            let policy = labels.policy
            for (label, step) in labels.steps {
                references += step.via.flatMap(\.channels).map { ("the 'via' of \(label)", $0) }
                references += step.posts.filter { $0.route == nil }.map { ("a post of \(label)", $0.channel) }
            }
            references += policy.stages.filter { $0.route == nil }.map { ("stage '\($0.id.value)' of policy '\(policy.id.value)'", $0.channel) }
            references += policy.actions.map { ("action '\($0.id.value)' of policy '\(policy.id.value)'", $0.channel) }
        }
        for route in organisation.routes {
            references += route.labelledChannels.map { ("row \($0.row) of route '\(route.id.value)'", $0.channel) }
        }
        let unknown = references.filter {
            organisation.channel($0.1.value) == nil && !context.loaderReported(.channel, $0.1.value)
        }
        return unknown.map { label, reference in
            rule.kind(
                "\(label) names channel '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                at: reference.location,
                hint: "declare it under 'channels:' with its plugin, or fix the id")
        }
    }

    /// Fails unless both rules give what their oracles give, in the same order; returns how many diagnostics.
    @discardableResult
    static func expectSame(_ loaded: PolicyLoader.Loaded, _ what: String) -> Int {
        let context = LintContext(organisation: loaded.organisation, loadDiagnostics: loaded.diagnostics)
        let contacts = (new: UnknownContactRule().validate(context), old: contactsReference(context))
        let channels = (new: UnknownChannelRule().validate(context), old: channelsReference(context))
        #expect(contacts.new.map(\.description) == contacts.old.map(\.description), "\(what)")
        #expect(contacts.new == contacts.old, "\(what)")
        #expect(channels.new.map(\.description) == channels.old.map(\.description), "\(what)")
        #expect(channels.new == channels.old, "\(what)")
        return contacts.old.count + channels.old.count
    }

    /// Contact ids: the base organisation's, one declared by the random file, and undeclared ones.
    static let contacts = ["alice", "bob", "carol", "carl", "dave", "ALICE"]
    /// Channel ids: the base organisation's and undeclared ones.
    static let channels = ["email", "sms", "room", "e-mail", "pager", "slack"]

    /// A random organisation file: a contact with preferences, a group, a schedule with a rotation and an override,
    /// and policies whose layers notify contacts, go via channels and post; stages and actions name channels. Each id
    /// is drawn from declared and undeclared ones, with declared ones more likely.
    static func randomFile(_ rng: inout SplitMix64) -> String {
        func pick(_ items: [String]) -> String {
            // Three times in four a declared id (the first three of each list), otherwise any.
            rng.next() % 4 == 0 ? items[Int(rng.next() % UInt64(items.count))] : items[Int(rng.next() % 3)]
        }
        func list(_ items: [String], _ count: Int) -> String { (0..<count).map { _ in pick(items) }.joined(separator: ", ") }
        var lines = [
            "contacts:", "  carol:", "    name: Carol", "    addresses: { email: carol@example.org, sms: \"+1-555-0103\" }",
            "    preferences: [\(list(channels, Int(rng.next() % 3)))]",
            "groups:", "  leads:", "    name: Leads", "    members: [\(list(contacts, 1 + Int(rng.next() % 3)))]",
            "schedules:", "  desk:", "    name: Desk", "    rotation:", "      members: [\(list(contacts, 1 + Int(rng.next() % 3)))]",
            "      shift: 1d", "      start: 2026-01-05T09:00",
            "    overrides:", "      - contact: \(pick(contacts))", "        from: 2026-12-24T09:00", "        to: 2026-12-26T09:00",
            "policies:",
        ]
        for index in 0..<(1 + Int(rng.next() % 3)) {
            lines += ["  p\(index):", "    name: P\(index)", "    match: { service: s\(index) }", "    layers:"]
            for layer in 0..<(1 + Int(rng.next() % 2)) {
                lines += [
                    "      - id: l\(layer)", "        notify: [{ contact: \(pick(contacts)) }, { group: leads }, { schedule: desk }]",
                    "        via: [\(list(channels, 1 + Int(rng.next() % 2)))]", "        template: page",
                ]
                if rng.next() % 2 == 0 { lines += ["        post:", "          - { channel: \(pick(channels)), template: page }"] }
            }
            if rng.next() % 2 == 0 {
                lines += ["    stages:", "      - id: open", "        on: trigger", "        channel: \(pick(channels))", "        template: page"]
            }
            if rng.next() % 2 == 0 {
                lines += ["    actions:", "      - id: away", "        channel: \(pick(channels))", "        template: page"]
            }
        }
        let dropping = rng.next() % 6 == 0
        return lines.filter { _ in !dropping || rng.next() % 25 != 0 }.joined(separator: "\n") + "\n"
    }

    @Test("the bundled organisations and the broken fixtures")
    func bundledAndBroken() throws {
        var count = 0
        var reported = 0
        for files in try LintLabelsTests.bundled() {
            reported += Self.expectSame(PolicyLoader().load(files: files), files[0].path)
            count += 1
        }
        let broken = ExternalTool.fixtures.appendingPathComponent("broken").path
        for loaded in try PolicyLoader().load(paths: [broken]) {
            reported += Self.expectSame(loaded, "broken fixtures")
            count += 1
        }
        #expect(count >= 6)
        #expect(reported > 0)
    }

    @Test("2,000 random organisations")
    func random() {
        var rng = SplitMix64(seed: 43)
        var clean = 0
        var reported = 0
        for round in 0..<2_000 {
            let file = Self.randomFile(&rng)
            let loaded = PolicyLoader().load(files: [("base.yaml", RuleExample.baseOrganisation), ("random.yaml", file)])
            let count = Self.expectSame(loaded, "round \(round):\n\(file)")
            reported += count
            if count == 0 { clean += 1 }
        }
        // The draws reach both paths: organisations naming only declared ids, and many with undeclared ones.
        #expect(clean > 100)
        #expect(reported > 2_000)
    }
}
