@testable import EscalationExecutor
import Testing

/// The dispatch-lag quantiles are over the most recent `recentLimit` lags.
@Suite struct ExecutorMetricsTests {
    @Test func quantilesForgetTheOldestLagsOnceFull() {
        var metrics = ExecutorMetrics()
        #expect(metrics.lagQuantile(0.5) == nil)
        for _ in 0..<ExecutorMetrics.recentLimit { metrics.observeLag(1) }
        for _ in 0..<(ExecutorMetrics.recentLimit / 2) { metrics.observeLag(2) }
        // Half the kept lags are now the newer ones.
        #expect(metrics.recentLags.count == ExecutorMetrics.recentLimit)
        #expect(metrics.lagQuantile(0.25) == 1)
        #expect(metrics.lagQuantile(0.75) == 2)
        for _ in 0..<(ExecutorMetrics.recentLimit / 2) { metrics.observeLag(2) }
        #expect(metrics.lagQuantile(0) == 2)
        // The histogram and the count keep every lag.
        #expect(metrics.lagCount == 2 * ExecutorMetrics.recentLimit)
        #expect(metrics.lagBuckets[1] == ExecutorMetrics.recentLimit)
        #expect(metrics.lagBuckets[2] == 2 * ExecutorMetrics.recentLimit)
    }
}
