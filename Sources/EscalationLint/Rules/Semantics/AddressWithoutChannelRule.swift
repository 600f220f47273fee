import EscalationCore
import EscalationPolicy

/// An address an incident carries is reached through channels that read its kind: there must be one.
public struct AddressWithoutChannelRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "address_without_channel", code: "E039", severity: .error),
        name: "Address without a channel",
        summary: "An 'address' or 'address-list' field holds addresses of one kind ('kind: email'); a channel with that address kind "
            + "must be declared, and a step that reaches such a field with 'via' must list one, or nobody is reached.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      client_email: { type: address, kind: email, required: true }
                      client_phone: { type: address, kind: sms }
                      participants: { type: address-list, kind: email }
                    layers:
                      - id: client
                        notify: [{ address: [client_phone, client_email] }, { group: team }]
                        via: [sms, email]
                        cc: [{ address: participants }]
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
                      client_slack: { type: address, kind: ↓slack }
                      client_email: { type: address, kind: email }
                    layers:
                      - id: client
                        notify: [{ address: client_slack }, { address: ↓client_email }, { group: team }]
                        via: [sms]
                        template: page
                """)
        ])

    /// Reports address kinds no channel reads, and address targets a step's `via` cannot reach.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        let kinds = Set(organisation.channels.map(\.addressKind))
        var result: [Diagnostic] = []
        for labels in context.policyLabels {
            let policy = labels.policy
            for field in policy.fields where field.type.value.holdsAddresses {
                guard let kind = field.addressKind, !kinds.contains(kind.value) else { continue }
                let known = kinds.sorted().joined(separator: ", ")
                result.append(
                    self.kind(
                        "field '\(field.name.value)' of policy '\(policy.id.value)' holds '\(kind.value)' addresses, but no channel reads that kind\(kind.value.didYouMean(kinds))",
                        at: kind.location,
                        hint: "declare a channel with 'address: \(kind.value)', or use a kind a channel reads (\(known.isEmpty ? "none declared" : known))"))
            }
            for (label, step) in labels.steps where !step.via.isEmpty {
                // Most steps name no address target: the kinds their 'via' channels read are gathered only for one that
                // does, and the notify and cc targets are walked in place instead of joined into a new list.
                var viaKinds: Set<String>?
                func check(_ target: Target) {
                    guard target.kind == .address else { return }
                    let fields = target.addressFields.compactMap { policy.field($0.value) }
                    let fieldKinds = fields.compactMap { $0.addressKind?.value }
                    // Unknown fields and kinds no channel reads are reported by their own rules.
                    guard fields.count == target.addressFields.count, !fieldKinds.isEmpty, fieldKinds.allSatisfy(kinds.contains) else { return }
                    let read = viaKinds ?? Set(step.via.flatMap(\.channels).compactMap { organisation.channel($0.value)?.addressKind })
                    viaKinds = read
                    guard !fieldKinds.contains(where: read.contains) else { return }
                    let names = target.addressFields.map(\.value).joined(separator: ", ")
                    result.append(
                        kind(
                            "\(label) reaches \(names) (\(fieldKinds.joined(separator: ", ")) addresses) only through 'via' channels that read none of them",
                            at: target.reference.location,
                            hint: "add a channel that reads \(fieldKinds.joined(separator: " or ")) to its 'via'"))
                }
                for target in step.notify { check(target) }
                for target in step.cc { check(target) }
            }
        }
        return result
    }
}
