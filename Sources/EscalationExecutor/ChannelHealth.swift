import EscalationStore

/// Which channels keep failing: a channel whose sends time out or fail retryably `threshold` times in a row is
/// degraded until one of its sends is delivered. While degraded, the served loop runs one send on it at a time (a
/// probe), so its retries are paced instead of taking every slot it has; other channels are not affected.
struct ChannelHealth: Sendable {
    /// Attempts in a row that time out or fail retryably before a channel counts as degraded.
    var threshold = 5
    /// Failed attempts in a row, per channel.
    private(set) var failuresInARow: [DeliveryChannel: Int] = [:]
    /// The degraded channels, with the reason of the attempt that made them so.
    private(set) var degraded: [DeliveryChannel: String] = [:]

    /// What an attempt changed.
    enum Change: Equatable {
        /// Nothing to tell.
        case none
        /// The channel just became degraded.
        case degraded
        /// The channel was degraded and a send was delivered.
        case recovered
    }

    /// Notes an attempt's outcome: `delivered`, or a retryable failure (a timeout among them) with its reason; a
    /// failure that is not retryable says nothing about the channel's health (a bad address, a refused message).
    mutating func note(_ channel: DeliveryChannel, delivered: Bool, retryableFailure reason: String?) -> Change {
        if delivered {
            failuresInARow[channel] = nil
            return degraded.removeValue(forKey: channel) == nil ? .none : .recovered
        }
        guard let reason else { return .none }
        let count = failuresInARow[channel, default: 0] + 1
        failuresInARow[channel] = count
        guard count >= threshold, degraded[channel] == nil else { return .none }
        degraded[channel] = reason
        return .degraded
    }

    /// Whether a channel is degraded.
    func isDegraded(_ channel: DeliveryChannel) -> Bool { degraded[channel] != nil }

    /// The in-flight counts to claim under: a degraded channel with a send running counts as full (`perChannel`), one
    /// without as one short of full, so at most one of its sends runs at a time.
    func paced(_ inFlight: [DeliveryChannel: Int], perChannel: Int) -> [DeliveryChannel: Int] {
        var result = inFlight
        for channel in degraded.keys {
            result[channel] = inFlight[channel, default: 0] > 0 ? max(perChannel, inFlight[channel, default: 0]) : max(0, perChannel - 1)
        }
        return result
    }
}
