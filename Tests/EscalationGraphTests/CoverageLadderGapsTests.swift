import EscalationAnalysis
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import Testing

/// The coverage-gap lint rule reads `CoverageAnalyzer.ladderGaps(of:over:)`, which skips the first layer's windows,
/// the notes and every formatted instant. This pins its spans and reasons against the ladder gaps of the full report
/// (`analyze(_:over:days:)`, what the rule read before), alone and with every ladder of the graph at once, on the seed
/// organisations from 12 starts and 300 random ones.
@Suite("Coverage ladder gaps")
struct CoverageLadderGapsTests {
    /// Fails unless every policy's ladder gaps equal the full report's; returns how many gaps there were.
    @discardableResult
    static func expectSame(_ graph: RuleGraph, from start: Instant, days: Int) -> Int {
        let analyzer = CoverageAnalyzer(graph: graph)
        let span = analyzer.range(from: start, days: days)
        var count = 0
        // All ladders at once (one memo for every policy) give what each gives alone.
        let batched = analyzer.ladderGaps(of: graph.policies.map(\.ladder), over: span)
        #expect(batched.count == graph.policies.count)
        for (policy, together) in zip(graph.policies, batched) {
            let report = analyzer.analyze(policy, over: span, days: days)
            let gaps = analyzer.ladderGaps(of: policy.ladder, over: span)
            #expect(gaps.map(\.span) == report.ladderGaps.map(\.span), "\(graph.organisation)/\(policy.id) from \(start)")
            #expect(gaps.map(\.reasons) == report.ladderGaps.map(\.reasons), "\(graph.organisation)/\(policy.id) from \(start)")
            #expect(gaps.map(\.span.seconds).reduce(0, +) == report.ladderGapSeconds)
            #expect(together.map(\.span) == gaps.map(\.span), "\(graph.organisation)/\(policy.id): batched")
            #expect(together.map(\.reasons) == gaps.map(\.reasons), "\(graph.organisation)/\(policy.id): batched")
            count += gaps.count
        }
        return count
    }

    @Test("the seed organisations from 12 starts across 2026")
    func seeds() throws {
        for organisation in SeedPolicies.organisations {
            let graph = try SeedPolicies.graph(organisation)
            for month in 1...12 {
                let start = ZonedTime.instant(LocalDate(year: 2026, month: month, day: 1 + month), minutes: 37 * month, in: ZonedTime.utc)
                Self.expectSame(graph, from: start, days: 28)
            }
        }
    }

    @Test("300 random organisations")
    func random() {
        var rng = CoverageRandom(seed: 0x6A95_2026)
        var gaps = 0
        for _ in 0..<300 {
            let text = CoverageStatesTests.organisation(&rng)
            let graph = GraphCompiler().compile(PolicyLoader().load(files: [(path: "random.yaml", text: text)]).organisation)
            let start = ZonedTime.instant(LocalDate(year: 2026, month: 1 + rng.below(12), day: 1 + rng.below(28)), minutes: rng.below(1_440), in: ZonedTime.utc)
            gaps += Self.expectSame(graph, from: start, days: 7 + rng.below(22))
        }
        // Many policies have gaps, so the windows and their reasons are compared, not only empty lists.
        #expect(gaps > 300)
    }
}
