import Foundation

/// A PagerDuty Events API v2 body.
struct PagerDutyEvent: Decodable {
    struct Payload: Decodable {
        var summary: String
        var source: String?
        var severity: String?
        var component: String?
        var group: String?
        var `class`: String?
        var customDetails: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case summary, source, severity, component, group, `class`
            case customDetails = "custom_details"
        }
    }

    var routingKey: String
    var eventAction: String
    var dedupKey: String?
    var payload: Payload?

    enum CodingKeys: String, CodingKey {
        case routingKey = "routing_key"
        case eventAction = "event_action"
        case dedupKey = "dedup_key"
        case payload
    }
}

/// A PagerDuty change event (`POST /v2/change/enqueue`) body.
struct PagerDutyChangeEvent: Decodable {
    struct Payload: Decodable {
        var summary: String
        var source: String?
        var timestamp: String?
        var customDetails: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case summary, source, timestamp
            case customDetails = "custom_details"
        }
    }

    struct Link: Decodable {
        var href: String?
        var text: String?
    }

    var routingKey: String
    var payload: Payload
    var links: [Link]?

    enum CodingKeys: String, CodingKey {
        case routingKey = "routing_key"
        case payload, links
    }
}

/// An Alertmanager webhook (version 4) body.
struct AlertmanagerWebhook: Decodable {
    struct Alert: Decodable {
        var status: String
        var labels: [String: String]
        var annotations: [String: String]?
        var fingerprint: String?
    }

    var version: String
    var groupKey: String
    var status: String
    var receiver: String?
    var alerts: [Alert]
    var commonLabels: [String: String]?
    var commonAnnotations: [String: String]?
    var externalURL: String?
}

/// Any JSON value, flattened to text for incident fields.
enum JSONValue: Decodable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Text for a field: lists become `a, b`; numbers print without a trailing `.0`.
    var text: String {
        switch self {
        case .string(let value): return value
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): return value ? "true" : "false"
        case .array(let items): return items.map(\.text).joined(separator: ", ")
        case .object(let map): return map.keys.sorted().map { "\($0)=\(map[$0]?.text ?? "")" }.joined(separator: ", ")
        case .null: return ""
        }
    }
}

/// `POST /v1/incidents` and CLI trigger body.
struct TriggerBody: Decodable {
    var organisation: String?
    var policy: String?
    var title: String?
    var dedupKey: String?
    var fields: [String: JSONValue]?

    enum CodingKeys: String, CodingKey {
        case organisation, policy, title, fields
        case dedupKey = "dedup_key"
    }
}

/// Bodies of incident actions.
struct ActionBody: Decodable {
    var by: String?
    var scope: String?
    var outcome: String?
    var name: String?
    var data: [String: JSONValue]?
    var until: String?
    /// Read as a number so that 1.5 is refused by name ("a whole number of minutes"), not as invalid JSON.
    var minutes: Double?
    var fields: [String: JSONValue]?
}

/// An Opsgenie Alert API v2 create body (`POST /v2/alerts`), the part Escalate reads.
struct OpsgenieAlert: Decodable {
    var message: String
    var alias: String?
    var description: String?
    var tags: [String]?
    var details: [String: JSONValue]?
    var entity: String?
    var source: String?
    var priority: String?
    var user: String?
    var note: String?
}

/// An Opsgenie acknowledge or close body (all optional).
struct OpsgenieAction: Decodable {
    var user: String?
    var source: String?
    var note: String?
}
