import EscalationCore
import EscalationStore

/// An incident as the API shows it.
struct IncidentSummary: Encodable {
    var id: String
    var organisation: String
    var policy: String
    var version: String
    var title: String
    var status: String
    var dedupKey: String?
    var fields: [String: String]
    var openScopes: [String]
    var resolvedScopes: [String]
    var stage: String?
    var acknowledgedBy: String?
    var resolvedBy: String?
    var outcome: String?
    var ladder: String
    var replyCode: String?
    var createdAt: String
    var updatedAt: String

    /// snake_case, as in requests.
    enum CodingKeys: String, CodingKey {
        case id, organisation, policy, version, title, status, fields, stage, outcome, ladder
        case dedupKey = "dedup_key", openScopes = "open_scopes", resolvedScopes = "resolved_scopes", acknowledgedBy = "acknowledged_by"
        case resolvedBy = "resolved_by", createdAt = "created_at", updatedAt = "updated_at", replyCode = "reply_code"
    }

    /// Every key, null when there is no value (the schema lists them all as required).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(organisation, forKey: .organisation)
        try container.encode(policy, forKey: .policy)
        try container.encode(version, forKey: .version)
        try container.encode(title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(dedupKey, forKey: .dedupKey)
        try container.encode(fields, forKey: .fields)
        try container.encode(openScopes, forKey: .openScopes)
        try container.encode(resolvedScopes, forKey: .resolvedScopes)
        try container.encode(stage, forKey: .stage)
        try container.encode(acknowledgedBy, forKey: .acknowledgedBy)
        try container.encode(resolvedBy, forKey: .resolvedBy)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(ladder, forKey: .ladder)
        try container.encode(replyCode, forKey: .replyCode)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    init(_ incident: StoredIncident) {
        id = incident.id
        organisation = incident.organisation
        policy = incident.state.policy
        version = incident.state.version
        title = incident.state.title
        status = incident.state.status.rawValue
        dedupKey = incident.state.dedupKey
        replyCode = incident.state.replyCode
        fields = incident.state.fields
        openScopes = incident.state.openScopes
        resolvedScopes = incident.state.resolvedScopes
        stage = incident.state.stage
        acknowledgedBy = incident.state.acknowledgedBy
        resolvedBy = incident.state.resolvedBy
        outcome = incident.state.outcome
        ladder = incident.state.cursor.map { "at \($0)" } ?? incident.state.ladderEnd ?? "stopped"
        createdAt = incident.createdAt.description
        updatedAt = incident.updatedAt.description
    }
}

/// One timeline line.
struct TimelineLine: Encodable {
    var at: String
    var kind: String
    var text: String

    init(_ entry: EventLogEntry) {
        at = entry.at.description
        kind = entry.kind
        text = entry.text
    }
}

/// One delivery.
struct DeliveryLine: Encodable {
    var key: String
    var channel: String
    var status: String
    var attempts: Int
    var detail: String?

    init(_ item: OutboxItem) {
        key = item.idempotencyKey
        channel = item.channel
        status = item.status.rawValue
        attempts = item.attempts
        detail = item.detail
    }
}

/// One task a policy created.
struct TaskLine: Encodable {
    var title: String
    var assignees: [String]
    var description: String?
    var origin: String
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case title, assignees, description, origin
        case createdAt = "created_at"
    }

    init(_ task: StoredTask) {
        title = task.title
        assignees = task.assignees
        description = task.description
        origin = task.origin
        createdAt = task.createdAt.description
    }
}

/// An incident with its timeline, deliveries and tasks.
struct IncidentDetail: Encodable {
    var incident: IncidentSummary
    var timeline: [TimelineLine]
    var deliveries: [DeliveryLine]
    var tasks: [TaskLine]
}

/// One page of incidents and the cursor of the next (`null` on the last page).
struct IncidentListing: Encodable {
    var incidents: [IncidentSummary]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case incidents
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(incidents, forKey: .incidents)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// Opsgenie's 202 body.
struct OpsgenieAccepted: Encodable {
    var result: String
    var took: Double
    var requestId: String
}

/// The body of a refused PagerDuty event.
struct PagerDutyRefusalBody: Encodable {
    var status: String
    var message: String
    var errors: [String]
    var error: String
}

/// The body of a refused Opsgenie request.
struct OpsgenieRefusalBody: Encodable {
    var message: String
    var took: Double
    var requestId: String
    var error: String
}
