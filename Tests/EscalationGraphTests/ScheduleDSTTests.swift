import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import Foundation
import Testing

/// Rotations hand off at the same local time across DST changes; overrides win; `onCall` says why.
@Suite("Schedules across DST")
struct ScheduleDSTTests {
    static let organisation = """
        organisation: { id: acme, name: Acme, timezone: America/Chicago }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
          bob: { name: Bob, addresses: { email: bob@example.org } }
          carol: { name: Carol, addresses: { email: carol@example.org } }
        schedules:
          daily:
            name: Daily
            rotation: { members: [alice, bob, carol], shift: 1d, start: 2026-03-02T09:00 }
            overrides:
              - { contact: bob, from: 2026-03-10T12:00, to: 2026-03-10T14:00 }
          weekly:
            name: Weekly
            rotation: { members: [alice, bob], shift: 1w, start: 2026-03-02T09:00 }
          twelve-hours:
            name: Twelve hours
            rotation: { members: [alice, bob], shift: 12h, start: 2026-03-02T09:00 }
        """

    static let chicago = ZonedTime.zone("America/Chicago") ?? ZonedTime.utc

    static func schedule(_ id: String) throws -> (CompiledSchedule, [CompiledCalendar]) {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: organisation)])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let graph = GraphCompiler().compile(loaded.organisation)
        return (try #require(graph.schedule(id)), graph.calendars)
    }

    static func at(_ text: String) throws -> Instant { try #require(Instant.parse(text, zone: chicago)) }

    static func describe(_ result: (contact: String, reason: CompiledSchedule.Reason)?) -> String {
        guard let result else { return "nobody" }
        switch result.reason {
        case .rotation(let shift, let from, let to):
            return "\(result.contact) shift \(shift) \(ZonedTime.iso8601(from, in: chicago)) \(ZonedTime.iso8601(to, in: chicago))"
        case .override(let from, let to):
            return "\(result.contact) override \(ZonedTime.iso8601(from, in: chicago)) \(ZonedTime.iso8601(to, in: chicago))"
        }
    }

    @Test("daily shifts hand off at 09:00 local on both sides of 2026-03-08; the DST day's shift is 23 hours")
    func dailyHandOff() throws {
        let (daily, calendars) = try Self.schedule("daily")
        #expect(
            Self.describe(daily.onCall(at: try Self.at("2026-03-08T08:59"), calendars: calendars))
                == "carol shift 5 2026-03-07T09:00:00-06:00 2026-03-08T09:00:00-05:00")
        #expect(
            Self.describe(daily.onCall(at: try Self.at("2026-03-08T09:00"), calendars: calendars))
                == "alice shift 6 2026-03-08T09:00:00-05:00 2026-03-09T09:00:00-05:00")
        #expect(daily.shiftStart(6).seconds(since: daily.shiftStart(5)) == 23 * 3_600)
        #expect(
            Self.describe(daily.onCall(at: try Self.at("2026-03-10T12:30"), calendars: calendars))
                == "bob override 2026-03-10T12:00:00-05:00 2026-03-10T14:00:00-05:00")
    }

    @Test("coverage segments follow the local hand-offs and the override")
    func coverage() throws {
        let (daily, calendars) = try Self.schedule("daily")
        let segments = daily.coverage(from: try Self.at("2026-03-07T00:00"), to: try Self.at("2026-03-11T00:00"), calendars: calendars)
        #expect(
            segments.map { "\($0.contact ?? "nobody") \(ZonedTime.iso8601($0.span.start, in: Self.chicago))" } == [
                "bob 2026-03-07T00:00:00-06:00", "carol 2026-03-07T09:00:00-06:00", "alice 2026-03-08T09:00:00-05:00",
                "bob 2026-03-09T09:00:00-05:00", "carol 2026-03-10T09:00:00-05:00", "bob 2026-03-10T12:00:00-05:00",
                "carol 2026-03-10T14:00:00-05:00",
            ])
    }

    @Test("a weekly shift spanning the change is 167 hours; a 12-hour shift is wall time and drifts an hour")
    func weeklyAndHours() throws {
        let (weekly, _) = try Self.schedule("weekly")
        #expect(weekly.shiftStart(1).seconds(since: weekly.shiftStart(0)) == 167 * 3_600)
        #expect(ZonedTime.iso8601(weekly.shiftStart(1), in: Self.chicago) == "2026-03-09T09:00:00-05:00")
        let (twelve, _) = try Self.schedule("twelve-hours")
        #expect(ZonedTime.iso8601(twelve.shiftStart(14), in: Self.chicago) == "2026-03-09T10:00:00-05:00")
    }
}
