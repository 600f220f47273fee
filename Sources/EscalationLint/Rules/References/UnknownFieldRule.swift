import EscalationCore
import EscalationPolicy

/// Every incident field a policy reads (targets, conditions, anchors, `resolve_per`, task `per`) must be declared in its `fields`.
public struct UnknownFieldRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_field", code: "E026", severity: .error),
        name: "Unknown field",
        summary: "A field read by a '{field: …}' target, a 'when: fields' condition, an 'at' anchor, 'resolve_per' or a task's 'per' must be declared in the policy's 'fields' ('match' keys need not be).",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    match: { service: billing }
                    fields:
                      owner: { type: contact, required: true }
                      sites: { type: list }
                      region: { type: enum, values: [us, eu] }
                      session.start: { type: time, required: true }
                    resolve_per: sites
                    layers:
                      - id: first
                        notify: [{ field: owner }]
                        template: page
                        at: session.start + 15m
                        tasks:
                          - title: Check each site
                            assignee: { field: owner }
                            per: sites
                      - id: europe
                        when: { fields: { region: eu } }
                        notify: [{ group: team }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      owner: { type: contact }
                      start: { type: time }
                    resolve_per: ↓locations
                    layers:
                      - id: first
                        notify: [{ field: ↓ownr }]
                        template: page
                        at: ↓begin + 15m
                        tasks:
                          - title: Check each site
                            assignee: { contact: alice }
                            per: ↓sites
                      - id: europe
                        when: { fields: { ↓region: eu } }
                        notify: [{ group: team }]
                        template: page
                """),
        ])

    /// Reports each use of a field the policy does not declare.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for labels in context.policyLabels where !context.loaderReported(.policyFields, labels.policy.id.value) {
            let policy = labels.policy
            let declared = policy.fields.map(\.name.value)
            // (where, field, the type the use needs)
            var uses: [(LintLabel, Located<String>, FieldDeclaration.FieldType?)] = []
            if let field = policy.resolvePer { uses.append((.text("'resolve_per' of policy '\(policy.id.value)'"), field, .list)) }
            for (label, target) in labels.targets where target.kind == .field {
                uses.append((label, target.reference, .contact))
            }
            for stage in policy.stages {
                uses += stage.requires.map { (.text("'requires' of stage '\(stage.id.value)' of policy '\(policy.id.value)'"), $0, nil) }
            }
            for (label, target) in labels.targets where target.kind == .address {
                uses += target.addressFields.map { (label, $0, .address) }
            }
            for (label, step) in labels.steps {
                for match in step.when?.fields ?? [] { uses.append((.phrase("the condition of ", label), match.field, nil)) }
                for task in step.tasks {
                    if let per = task.per { uses.append((.phrase("'per' of task '\(task.title.value)' of ", label), per, .list)) }
                }
            }
            for layer in policy.layers {
                if let anchor = layer.at {
                    uses.append(
                        (.text("the 'at' of layer '\(layer.id)' of policy '\(policy.id.value)'"),
                         Located(anchor.value.field, at: anchor.location), .time))
                }
            }
            for deadline in policy.deadlines {
                if let anchor = deadline.at {
                    uses.append(
                        (.text("the 'at' of deadline '\(deadline.id)' of policy '\(policy.id.value)'"), Located(anchor.value.field, at: anchor.location), .time))
                }
            }
            for (label, field, type) in uses where policy.field(field.value) == nil && !Self.loaderDropped(field.value, context) {
                let example = "\(field.value): { type: \(type?.rawValue ?? "string")\(type?.holdsAddresses == true ? ", kind: email" : "") }"
                result.append(
                    kind(
                        "\(label) reads field '\(field.value)', which policy '\(policy.id.value)' does not declare\(field.value.didYouMean(declared))",
                        at: field.location,
                        hint: "declare it under 'fields:' of policy '\(policy.id.value)', e.g. '\(example)', or fix the name"))
            }
        }
        return result
    }

    /// Whether the loader reported the declaration of this field as broken (bad name or type), so it was dropped.
    static func loaderDropped(_ field: String, _ context: LintContext) -> Bool {
        context.loaderReported(.field, field)
    }
}
