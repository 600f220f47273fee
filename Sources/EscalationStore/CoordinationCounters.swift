/// What a process sharing a store did with claims, for `/metrics`.
public struct CoordinationCounters: Sendable, Hashable {
    /// Due timers claimed.
    public var timerClaims = 0
    /// Deliveries claimed for sending.
    public var deliveryClaims = 0
    /// Timers claimed whose earlier claim (another process's) had expired.
    public var timerTakeovers = 0
    /// Deliveries left sending by another process whose lease expired, taken over as interrupted.
    public var deliveryTakeovers = 0
    /// Results this process could not record because its lease had expired and another process had taken the item.
    public var leaseLosses = 0
    /// Notifications received from other processes' commits.
    public var notifications = 0

    /// Zero counters.
    public init() {}

    /// Prometheus text lines, labelled with the process's owner name.
    public func prometheus(owner: String) -> String {
        let label = owner.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let lines = [
            "# HELP escalate_cluster_claims_total Work claimed by this process from the shared store.", "# TYPE escalate_cluster_claims_total counter",
            "escalate_cluster_claims_total{kind=\"timer\",owner=\"\(label)\"} \(timerClaims)",
            "escalate_cluster_claims_total{kind=\"delivery\",owner=\"\(label)\"} \(deliveryClaims)",
            "# HELP escalate_cluster_takeovers_total Work taken over from a process whose lease expired.",
            "# TYPE escalate_cluster_takeovers_total counter", "escalate_cluster_takeovers_total{kind=\"timer\",owner=\"\(label)\"} \(timerTakeovers)",
            "escalate_cluster_takeovers_total{kind=\"delivery\",owner=\"\(label)\"} \(deliveryTakeovers)",
            "# HELP escalate_cluster_lease_losses_total Results not recorded because this process's lease had expired.",
            "# TYPE escalate_cluster_lease_losses_total counter", "escalate_cluster_lease_losses_total{owner=\"\(label)\"} \(leaseLosses)",
            "# HELP escalate_cluster_notifications_total Wake-ups from other processes' commits.",
            "# TYPE escalate_cluster_notifications_total counter", "escalate_cluster_notifications_total{owner=\"\(label)\"} \(notifications)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
