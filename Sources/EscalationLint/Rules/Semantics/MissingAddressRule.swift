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
                guard reportsSomething(step, kinds: channels.map { $0.1.addressKind }, in: organisation) else { continue }
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
    /// `contacts(of:in:)`, without wording how each contact is reached.
    /// It reads the loader's damaged items (`LintContext.loaderReported`) from `organisation`, so that its closures
    /// capture a set instead of copying the whole context for every target.
    private func reportsSomething(_ step: Step, kinds: [String], in organisation: Organisation) -> Bool {
        let damaged = organisation.damaged
        func reported(_ contact: Contact) -> Bool { !damaged.isEmpty && damaged.contains(ModelItem(.contact, contact.id.value)) }
        for target in step.notify {
            var missing = false
            forEachContact(of: target, in: organisation) { contact, _ in
                if !missing, kinds.contains(where: { contact.address($0) == nil }), !reported(contact) {
                    missing = true
                }
            }
            if missing { return true }
        }
        for target in step.cc {
            var missing = false
            forEachContact(of: target, in: organisation) { contact, _ in
                if !missing, !kinds.contains(where: { contact.address($0) != nil }), !reported(contact) {
                    missing = true
                }
            }
            if missing { return true }
        }
        return false
    }

    /// The declared contacts a target reaches, each with how (` (member of group 'x')`); fields are unknown until run time.
    private func contacts(of target: Target, in organisation: Organisation) -> [(Contact, String)] {
        var result: [(Contact, String)] = []
        forEachContact(of: target, in: organisation) { contact, reach in result.append((contact, reach.text)) }
        return result
    }

    /// How a target reaches a contact, worded only when a diagnostic says it.
    private indirect enum Reach {
        case named
        case group(String)
        case schedule(String)
        /// Through a row of a route table (nil: its default row).
        case route(row: String?, route: String, through: Reach)

        /// The words after the contact's id in a diagnostic (` (member of group 'x')`).
        var text: String {
            switch self {
            case .named: return ""
            case .group(let id): return " (member of group '\(id)')"
            case .schedule(let id): return " (on call in schedule '\(id)')"
            case .route(let row, let route, let through): return "\(through.text) (row \(row.map { "'\($0)'" } ?? "default") of route '\(route)')"
            }
        }
    }

    /// The one walk of the contacts a target reaches: calls `body` with each declared contact, in order, and how the
    /// target reaches them.
    private func forEachContact(of target: Target, in organisation: Organisation, _ body: (Contact, Reach) -> Void) {
        let id = target.reference.value
        switch target.kind {
        case .contact:
            if let contact = organisation.contact(id) { body(contact, .named) }
        case .group:
            for member in organisation.group(id)?.members ?? [] {
                if let contact = organisation.contact(member.value) { body(contact, .group(id)) }
            }
        case .schedule:
            guard let schedule = organisation.schedule(id) else { return }
            var seen = Set<String>()
            for member in (schedule.rotation?.members ?? []) + schedule.overrides.map(\.contact) where seen.insert(member.value).inserted {
                if let contact = organisation.contact(member.value) { body(contact, .schedule(id)) }
            }
        case .route:
            guard let route = organisation.route(id) else { return }
            // `RouteTable.labelledTargets`' rows and order.
            let rows = route.entries.map { (row: Optional($0.value.value), targets: $0.targets) } + [(row: nil, targets: route.fallback ?? [])]
            for (row, targets) in rows {
                for inner in targets {
                    forEachContact(of: inner, in: organisation) { contact, reach in body(contact, .route(row: row, route: id, through: reach)) }
                }
            }
        case .field, .address:
            return
        }
    }
}
