import EscalationCore
import EscalationPolicy

/// Every contact a policy, group, rotation or override names must be declared.
public struct UnknownContactRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_contact", code: "E020", severity: .error),
        name: "Unknown contact",
        summary: "A contact named in a target, group, rotation, override or task must be declared under 'contacts'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                groups:
                  leads:
                    name: Leads
                    members: [alice, bob]
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                groups:
                  leads:
                    name: Leads
                    members: [alice, ↓jessie]
                """),
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: ↓alicia }]
                        template: page
                """),
        ])

    /// Reports each reference to an undeclared contact.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        // Most organisations name only declared contacts: check every reference against a set first, and build the
        // labels (and the search for each reference) only when one is missing.
        let declared = Set(organisation.contacts.map(\.id.value))
        guard !Self.allDeclared(organisation, context.labelledTargets, in: declared) else { return [] }
        let known = organisation.contacts.map(\.id.value)
        var references: [(String, Located<String>)] = []
        for group in organisation.groups { references += group.members.map { ("group '\(group.id.value)'", $0) } }
        for schedule in organisation.schedules {
            references += (schedule.rotation?.members ?? []).map { ("the rotation of schedule '\(schedule.id.value)'", $0) }
            references += schedule.overrides.map { ("an override of schedule '\(schedule.id.value)'", $0.contact) }
        }
        references += context.labelledTargets.filter { $0.target.kind == .contact }.map { ($0.label, $0.target.reference) }
        return references.filter { organisation.contact($0.1.value) == nil }.map { label, reference in
            kind(
                "\(label) names contact '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                at: reference.location,
                hint: "declare it under 'contacts:' or fix the id")
        }
    }

    /// Whether every contact the organisation's groups, rotations, overrides and contact targets name is in `declared`.
    static func allDeclared(_ organisation: Organisation, _ targets: [(label: String, target: Target)], in declared: Set<String>) -> Bool {
        for group in organisation.groups where !group.members.allSatisfy({ declared.contains($0.value) }) { return false }
        for schedule in organisation.schedules {
            if !(schedule.rotation?.members ?? []).allSatisfy({ declared.contains($0.value) }) { return false }
            if !schedule.overrides.allSatisfy({ declared.contains($0.contact.value) }) { return false }
        }
        return targets.allSatisfy { $0.target.kind != .contact || declared.contains($0.target.reference.value) }
    }
}
