import EscalationCore
import EscalationPolicy

/// A row for a value the route's field cannot take (in every policy that uses the route) is never picked.
public struct RouteRowNeverPickedRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "route_row_never_picked", code: "W008", severity: .warning),
        name: "Route row never picked",
        summary: "A route row for a value that the field cannot take (not one of the enum's values in any policy using the route) is never picked; often a typo.",
        nonTriggeringExamples: [
            RuleExample(
                """
                routes:
                  by-region:
                    by: region
                    to:
                      us: { contact: alice }
                      eu: { group: team }
                policies:
                  p:
                    name: P
                    fields:
                      region: { type: enum, values: [us, eu], required: true }
                    layers:
                      - id: first
                        notify: [{ route: by-region }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                routes:
                  by-region:
                    by: region
                    to:
                      us: { contact: alice }
                      eu: { group: team }
                      ↓ue: { contact: bob }
                policies:
                  p:
                    name: P
                    fields:
                      region: { type: enum, values: [us, eu], required: true }
                    layers:
                      - id: first
                        notify: [{ route: by-region }]
                        template: page
                """)
        ])

    /// Reports each row whose value no using policy's enum (or boolean) field can take.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        var result: [Diagnostic] = []
        for route in organisation.routes {
            let users = context.policyLabels.filter { labels in
                labels.routeUses.contains { $0.route.value == route.id.value }
            }.map(\.policy)
            var possible = Set<String>()
            var closed = !users.isEmpty
            for policy in users {
                guard let field = policy.field(route.by.value) else { continue }
                switch field.type.value {
                case .enum: possible.formUnion(field.values.map(\.value))
                case .boolean: possible.formUnion(["true", "false"])
                default: closed = false
                }
            }
            guard closed, !possible.isEmpty else { continue }
            for entry in route.entries where !possible.contains(entry.value.value) {
                result.append(
                    kind(
                        "row '\(entry.value.value)' of route '\(route.id.value)' is never picked: field '\(route.by.value)' can only be \(possible.sorted().joined(separator: ", "))\(entry.value.value.didYouMean(possible.sorted()))",
                        at: entry.value.location,
                        hint: "fix the value, or add it to the field's enum values"))
            }
        }
        return result
    }
}
