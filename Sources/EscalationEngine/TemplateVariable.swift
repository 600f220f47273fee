/// A template placeholder's name, resolved once when the engine is built, so rendering switches on a case instead of
/// comparing the name's text on every message.
enum TemplateVariable: Hashable, Sendable {
    case incidentID, incidentTitle, incidentStartedAt, incidentURL, incidentAckURL, incidentResolveURL, incidentEscalateURL
    case incidentReplyCode, incidentStatus, incidentStage, incidentOutcome, incidentScope, incidentReports
    case incidentResolvedScope, incidentOpenScopes, organisationID, organisationName, policyID, policyName
    case layerID, layerName, recipientID, recipientName, now
    /// `incident.FIELD`: one of the incident's fields, with how its value is shown (known once the policy is).
    case field(String, FieldKind)
    /// A name no value answers to (it renders as `(no value: name)`).
    case unknown

    /// The variable a placeholder names.
    init(name: String) {
        switch name {
        case "incident.id": self = .incidentID
        case "incident.title": self = .incidentTitle
        case "incident.started_at": self = .incidentStartedAt
        case "incident.url": self = .incidentURL
        case "incident.ack_url": self = .incidentAckURL
        case "incident.resolve_url": self = .incidentResolveURL
        case "incident.escalate_url": self = .incidentEscalateURL
        case "incident.reply_code": self = .incidentReplyCode
        case "incident.status": self = .incidentStatus
        case "incident.stage": self = .incidentStage
        case "incident.outcome": self = .incidentOutcome
        case "incident.scope": self = .incidentScope
        case "incident.reports": self = .incidentReports
        case "incident.resolved_scope": self = .incidentResolvedScope
        case "incident.open_scopes": self = .incidentOpenScopes
        case "organisation.id": self = .organisationID
        case "organisation.name": self = .organisationName
        case "policy.id": self = .policyID
        case "policy.name": self = .policyName
        case "layer.id": self = .layerID
        case "layer.name": self = .layerName
        case "recipient.id": self = .recipientID
        case "recipient.name": self = .recipientName
        case "now": self = .now
        default:
            self = name.hasPrefix("incident.") ? .field(String(name.dropFirst("incident.".count)), .plain) : .unknown
        }
    }

    /// How a field's value is shown in a message.
    enum FieldKind: Hashable, Sendable {
        /// As written.
        case plain
        /// A contact id, shown as the contact's name.
        case contact
        /// One or more addresses, shown as the names people are addressed by.
        case address
    }

    /// The kind a policy declares its field of `type` to be.
    static func fieldKind(type: String?) -> FieldKind {
        switch type {
        case "contact": .contact
        case "address", "address-list": .address
        default: .plain
        }
    }
}
