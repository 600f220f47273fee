/// Counters the executor keeps for `/metrics` (Prometheus text).
public struct ExecutorMetrics: Sendable {
    /// Events applied.
    public var events = 0
    /// Deliveries by outcome (`delivered`, `retry`, `failed`, `interrupted`, `throttled`).
    public var deliveries: [String: Int] = [:]
    /// Dispatch lag histogram: seconds from a delivery falling due to its first attempt, bucket upper bound → count.
    public var lagBuckets: [Double: Int] = [:]
    /// Sum of lags.
    public var lagSum: Double = 0
    /// Number of lag samples.
    public var lagCount = 0
    /// The most recent dispatch lags (at most `recentLimit`, in no particular order once full), for quantiles.
    public private(set) var recentLags: [Double] = []
    /// Where the next lag goes once `recentLags` is full (it replaces the oldest).
    private var recentNext = 0
    /// Timer lag: seconds from a timer's due instant to its firing, summed.
    public var timerLagSum: Double = 0
    /// Timers fired.
    public var timersFired = 0
    /// Times the executor loop woke up (a commit, a due timer or delivery, or the idle limit).
    public var wakeups = 0
    /// Answers that came on channels, by `channel/outcome` (`acted`, `unknown_sender`, …).
    public var inbound: [String: Int] = [:]

    /// How many recent lags are kept.
    public static let recentLimit = 10_000
    /// Bucket bounds of the dispatch lag histogram, in seconds.
    public static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300]

    /// Records one dispatch lag.
    public mutating func observeLag(_ seconds: Double) {
        lagSum += seconds
        lagCount += 1
        for bound in Self.bounds where seconds <= bound { lagBuckets[bound, default: 0] += 1 }
        // A ring: once full, each lag replaces the oldest in O(1) (removing the first of 10,000 cost a copy per delivery).
        if recentLags.count < Self.recentLimit {
            recentLags.append(seconds)
        } else {
            recentLags[recentNext] = seconds
            recentNext = (recentNext + 1) % Self.recentLimit
        }
    }

    /// Records one timer firing.
    public mutating func observeTimerLag(_ seconds: Double) {
        timerLagSum += seconds
        timersFired += 1
    }

    /// A quantile (0…1) of the recent dispatch lags, nil before the first delivery.
    public func lagQuantile(_ q: Double) -> Double? {
        guard !recentLags.isEmpty else { return nil }
        let sorted = recentLags.sorted()
        let rank = Int((Double(sorted.count - 1) * min(max(q, 0), 1)).rounded())
        return sorted[rank]
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
        lines += [
            "# HELP escalate_dispatch_lag_seconds Time from a delivery falling due to its first attempt.",
            "# TYPE escalate_dispatch_lag_seconds histogram",
        ]
        for bound in Self.bounds {
            lines.append("escalate_dispatch_lag_seconds_bucket{le=\"\(bound)\"} \(lagBuckets[bound, default: 0])")
        }
        lines += [
            "escalate_dispatch_lag_seconds_bucket{le=\"+Inf\"} \(lagCount)", "escalate_dispatch_lag_seconds_sum \(lagSum)",
            "escalate_dispatch_lag_seconds_count \(lagCount)",
            "# HELP escalate_timer_lag_seconds Time from a timer's due instant to its firing.", "# TYPE escalate_timer_lag_seconds summary",
            "escalate_timer_lag_seconds_sum \(timerLagSum)", "escalate_timer_lag_seconds_count \(timersFired)",
            "# HELP escalate_executor_wakeups_total Times the executor loop woke up.", "# TYPE escalate_executor_wakeups_total counter",
            "escalate_executor_wakeups_total \(wakeups)",
            "# HELP escalate_open_incidents Incidents not yet resolved.", "# TYPE escalate_open_incidents gauge",
            "escalate_open_incidents \(openIncidents)",
            "# HELP escalate_inbound_total Answers that came on channels, by channel and outcome.", "# TYPE escalate_inbound_total counter",
        ]
        for key in inbound.keys.sorted() {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let count = inbound[key] else { continue }
            lines.append("escalate_inbound_total{channel=\"\(parts[0])\",outcome=\"\(parts[1])\"} \(count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
