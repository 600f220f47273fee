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
        let known = organisation.contacts.map(\.id.value)
        let declared = Set(known)
        var result: [Diagnostic] = []
        // A label is built only for a reference that is missing, which most organisations never have.
        Self.forEachReference(context) { label, reference in
            guard !declared.contains(reference.value) else { return }
            result.append(
                kind(
                    "\(label()) names contact '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                    at: reference.location,
                    hint: "declare it under 'contacts:' or fix the id"))
        }
        return result
    }

    /// Calls `body` with every contact the organisation's groups, rotations, overrides and contact targets name, in
    /// that order, each with its label (built when asked).
    static func forEachReference(_ context: LintContext, _ body: (_ label: () -> String, _ reference: Located<String>) -> Void) {
        let organisation = context.organisation
        for group in organisation.groups {
            for member in group.members { body({ "group '\(group.id.value)'" }, member) }
        }
        for schedule in organisation.schedules {
            for member in schedule.rotation?.members ?? [] { body({ "the rotation of schedule '\(schedule.id.value)'" }, member) }
            for override in schedule.overrides { body({ "an override of schedule '\(schedule.id.value)'" }, override.contact) }
        }
        for (label, target) in context.labelledTargets where target.kind == .contact { body({ label.description }, target.reference) }
    }
}
