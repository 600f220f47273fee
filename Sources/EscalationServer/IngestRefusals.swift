import EscalationCore

/// Refused ingest requests (events, webhooks and triggers answered 4xx): counts by reason, for `/metrics`, and the
/// recent ones of each organisation, for `GET /v1/events/refused`.
actor IngestRefusals {
    /// One refusal as `GET /v1/events/refused` lists it.
    struct Refusal: Encodable, Sendable {
        var at: String
        var source: String
        var reason: String
        var status: Int
        var message: String
    }

    /// The most refusals kept per organisation.
    static let kept = 100

    private var counts: [String: Int] = [:]
    private var recent: [String: [Refusal]] = [:]

    /// The reasons counted, in the order `/metrics` lists them.
    static let reasons = ["invalid", "unauthorized", "forbidden", "not_found", "too_large", "unprocessable", "conflict", "rate_limited", "other"]

    /// The reason a status is counted under.
    static func reason(for code: Int) -> String {
        switch code {
        case 400: "invalid"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 413: "too_large"
        case 422: "unprocessable"
        case 409: "conflict"
        case 429: "rate_limited"
        default: "other"
        }
    }

    /// Counts one refusal, and keeps it for its organisation when known.
    func count(_ reason: String, organisation: String? = nil, source: String = "", status: Int = 0, message: String = "", at: Instant? = nil) {
        counts[reason, default: 0] += 1
        guard let organisation else { return }
        let refusal = Refusal(at: at?.description ?? "", source: source, reason: reason, status: status, message: message)
        recent[organisation] = Array((recent[organisation, default: []] + [refusal]).suffix(Self.kept))
    }

    /// The organisation's recent refusals, newest first.
    func recent(organisation: String) -> [Refusal] { recent[organisation, default: []].reversed() }

    /// How many were refused for a reason.
    func count(of reason: String) -> Int { counts[reason, default: 0] }

    /// Prometheus text: `escalate_events_refused_total{reason="…"} N` for every reason.
    func prometheus() -> String {
        var lines = [
            "# HELP escalate_events_refused_total Events, webhooks and triggers refused with a 4xx, by reason.",
            "# TYPE escalate_events_refused_total counter",
        ]
        for reason in Self.reasons { lines.append("escalate_events_refused_total{reason=\"\(reason)\"} \(counts[reason, default: 0])") }
        return lines.joined(separator: "\n") + "\n"
    }
}
