/// Counts of refused ingest requests (events, webhooks and triggers answered 4xx) by reason, for `/metrics`.
actor IngestRefusals {
    private var counts: [String: Int] = [:]

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

    /// Counts one refusal.
    func count(_ reason: String) { counts[reason, default: 0] += 1 }

    /// How many were refused for a reason.
    func count(of reason: String) -> Int { counts[reason, default: 0] }

    /// Prometheus text: `escalate_ingest_refused_total{reason="…"} N` for every reason.
    func prometheus() -> String {
        var lines = [
            "# HELP escalate_ingest_refused_total Events, webhooks and triggers refused with a 4xx, by reason.",
            "# TYPE escalate_ingest_refused_total counter",
        ]
        for reason in Self.reasons { lines.append("escalate_ingest_refused_total{reason=\"\(reason)\"} \(counts[reason, default: 0])") }
        return lines.joined(separator: "\n") + "\n"
    }
}
