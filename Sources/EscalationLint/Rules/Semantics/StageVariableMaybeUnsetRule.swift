import EscalationCore
import EscalationPolicy

/// A stage message that reads an optional incident field the stage does not `require` can go out reading
/// "(no value: incident.eta)": customers see it. Require the field at the stage, or make it required at trigger.
public struct StageVariableMaybeUnsetRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "stage_variable_maybe_unset", code: "E051", severity: .error),
        name: "Stage variable maybe unset",
        summary: "A stage's message uses '{{ incident.FIELD }}' for a field that is neither required at trigger nor in the stage's 'requires', so it can be posted reading '(no value: incident.FIELD)'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                templates:
                  identified: { body: "Fixed by {{ incident.eta }}" }
                policies:
                  p:
                    name: P
                    fields:
                      eta: { type: string }
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                    stages:
                      - { id: identified, on: signal, signal: identified, requires: [eta], channel: room, template: identified }
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                templates:
                  identified: { body: "Fixed by {{ incident.eta }}" }
                policies:
                  p:
                    name: P
                    fields:
                      eta: { type: string }
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                    stages:
                      - { id: identified, on: signal, signal: identified, channel: room, template: ↓identified }
                """)
        ])

    /// Reports each stage whose template reads an optional field the stage does not require.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for policy in context.organisation.policies {
            for stage in policy.stages {
                guard let template = context.organisation.template(stage.template.value) else { continue }
                let required = Set(stage.requires.map(\.value))
                var seen = Set<String>()
                let unset = template.variables.map(\.value).filter { $0.hasPrefix("incident.") }.map { String($0.dropFirst("incident.".count)) }
                    .filter { field in
                        guard let declared = policy.field(field), !declared.required, !required.contains(field) else { return false }
                        return seen.insert(field).inserted
                    }
                guard !unset.isEmpty else { continue }
                let names = unset.map { "'\($0)'" }.joined(separator: ", ")
                result.append(
                    kind(
                        "stage '\(stage.id.value)' of policy '\(policy.id.value)' posts template '\(template.id.value)', which uses \(names), an optional field the stage does not require: it can be posted reading '(no value: incident.\(unset[0]))'",
                        at: stage.template.location,
                        hint: "add 'requires: [\(unset.joined(separator: ", "))]' to the stage (the signal is then refused without it), or make the field required"))
            }
        }
        return result
    }
}
