import EscalationCore
import EscalationPolicy

/// Every template variable must be a built-in or `incident.FIELD` for a field every policy using the template declares.
public struct UndefinedTemplateVariableRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The variables every template may use.
    public static let builtInVariables = [
        "incident.id", "incident.title", "incident.started_at", "incident.url", "incident.ack_url", "incident.reply_code", "incident.status",
        "incident.stage", "incident.outcome", "incident.scope", "incident.resolve_url", "incident.escalate_url", "incident.resolved_scope", "incident.open_scopes", "incident.reports", "organisation.id", "organisation.name", "policy.id",
        "policy.name", "layer.id", "layer.name", "recipient.id", "recipient.name", "now",
    ]

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "undefined_template_variable", code: "E027", severity: .error),
        name: "Undefined template variable",
        summary: "A '{{ variable }}' must be a built-in (incident.title, recipient.name, now, …) or 'incident.FIELD' for a field that every policy using the template declares; a missing variable is never sent as an empty string.",
        nonTriggeringExamples: [
            RuleExample(
                """
                templates:
                  handover:
                    subject: "{{ incident.title }} ({{ policy.name }})"
                    body: "{{ recipient.name }}: {{ incident.owner }} owns this since {{ incident.started_at }}"
                policies:
                  p:
                    name: P
                    fields:
                      owner: { type: contact, required: true }
                    layers:
                      - id: first
                        notify: [{ field: owner }]
                        template: handover
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                templates:
                  outage:
                    subject: "Outage: ↓{{ incident.titel }}"
                    body: "Region ↓{{ incident.region }} since {{ incident.started_at }}; see ↓{{ incidnet.url }}"
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: outage
                """),
            RuleExample(
                """
                templates:
                  handover:
                    body: "Owner: ↓{{ incident.owner }}"
                policies:
                  billing:
                    name: Billing
                    match: { service: billing }
                    fields:
                      owner: { type: contact }
                    layers:
                      - id: owner
                        notify: [{ field: owner }]
                        template: handover
                  network:
                    name: Network
                    match: { service: network }
                    layers:
                      - id: desk
                        notify: [{ group: team }]
                        template: handover
                """),
        ])

    /// `builtInVariables` as a set, for lookups.
    static let builtInSet = Set(builtInVariables)

    /// Reports each variable that is neither built in nor declared by every policy using the template.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        let labels = context.policyLabels
        // Most variables are built-ins or fields every policy using the template declares, and nothing is reported. So
        // each policy's template ids are listed only when a template first has an `incident.FIELD` variable, a
        // template's users (indices into `labels`, in order) only when it has one, a field is looked for in each user's
        // declarations without building sets, and the organisation's field names are gathered only for a message or a
        // template no policy uses.
        var sent: [[String]]?
        var anyFieldSet: Set<String>?
        func anyField() -> Set<String> {
            if let known = anyFieldSet { return known }
            var made = Set<String>()
            for policyLabels in labels { made.formUnion(policyLabels.policy.fields.map(\.name.value)) }
            anyFieldSet = made
            return made
        }
        func declares(_ index: Int, _ field: String) -> Bool {
            labels[index].policy.fields.contains { $0.name.value == field }
        }
        var result: [Diagnostic] = []
        for template in organisation.templates {
            var templateUsers: [Int]?
            for variable in template.variables where !Self.builtInSet.contains(variable.value) {
                let name = variable.value
                guard let field = Self.incidentField(name) else {
                    result.append(
                        kind(
                            "template '\(template.id.value)' uses '{{ \(name) }}', which is not a built-in variable\(name.didYouMean(Self.builtInVariables))",
                            at: variable.location,
                            hint: "use a built-in (\(Self.builtInVariables.joined(separator: ", "))) or incident.FIELD for a declared field"))
                    continue
                }
                if UnknownFieldRule.loaderDropped(field, context) { continue }
                if templateUsers == nil {
                    if sent == nil { sent = labels.map(Self.templateIDs(of:)) }
                    let id = template.id.value
                    templateUsers = labels.indices.filter { sent?[$0].contains(id) == true }
                }
                let using = templateUsers ?? []
                if using.isEmpty {
                    guard !anyField().contains(field) else { continue }
                    result.append(
                        kind(
                            "template '\(template.id.value)' uses '{{ \(name) }}', but no policy declares field '\(field)'\(Self.suggestion(for: field, fields: anyField()))",
                            at: variable.location,
                            hint: "declare '\(field)' under 'fields:' of the policies that will use this template, or use a built-in variable"))
                    continue
                }
                let lacking = using.filter { !declares($0, field) }
                guard !lacking.isEmpty else { continue }
                let common = using.map { Set(labels[$0].policy.fields.map(\.name.value)) }.reduce(into: anyField()) { $0.formIntersection($1) }
                let names = lacking.map { "'\(labels[$0].policy.id.value)'" }
                let subject = names.count == 1 ? "policy \(names[0]), which uses it, does not" : "policies \(names.joined(separator: ", ")), which use it, do not"
                result.append(
                    kind(
                        "template '\(template.id.value)' uses '{{ \(name) }}', but \(subject) declare field '\(field)'\(Self.suggestion(for: field, fields: common))",
                        at: variable.location,
                        hint: "declare '\(field)' under 'fields:' of \(names.count == 1 ? "policy \(names[0])" : "those policies"), or use a built-in variable"))
            }
        }
        return result
    }

    /// `"incident.".count`.
    private static let incidentPrefixCount = "incident.".count

    /// The bytes of `"incident."`.
    private static let incidentPrefix = Array("incident.".utf8)

    /// `name.hasPrefix("incident.") ? String(name.dropFirst("incident.".count)) : nil`. When the bytes start with
    /// `incident.` and the next byte is ASCII (or there is none), the first nine characters are those nine bytes, so
    /// the field is the rest of the bytes, found without walking characters; any other name takes the character path.
    static func incidentField(_ name: String) -> String? {
        let fast = name.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            let count = incidentPrefix.count
            guard bytes.count >= count, bytes.count == count || bytes[count] < 0x80 else { return nil }
            for index in 0..<count where bytes[index] != incidentPrefix[index] { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[count...]), as: UTF8.self)
        }
        if let fast, let field = fast { return field }
        guard name.hasPrefix("incident.") else { return nil }
        return String(name.dropFirst(incidentPrefixCount))
    }

    /// ` (did you mean 'incident.x'?)` for the built-in incident variable or field closest to a field name, or an empty string.
    static func suggestion(for field: String, fields: Set<String>) -> String {
        let names = builtInVariables.filter { $0.hasPrefix("incident.") }.map { String($0.dropFirst("incident.".count)) }
        return field.closest(in: names + fields.sorted()).map { " (did you mean 'incident.\($0)'?)" } ?? ""
    }

    /// The ids of the templates a policy sends: step templates, posts, stages and actions.
    static func templateIDs(of labels: PolicyLabels) -> [String] {
        let policy = labels.policy
        var ids: [String] = []
        for (_, step) in labels.steps {
            if let template = step.template { ids.append(template.value) }
            ids += step.posts.map(\.template.value)
        }
        ids += policy.stages.map(\.template.value)
        ids += policy.actions.map(\.template.value)
        return ids
    }
}
