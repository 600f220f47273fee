import EscalationCore
import EscalationPolicy

/// A route must be able to pick a row for every incident of every policy that uses it: the field it reads is declared
/// there, and each value the field can take has a row, or the route has a `default`.
public struct IncompleteRouteRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "incomplete_route", code: "E049", severity: .error),
        name: "Incomplete route",
        summary: "A route used by a policy must read a field that policy declares, with a row for every value an enum field can take (or a 'default'); a route by any other field type needs a 'default'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                routes:
                  by-region:
                    by: region
                    to:
                      us: { contact: alice }
                    default: { group: team }
                policies:
                  p:
                    name: P
                    fields:
                      region: { type: enum, values: [us, eu, apac], required: true }
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
                    ↓to:
                      us: { contact: alice }
                      eu: { group: team }
                policies:
                  p:
                    name: P
                    fields:
                      region: { type: enum, values: [us, eu, apac], required: true }
                    layers:
                      - id: first
                        notify: [{ route: by-region }]
                        template: page
                """),
            RuleExample(
                """
                routes:
                  by-site:
                    by: site
                    to:
                      roy: { contact: alice }
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ route: ↓by-site }]
                        template: page
                """),
        ])

    /// Reports each use of a route whose field the policy does not declare, and each route that leaves values without a row.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        var result: [Diagnostic] = []
        var reported = Set<String>()
        for labels in context.policyLabels {
            let policy = labels.policy
            for (label, reference, picksChannel) in labels.routeUses {
                guard let route = organisation.route(reference.value) else { continue }
                if route.picksChannels != picksChannel {
                    result.append(
                        kind(
                            picksChannel
                                ? "\(label) takes its channel from route '\(route.id.value)', whose rows name people, not channels"
                                : "\(label) reaches route '\(route.id.value)', whose rows name channels, not people",
                            at: reference.location,
                            hint: picksChannel
                                ? "give the route channel rows ('us: { channel: status-us }'), or use another route"
                                : "use the route as a post's or stage's 'channel: { route: … }', or give it rows of people"))
                    continue
                }
                let field = route.by.value
                guard let declared = policy.field(field) else {
                    if !context.loaderReported(.policyFields, policy.id.value) {
                        result.append(
                            kind(
                                "\(label) uses route '\(route.id.value)', which picks by field '\(field)', but policy '\(policy.id.value)' does not declare it",
                                at: reference.location,
                                hint: "declare '\(field)' under the policy's 'fields:' (an enum lists the values the route covers)"))
                    }
                    continue
                }
                guard route.fallback == nil, route.fallbackChannel == nil, reported.insert("\(route.id.value)/\(policy.id.value)").inserted else { continue }
                let rows = Set(route.entries.map(\.value.value))
                switch declared.type.value {
                case .enum, .boolean:
                    let values = declared.type.value == .enum ? declared.values.map(\.value) : ["true", "false"]
                    let missing = values.filter { !rows.contains($0) }
                    guard !missing.isEmpty else { continue }
                    let names = missing.map { "'\($0)'" }.joined(separator: ", ")
                    result.append(
                        kind(
                            "route '\(route.id.value)' has no row for \(names) of field '\(field)' (policy '\(policy.id.value)'), and no default: such an incident reaches nobody there",
                            at: route.toLocation ?? route.id.location,
                            hint: "add a row for each value under 'to:', or a 'default:'"))
                default:
                    result.append(
                        kind(
                            "route '\(route.id.value)' picks by field '\(field)', a \(declared.type.value.rawValue) that can take any value, and has no default",
                            at: reference.location,
                            hint: "add 'default:' to the route, or make '\(field)' an enum of the values it covers"))
                }
            }
        }
        return result
    }

}
