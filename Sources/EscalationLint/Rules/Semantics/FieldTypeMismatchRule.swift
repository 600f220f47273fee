import EscalationCore
import EscalationPolicy

/// Fields used as targets must be of type `contact`; fields used by `resolve_per` and task `per` must be of type `list`.
public struct FieldTypeMismatchRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "field_type_mismatch", code: "E030", severity: .error),
        name: "Field type mismatch",
        summary: "A '{field: X}' target or task assignee needs a 'contact' field; 'resolve_per' and a task's 'per' need a 'list' field.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      owner: { type: contact, required: true }
                      sites: { type: list, required: true }
                    resolve_per: sites
                    layers:
                      - id: first
                        notify: [{ field: owner }]
                        template: page
                        tasks:
                          - title: Confirm the site is back
                            assignee: { field: owner }
                            per: sites
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      owner: { type: string, required: true }
                      site: { type: string }
                    resolve_per: ↓site
                    layers:
                      - id: first
                        notify: [{ field: ↓owner }]
                        template: page
                        tasks:
                          - title: Confirm the site is back
                            assignee: { field: ↓owner }
                            per: ↓site
                """),
        ])

    /// Reports each field used with a type other than the one the use needs.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for labels in context.policyLabels {
            let policy = labels.policy
            var uses: [(LintLabel, Located<String>, FieldDeclaration.FieldType)] = []
            if let field = policy.resolvePer { uses.append((.text("'resolve_per' of policy '\(policy.id.value)'"), field, .list)) }
            for (label, target) in labels.targets where target.kind == .field {
                uses.append((.phrase("the target in ", label), target.reference, .contact))
            }
            for (label, step) in labels.steps {
                for task in step.tasks {
                    if let per = task.per { uses.append((.phrase("'per' of task '\(task.title.value)' of ", label), per, .list)) }
                }
            }
            for (label, target) in labels.targets where target.kind == .address {
                let several = target.addressFields.count > 1
                for reference in target.addressFields {
                    guard let field = policy.field(reference.value) else { continue }
                    let fits = several ? field.type.value == .address : field.type.value.holdsAddresses
                    guard !fits else { continue }
                    let want = several ? "address (one person's addresses of different kinds, one per field)" : "address or address-list"
                    result.append(
                        kind(
                            "the target in \(label) uses field '\(field.name.value)', which is declared as \(field.type.value.rawValue), but an address target needs type \(want)",
                            at: reference.location,
                            hint: "declare '\(field.name.value)' with 'type: \(several ? "address" : "address")' and 'kind:', or use '{ field: \(field.name.value) }' for a contact field"))
                }
            }
            for (label, reference, expected) in uses {
                guard let field = policy.field(reference.value), field.type.value != expected else { continue }
                let why = expected == .contact ? "a target must name a contact" : "it makes one item per element of a list"
                let candidates = policy.fields.filter { $0.type.value == expected }.map(\.name.value)
                let others = candidates.isEmpty ? "" : " (\(expected.rawValue) fields of this policy: \(candidates.joined(separator: ", ")))"
                result.append(
                    kind(
                        "\(label) uses field '\(field.name.value)', which is declared as \(field.type.value.rawValue), but \(why), so it must be of type \(expected.rawValue)",
                        at: reference.location,
                        hint: "declare '\(field.name.value)' with 'type: \(expected.rawValue)', or use a \(expected.rawValue) field\(others)"))
            }
        }
        return result
    }
}
