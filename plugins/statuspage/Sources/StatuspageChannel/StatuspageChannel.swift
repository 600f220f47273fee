import EscalationChannel
import EscalationCore
import Foundation
import NIOHTTP1

/// Posts stage messages as incidents on a Statuspage-style status page (`plugin: statuspage`): a post opens an
/// incident, an update adds to it, and expiry resolves it (PATCH to `resolved`, so its history stays on the page;
/// incidents are never deleted).
public struct StatuspageChannel: NotificationChannel {
    /// What the status page plugin is and which settings it reads.
    public static let descriptor = ChannelDescriptor(
        id: "statuspage",
        summary: "opens, updates and resolves incidents on a Statuspage-style status page",
        capabilities: [.update, .expiry, .idempotency, .posts],
        settings: [
            .init("page_id", required: true, "the status page's id"),
            .init("api_key", required: true, secret: true, "an API key (sent as Authorization: OAuth <key>)"),
            .init("api_url", kind: .url, "the API base URL (default \(defaultURL))"),
            .init("status", "the status a new incident opens with: investigating (default), identified or monitoring"),
            .init("impact", "the impact shown: none, minor, major or critical (default: the page's own rule)"),
            .init("timeout", kind: .duration, "how long one request may take, e.g. 10s (default 10s)"),
        ],
        validExamples: [
            """
            page_id: kctbh9vrtdwd
            api_key: ${env:STATUSPAGE_API_KEY}
            """,
            """
            page_id: kctbh9vrtdwd
            api_key: ${env:STATUSPAGE_API_KEY}
            api_url: https://status-api.example.org/v1
            status: identified
            impact: major
            timeout: 20s
            """,
        ],
        invalidExamples: [
            "api_key: ${env:STATUSPAGE_API_KEY}",
            """
            page_id: kctbh9vrtdwd
            api_key: 0123456789abcdef
            """,
            """
            page_id: kctbh9vrtdwd
            api_key: ${env:STATUSPAGE_API_KEY}
            status: broken
            """,
            """
            page_id: kctbh9vrtdwd
            api_key: ${env:STATUSPAGE_API_KEY}
            impact: huge
            """,
            """
            page_id: "my page"
            api_key: ${env:STATUSPAGE_API_KEY}
            """,
        ])

    /// The default API base.
    static let defaultURL = "https://api.statuspage.io/v1"
    /// Statuses of an unresolved incident.
    static let openStatuses = ["investigating", "identified", "monitoring"]
    /// Impact levels.
    static let impacts = ["none", "minor", "major", "critical"]

    /// Checks the page id, status, impact, URL and timeout on top of required keys and the key reference.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor) + settings.checkURL("api_url") + settings.checkDuration("timeout")
        if let page = settings.raw("page_id"), !ChannelEnvironment.isReference(page), !isIdentifier(page) {
            problems.append(settings.problem("page_id", "'\(page)' is not a page id (letters and digits)"))
        }
        if let status = settings.raw("status"), !openStatuses.contains(status) {
            problems.append(
                settings.problem(
                    "status", "'\(status)' is not a status a new incident can open with\(status.didYouMean(openStatuses))",
                    hint: "use one of \(openStatuses.joined(separator: ", "))"))
        }
        if let impact = settings.raw("impact"), !impacts.contains(impact) {
            problems.append(
                settings.problem(
                    "impact", "'\(impact)' is not an impact\(impact.didYouMean(impacts))", hint: "use one of \(impacts.joined(separator: ", "))"))
        }
        return problems
    }

    private let incidents: String
    private let key: String
    private let status: String
    private let impact: String?
    private let exchange: HTTPExchange

    /// Resolves the page id and key; fails when a reference is unset.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        let base = try settings.url("api_url", default: Self.defaultURL, in: environment)
        let page = try settings.required("page_id", in: environment)
        guard Self.isIdentifier(page) else { throw ChannelSetupError("\(settings.channel).page_id is not a page id") }
        incidents = "\(base)/pages/\(page)/incidents"
        key = try settings.required("api_key", in: environment)
        status = settings.raw("status") ?? "investigating"
        impact = settings.raw("impact")
        exchange = HTTPExchange(service: "the status page", timeout: try settings.timeout(), secrets: [key])
    }

    /// Opens an incident named after the subject (or the body's first line); the receipt is its id.
    /// A `status` in the message's metadata overrides the opening status.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        var incident: [String: any Sendable] = [
            "name": Self.name(message), "status": Self.status(message) ?? status, "body": message.body,
        ]
        if let impact { incident["impact_override"] = impact }
        return await send(.POST, incidents, incident, message)
    }

    /// Adds the message to the incident in the receipt, with the metadata's `status` when it has one.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        guard let id = Self.incidentID(receipt) else { return .failed(noIncident) }
        var incident: [String: any Sendable] = ["body": message.body]
        if let status = Self.status(message) { incident["status"] = status }
        return await send(.PATCH, "\(incidents)/\(id)", incident, message)
    }

    /// Resolves the incident in the receipt (PATCH status `resolved`, with the message as the last update).
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        guard let id = Self.incidentID(receipt) else { return .failed(noIncident) }
        return await send(.PATCH, "\(incidents)/\(id)", ["status": "resolved", "body": message.body], message)
    }

    private var noIncident: DeliveryFailure {
        DeliveryFailure(retryable: false, reason: "the receipt has no status page incident id to update")
    }

    private func send(_ method: HTTPMethod, _ url: String, _ incident: [String: any Sendable], _ message: ChannelMessage) async -> DeliveryResult {
        let body = (try? JSONSerialization.data(withJSONObject: ["incident": incident], options: [.sortedKeys])) ?? Data()
        let headers = [
            ("Content-Type", "application/json"), ("Authorization", "OAuth \(key)"), ("Idempotency-Key", message.idempotencyKey),
        ]
        switch await exchange.send(method, url, headers: headers, body: Array(body)) {
        case .success(let response): return .delivered(DeliveryReceipt(externalID: response.field("id") ?? Self.incidentID(url)))
        case .failure(let failure): return .failed(failure)
        }
    }

    /// The subject, else the body's first line, at most 255 characters.
    static func name(_ message: ChannelMessage) -> String {
        let text = message.subject.flatMap { $0.isEmpty ? nil : $0 } ?? message.body.split(separator: "\n").first.map(String.init) ?? "Incident"
        return text.count > 255 ? String(text.prefix(254)) + "…" : text
    }

    /// The metadata's `status` when it is a valid incident status.
    static func status(_ message: ChannelMessage) -> String? {
        message.metadata["status"].flatMap { (openStatuses + ["resolved"]).contains($0) ? $0 : nil }
    }

    private static func incidentID(_ receipt: DeliveryReceipt) -> String? { receipt.externalID.flatMap { isIdentifier($0) ? $0 : nil } }

    private static func incidentID(_ url: String) -> String? {
        url.hasSuffix("/incidents") ? nil : url.split(separator: "/").last.map(String.init)
    }

    private static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
