@testable import EscalationAnalysis
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import Testing

/// Coverage reads whether a calendar is open from its open spans in the analysed span (`OpenTimeline`), not through
/// the calendar's zone. This pins both that and each layer's inputs (`LayerInputs.values(at:)`) against
/// `CompiledCalendar.isOpen(at:)` and `CompiledSchedule.onCall(at:calendars:)`, the computation they replaced.
@Suite("Open timelines")
struct OpenTimelineTests {
    /// Instants worth asking about in `span`: its ends, each edge of an open span and the seconds around it, and
    /// `random` more.
    static func instants(_ span: TimeSpan, _ timeline: OpenTimeline, _ rng: inout CoverageRandom, random: Int) -> [Instant] {
        var result = [span.start, span.end.adding(seconds: -1), span.end, span.start.adding(seconds: -1)]
        for open in timeline.open {
            for edge in [open.start, open.end] { result += [edge.adding(seconds: -1), edge, edge.adding(seconds: 1)] }
        }
        for _ in 0..<random { result.append(span.start.adding(seconds: rng.below(max(1, span.seconds)))) }
        return result
    }

    /// Fails unless the timeline of every calendar of `graph` answers as the calendar does over `span`.
    static func expectSameOpen(_ graph: RuleGraph, _ span: TimeSpan, _ rng: inout CoverageRandom) {
        for calendar in graph.calendars {
            let timeline = OpenTimeline(calendar, in: span)
            for instant in instants(span, timeline, &rng, random: 100) {
                let expected: Bool? = span.contains(instant) ? calendar.isOpen(at: instant) : nil
                #expect(timeline.isOpen(at: instant) == expected, "\(graph.organisation)/\(calendar.id) at \(instant) in \(span)")
            }
        }
    }

    /// Fails unless every layer's inputs at its change points (and other instants) are what the evaluator reads.
    static func expectSameInputs(_ graph: RuleGraph, _ span: TimeSpan, _ rng: inout CoverageRandom) {
        let analyzer = CoverageAnalyzer(graph: graph)
        for policy in graph.policies {
            for layer in policy.ladder {
                var memo = ChangePointMemo()
                let points = analyzer.changePoints(for: [layer], in: span, memo: &memo)
                let inputs = LayerInputs(layer, graph: graph, span: span, memo: &memo)
                var instants = points + points.map { $0.adding(seconds: -1) } + [span.end, span.start.adding(seconds: -3_600)]
                for _ in 0..<20 { instants.append(span.start.adding(seconds: rng.below(max(1, span.seconds)))) }
                for instant in instants {
                    let expected = LayerInputs.Values(
                        open: inputs.calendars.map { graph.calendar($0)?.isOpen(at: instant) },
                        onCall: inputs.schedules.map { graph.schedule($0)?.onCall(at: instant, calendars: graph.calendars)?.contact })
                    #expect(inputs.values(at: instant) == expected, "\(graph.organisation)/\(policy.id)/\(layer.id) at \(instant)")
                }
            }
        }
    }

    @Test("the seed organisations from 12 starts across 2026 (DST changes included)")
    func seeds() throws {
        var rng = CoverageRandom(seed: 0x71AE)
        for organisation in SeedPolicies.organisations {
            let graph = try SeedPolicies.graph(organisation)
            #expect(!graph.calendars.isEmpty || organisation != SeedPolicies.organisations[0])
            for month in 1...12 {
                let start = ZonedTime.instant(LocalDate(year: 2026, month: month, day: 1 + month), minutes: 37 * month, in: ZonedTime.utc)
                let span = CoverageAnalyzer(graph: graph).range(from: start, days: 28)
                Self.expectSameOpen(graph, span, &rng)
                Self.expectSameInputs(graph, span, &rng)
            }
        }
    }

    @Test("200 random organisations (four zones, calendars restricting rotations)")
    func random() throws {
        var rng = CoverageRandom(seed: 0x0FE1_2026)
        for _ in 0..<200 {
            let graph = GraphCompiler().compile(PolicyLoader().load(files: [(path: "random.yaml", text: CoverageStatesTests.organisation(&rng))]).organisation)
            let start = ZonedTime.instant(LocalDate(year: 2026, month: 1 + rng.below(12), day: 1 + rng.below(28)), minutes: rng.below(1_440), in: ZonedTime.utc)
            let span = CoverageAnalyzer(graph: graph).range(from: start, days: 7 + rng.below(22))
            Self.expectSameOpen(graph, span, &rng)
            Self.expectSameInputs(graph, span, &rng)
        }
    }

    @Test("zones whose clocks change at midnight, every hour of 2026")
    func midnightChanges() {
        var rng = CoverageRandom(seed: 0x5A17)
        for zone in ["America/Santiago", "America/Havana", "America/Asuncion", "Asia/Beirut", "Europe/London"] {
            let calendar = CompiledCalendar(
                id: "c", timezone: zone,
                hours: [
                    .init(days: [.mon, .tue, .wed], from: 0, to: 1_440), .init(days: [.thu, .sat], from: 22 * 60, to: 1_440),
                    .init(days: [.sun], from: 0, to: 30), .init(days: [.fri], from: 60, to: 23 * 60 + 30),
                ],
                holidays: [LocalDate(year: 2026, month: 4, day: 6)])
            let start = ZonedTime.instant(LocalDate(year: 2026, month: 1, day: 1), minutes: 0, in: ZonedTime.utc)
            let span = TimeSpan(start: start, end: start.adding(seconds: 365 * 86_400))
            let timeline = OpenTimeline(calendar, in: span)
            var instants = Self.instants(span, timeline, &rng, random: 2_000)
            for hour in 0..<(365 * 24) { instants.append(start.adding(seconds: hour * 3_600)) }
            for instant in instants {
                let expected: Bool? = span.contains(instant) ? calendar.isOpen(at: instant) : nil
                #expect(timeline.isOpen(at: instant) == expected, "\(zone) at \(instant)")
            }
        }
    }
}
