import EscalationCore
import EscalationPolicy

/// A contact reached through a channel needs an address of the kind that channel reads.
public struct MissingAddressRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "missing_address", code: "W002", severity: .warning),
        name: "Missing address",
        summary: "A contact reached through a channel (a step's 'via', or the contact's own 'preferences') needs an address of the kind the channel reads ('address', "
            + "default the channel id); otherwise that delivery fails. Group members and schedule members are checked; field targets are only known at run time.",
        nonTriggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org, sms: "+1-555-0103" }
                    preferences: [sms, { channel: email, after: 5m }]
                groups:
                  on-site:
                    name: On site
                    members: [alice, carol]
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: on-site }]
                        via: [sms, { channel: email, after: 2m }]
                        cc: [{ contact: bob }]
                        template: page
                      - id: second
                        notify: [{ contact: carol }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org }
                    preferences: [email, ↓sms]
                  ops-room:
                    name: Ops chat room
                    kind: shared
                    addresses: { chat: "#ops" }
                groups:
                  on-site:
                    name: On site
                    members: [alice, carol]
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: on-site }]
                        via: [↓sms, email]
                        cc: [{ contact: ↓ops-room }]
                        template: page
                """),
        ])

    /// Reports each contact that a channel would reach without an address of the channel's kind.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        var result: [Diagnostic] = []
        for contact in organisation.contacts where !context.loaderReported(.contact, contact.id.value) {
            for preference in contact.preferences.flatMap(\.channels) {
                guard let channel = organisation.channel(preference.value), contact.address(channel.addressKind) == nil
                else { continue }
                result.append(
                    kind(
                        "contact '\(contact.id.value)' prefers channel '\(channel.id.value)', which reads the '\(channel.addressKind)' address, but the contact has none",
                        at: preference.location,
                        hint: "add '\(channel.addressKind): …' to the addresses of contact '\(contact.id.value)', or remove the preference"))
            }
        }
        for labels in context.policyLabels {
            for (label, step) in labels.steps {
                let channels = step.via.flatMap(\.channels).compactMap { via in organisation.channel(via.value).map { (via, $0) } }
                guard !channels.isEmpty else { continue }
                // Most steps report nothing: ask first, without the recipients' "member of group …" texts.
                guard reportsSomething(step, kinds: channels.map { $0.1.addressKind }, in: organisation, context) else { continue }
                let recipients = step.notify.flatMap { contacts(of: $0, in: organisation) }
                for (via, channel) in channels {
                    var seen = Set<String>()
                    for (contact, through) in recipients
                    where contact.address(channel.addressKind) == nil && !context.loaderReported(.contact, contact.id.value) {
                        guard seen.insert(contact.id.value).inserted else { continue }
                        result.append(
                            kind(
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
                            kind(
                                "cc of \(label) copies contact '\(contact.id.value)'\(through), who has no address for any of its channels (\(channels.map { "\($0.1.id.value) reads '\($0.1.addressKind)'" }.joined(separator: ", ")))",
                                at: target.reference.location,
                                hint: "add one of these addresses to contact '\(contact.id.value)', or copy someone reachable on these channels"))
                    }
                }
            }
        }
        return result
    }

    /// Whether the step's part of `validate` reports anything: a recipient without the address of one of the kinds,
    /// or a copied contact with none of them (the loader not having reported the contact). The same walk as
    /// `contacts(of:in:)`, without its texts.
    private func reportsSomething(_ step: Step, kinds: [String], in organisation: Organisation, _ context: LintContext) -> Bool {
        for target in step.notify {
            var missing = false
            forEachContact(of: target, in: organisation) { contact in
                if !missing, kinds.contains(where: { contact.address($0) == nil }), !context.loaderReported(.contact, contact.id.value) {
                    missing = true
                }
            }
            if missing { return true }
        }
        for target in step.cc {
            var missing = false
            forEachContact(of: target, in: organisation) { contact in
                if !missing, !kinds.contains(where: { contact.address($0) != nil }), !context.loaderReported(.contact, contact.id.value) {
                    missing = true
                }
            }
            if missing { return true }
        }
        return false
    }

    /// Calls `body` with each contact `contacts(of:in:)` gives for the target, in its order.
    private func forEachContact(of target: Target, in organisation: Organisation, _ body: (Contact) -> Void) {
        switch target.kind {
        case .contact:
            if let contact = organisation.contact(target.reference.value) { body(contact) }
        case .group:
            for member in organisation.group(target.reference.value)?.members ?? [] {
                if let contact = organisation.contact(member.value) { body(contact) }
            }
        case .schedule:
            guard let schedule = organisation.schedule(target.reference.value) else { return }
            var seen = Set<String>()
            for id in (schedule.rotation?.members ?? []) + schedule.overrides.map(\.contact) where seen.insert(id.value).inserted {
                if let contact = organisation.contact(id.value) { body(contact) }
            }
        case .route:
            guard let route = organisation.route(target.reference.value) else { return }
            // `labelledTargets`' order, without its labels.
            for row in route.entries.flatMap(\.targets) + (route.fallback ?? []) { forEachContact(of: row, in: organisation, body) }
        case .field, .address:
            return
        }
    }

    /// The declared contacts a target reaches, each with how (` (member of group 'x')`); fields are unknown until run time.
    private func contacts(of target: Target, in organisation: Organisation) -> [(Contact, String)] {
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
}
