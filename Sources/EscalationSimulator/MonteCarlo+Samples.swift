extension MonteCarlo {
    /// What a Monte Carlo rehearsal gave, run by run: the source of its report and of a distribution chart.
    public struct Samples: Sendable, Hashable {
        /// Runs.
        public var runs: Int
        /// Seed.
        public var seed: UInt64
        /// Seconds from the start to the acknowledgement, one per acknowledged run, shortest first.
        public var delays: [Int] = []
        /// Who acknowledged, with counts of runs.
        public var acknowledgers: [String: Int] = [:]
        /// Contacts woken (notified at least once), with counts of runs.
        public var woken: [String: Int] = [:]
        /// Notifications in each run.
        public var notificationCounts: [Int] = []

        /// Runs that ended unacknowledged.
        public var neverAcknowledged: Int { runs - delays.count }

        /// The delay at or below which a share `p` (0…1) of the acknowledged runs fall; nil when none was.
        public func percentile(_ p: Double) -> Int? {
            guard !delays.isEmpty else { return nil }
            let index = min(delays.count - 1, Int((p * Double(delays.count)).rounded(.up)) - 1)
            return delays[max(index, 0)]
        }

        /// The report `escalate simulate --runs` prints.
        public var report: MonteCarlo.Report {
            MonteCarlo.Report(
                runs: runs, seed: seed, acknowledged: delays.count, p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99),
                acknowledgers: acknowledgers,
                meanNotifications: notificationCounts.isEmpty ? 0 : Double(notificationCounts.reduce(0, +)) / Double(notificationCounts.count),
                maxNotifications: notificationCounts.max() ?? 0, woken: woken)
        }
    }
}
