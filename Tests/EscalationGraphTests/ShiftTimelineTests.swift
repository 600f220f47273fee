@testable import EscalationAnalysis
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import Testing

/// Coverage finds the shift holding an instant from the shift starts over the analysed span (`ShiftTimeline`), and who
/// is on call without the shift's bounds (`contactOnCall`). This pins both against `CompiledSchedule.shiftIndex(at:)`
/// and `onCall(at:calendars:)` (layer inputs as a whole are pinned in `OpenTimelineTests`).
@Suite("Shift timelines")
struct ShiftTimelineTests {
    static func expectSame(_ graph: RuleGraph, _ span: TimeSpan, _ rng: inout CoverageRandom) {
        for schedule in graph.schedules {
            let timeline = ShiftTimeline(schedule, in: span)
            var instants = [span.start, span.end, span.end.adding(seconds: -1), span.start.adding(seconds: -1)]
            for start in timeline.starts { instants += [start.adding(seconds: -1), start, start.adding(seconds: 1)] }
            for override in schedule.overrides { instants += [override.from, override.to, override.to.adding(seconds: -1)] }
            for _ in 0..<60 { instants.append(span.start.adding(seconds: rng.below(max(1, span.seconds)))) }
            for instant in instants {
                let expected: Int? = span.contains(instant) && schedule.shiftSeconds > 0 ? schedule.shiftIndex(at: instant) : nil
                #expect(timeline.shiftIndex(at: instant) == expected, "\(graph.organisation)/\(schedule.id) at \(instant)")
                let contact = schedule.contactOnCall(
                    at: instant, duringIsOpen: { id in graph.calendars.first { $0.id == id }?.isOpen(at: instant) },
                    shiftIndex: { timeline.shiftIndex(at: $0) ?? schedule.shiftIndex(at: $0) })
                #expect(contact == schedule.onCall(at: instant, calendars: graph.calendars)?.contact, "\(graph.organisation)/\(schedule.id) at \(instant)")
            }
        }
    }

    @Test("the seed organisations from 12 starts across 2026 (DST changes included)")
    func seeds() throws {
        var rng = CoverageRandom(seed: 0x5417)
        var schedules = 0
        for organisation in SeedPolicies.organisations {
            let graph = try SeedPolicies.graph(organisation)
            schedules += graph.schedules.count
            for month in 1...12 {
                let start = ZonedTime.instant(LocalDate(year: 2026, month: month, day: 1 + month), minutes: 37 * month, in: ZonedTime.utc)
                Self.expectSame(graph, CoverageAnalyzer(graph: graph).range(from: start, days: 28), &rng)
            }
        }
        #expect(schedules > 0)
    }

    @Test("200 random organisations (shifts from 8 hours to 2 weeks, four zones, overrides)")
    func random() throws {
        var rng = CoverageRandom(seed: 0x5417_2026)
        for _ in 0..<200 {
            let graph = GraphCompiler().compile(PolicyLoader().load(files: [(path: "random.yaml", text: CoverageStatesTests.organisation(&rng))]).organisation)
            let start = ZonedTime.instant(LocalDate(year: 2026, month: 1 + rng.below(12), day: 1 + rng.below(28)), minutes: rng.below(1_440), in: ZonedTime.utc)
            Self.expectSame(graph, CoverageAnalyzer(graph: graph).range(from: start, days: 7 + rng.below(22)), &rng)
        }
    }
}
