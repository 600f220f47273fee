/// The body of `/healthz`: the process answers; the store's state and the degraded channels are reported.
struct HealthReport: Encodable {
    /// Always `ok` (the process answers).
    var status: String
    /// `ok`, or `failing: why`.
    var store: String
    /// Degraded channels, `organisation/channel` → the last failure's reason (omitted when none).
    var degradedChannels: [String: String]

    enum CodingKeys: String, CodingKey {
        case status, store
        case degradedChannels = "degraded_channels"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(store, forKey: .store)
        if !degradedChannels.isEmpty { try container.encode(degradedChannels, forKey: .degradedChannels) }
    }

    /// The `escalate_channel_degraded` gauge: one series per degraded channel (none when all are healthy).
    static func prometheus(degraded: [String: String]) -> String {
        var lines = [
            "# HELP escalate_channel_degraded Channels whose sends failed or timed out too often in a row (1: one send at a time).",
            "# TYPE escalate_channel_degraded gauge",
        ]
        for key in degraded.keys.sorted() {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            lines.append("escalate_channel_degraded{organisation=\"\(parts[0])\",channel=\"\(parts[1])\"} 1")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
