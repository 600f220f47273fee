import EscalationAnalysis
import EscalationCore
import EscalationGraph
import Foundation
import Testing

/// The console's week grid: bands cut at every local time at which something changes (so each cell is constant), the
/// gaps agreeing with `escalate coverage`'s windows, across the 2026-03-08 DST change in Chicago.
@Suite("Coverage week grid")
struct CoverageWeekTests {
    static func week(_ text: String = CoverageTests.organisation, from date: String = "2026-03-02") throws -> CoverageWeek {
        let graph = try CoverageTests.graph(text)
        let policy = try #require(graph.policy("outage"))
        return CoverageAnalyzer(graph: graph).week(policy, from: try #require(LocalDate.parse(date)))
    }

    static func cell(_ week: CoverageWeek, day: Int, band: String) throws -> CoverageWeek.Cell {
        let index = try #require(week.bands.indices.first { week.bandLabel($0) == band }, "no band \(band) in \(week.bands)")
        return week.days[day].cells[index]
    }

    @Test("bands at the calendar, hand-off and override times; whom each layer reaches; first-layer and ladder gaps")
    func grid() throws {
        let week = try Self.week()
        #expect(week.days.map(\.label).first == "Mon 2026-03-02")
        #expect(week.days.map(\.label).last == "Sun 2026-03-08")
        #expect((0..<week.bands.count).map(week.bandLabel) == ["00:00–01:00", "01:00–04:00", "04:00–09:00", "09:00–17:00", "17:00–23:00", "23:00–24:00"])
        let office = try Self.cell(week, day: 0, band: "09:00–17:00")
        #expect(office.layers.map(\.names) == [["Alice"], []])
        #expect(!office.firstLayerGap && !office.ladderGap)
        let evening = try Self.cell(week, day: 0, band: "17:00–23:00")
        #expect(evening.layers.map(\.names) == [[], ["Bob"]])
        #expect(evening.layers[0].skipped)
        #expect(evening.firstLayerGap && !evening.ladderGap)
        let night = try Self.cell(week, day: 0, band: "00:00–01:00")
        #expect(night.firstLayerGap && night.ladderGap)
        // The DST night: the override covers 01:00 CST – 04:00 CDT, two real hours.
        let dst = try Self.cell(week, day: 6, band: "01:00–04:00")
        #expect(dst.span.seconds == 7_200)
        #expect(dst.layers.map(\.names) == [[], ["Carol"]])
        #expect(!dst.ladderGap)
        #expect(try Self.cell(week, day: 5, band: "09:00–17:00").ladderGap)
        // Every cell is constant, so the analyzer's gaps and whom the layers reach agree everywhere.
        for day in week.days {
            for cell in day.cells where cell.exists {
                #expect(cell.ladderGap == cell.layers.allSatisfy(\.names.isEmpty), "\(day.label) \(cell.span)")
                #expect(cell.firstLayerGap == cell.layers[0].names.isEmpty, "\(day.label) \(cell.span)")
            }
        }
        #expect(week.report.ladderGaps.count > 0)
    }

    @Test("more than 24 change times a day: whole-hour bands, a cell lists everyone reached in it")
    func hourly() throws {
        let overrides = (0..<30).map { index in
            "      - { contact: alice, from: 2026-03-03T\(String(format: "%02d:%02d", 17 + index / 10, index % 10 * 5 + 1)), to: 2026-03-03T\(String(format: "%02d:%02d", 17 + index / 10, index % 10 * 5 + 3)) }"
        }
        let text = CoverageTests.organisation.replacingOccurrences(
            of: "        to: 2026-03-08T04:00\n", with: "        to: 2026-03-08T04:00\n" + overrides.joined(separator: "\n") + "\n")
        let week = try Self.week(text)
        #expect(week.bands == Array(stride(from: 0, to: 1_440, by: 60)))
        let tuesday = try Self.cell(week, day: 1, band: "17:00–18:00")
        #expect(Set(tuesday.layers[1].names) == ["Carol", "Alice"])
    }
}
