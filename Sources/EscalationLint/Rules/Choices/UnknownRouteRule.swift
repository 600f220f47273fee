import EscalationCore
import EscalationPolicy

/// Every route a notify, cc or task assignee target names must be declared under `routes:`.
public struct UnknownRouteRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_route", code: "E048", severity: .error),
        name: "Unknown route",
        summary: "A route named in a notify, cc or task assignee target must be declared under 'routes'.",
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
                policies:
                  p:
                    name: P
                    fields:
                      region: { type: enum, values: [us, eu], required: true }
                    layers:
                      - id: first
                        notify: [{ route: ↓by-regoin }]
                        template: page
                """)
        ])

    /// Reports each target that names an undeclared route.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        let known = organisation.routes.map(\.id.value)
        return context.policyLabels.flatMap(\.routeUses)
            .filter { organisation.route($0.route.value) == nil && !context.loaderReported(.route, $0.route.value) }
            .map { label, reference, _ in
                kind(
                    "\(label) names route '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                    at: reference.location,
                    hint: "declare it under 'routes:' with 'by: FIELD' and a row for each value under 'to:', or fix the id")
            }
    }
}
