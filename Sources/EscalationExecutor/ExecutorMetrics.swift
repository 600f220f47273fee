/// Counters the executor keeps for `/metrics` (Prometheus text).
public struct ExecutorMetrics: Sendable {
    /// Events applied.
    public var events = 0
    /// Deliveries by outcome (`delivered`, `retry`, `failed`, `interrupted`, `throttled`).
    public var deliveries: [String: Int] = [:]
    /// Dispatch lag histogram: seconds from queued to first attempt, bucket upper bound → count.
    public var lagBuckets: [Double: Int] = [:]
    /// Sum of lags.
    public var lagSum: Double = 0
    /// Number of lag samples.
    public var lagCount = 0

    /// Bucket bounds of the dispatch lag histogram, in seconds.
    public static let bounds: [Double] = [0.5, 1, 2, 5, 10, 30, 60, 300]

    /// Records one dispatch lag.
    public mutating func observeLag(_ seconds: Double) {
        lagSum += seconds
        lagCount += 1
        for bound in Self.bounds where seconds <= bound { lagBuckets[bound, default: 0] += 1 }
    }

    /// Prometheus text exposition; `openIncidents` is passed in.
    public func prometheus(openIncidents: Int) -> String {
        var lines = [
            "# HELP escalate_events_total Events applied to incidents.", "# TYPE escalate_events_total counter",
            "escalate_events_total \(events)",
            "# HELP escalate_deliveries_total Delivery attempts by outcome.", "# TYPE escalate_deliveries_total counter",
        ]
        for outcome in ["delivered", "retry", "failed", "interrupted", "throttled"] {
            lines.append("escalate_deliveries_total{outcome=\"\(outcome)\"} \(deliveries[outcome, default: 0])")
        }
        lines += ["# HELP escalate_dispatch_lag_seconds Time from queueing to the first delivery attempt.", "# TYPE escalate_dispatch_lag_seconds histogram"]
        for bound in Self.bounds {
            lines.append("escalate_dispatch_lag_seconds_bucket{le=\"\(bound)\"} \(lagBuckets[bound, default: 0])")
        }
        lines += [
            "escalate_dispatch_lag_seconds_bucket{le=\"+Inf\"} \(lagCount)", "escalate_dispatch_lag_seconds_sum \(lagSum)",
            "escalate_dispatch_lag_seconds_count \(lagCount)",
            "# HELP escalate_open_incidents Incidents not yet resolved.", "# TYPE escalate_open_incidents gauge",
            "escalate_open_incidents \(openIncidents)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
