import EscalationCore
import EscalationGraph
import Foundation

/// A policy's coverage over seven local days as a grid: each day cut into the same time bands (the local times at
/// which anything the ladder reads changes, so every cell is constant, or whole hours when there are too many), and
/// in each cell whom each layer reaches and whether the first layer or the whole ladder reaches nobody. The gaps
/// are those of `CoverageAnalyzer` (`escalate coverage`) over the same week.
public struct CoverageWeek: Sendable, Hashable {
    /// Whom one layer reaches in a cell.
    public struct Reach: Sendable, Hashable {
        /// The layer's position, from 1.
        public var layer: Int
        /// The layer's id.
        public var id: String
        /// Display names of the contacts reached (and `incident field NAME` for field targets), in order.
        public var names: [String]
        /// Whether the layer is skipped (its `when` fails) for some of the cell.
        public var skipped: Bool
        /// Why the layer reaches nobody for some of the cell (nil: it always reaches someone).
        public var nobody: String?
    }

    /// One cell: a band of one day.
    public struct Cell: Sendable, Hashable {
        /// The instants it covers (empty when the local times do not exist that day, at a DST change).
        public var span: TimeSpan
        /// Each layer's reach.
        public var layers: [Reach]
        /// Whether the first layer reaches nobody for some of the cell.
        public var firstLayerGap: Bool
        /// Whether the whole ladder reaches nobody for some of the cell.
        public var ladderGap: Bool
        /// Whether the cell has any time in it.
        public var exists: Bool { span.start < span.end }
    }

    /// One local day.
    public struct Day: Sendable, Hashable {
        /// The date.
        public var date: LocalDate
        /// `Mon 2026-03-02`.
        public var label: String
        /// Its cells, one per band.
        public var cells: [Cell]
    }

    /// The analyzer's report over the week (its gap windows and notes).
    public var report: CoverageReport
    /// The bands' start times, minutes after local midnight, ascending, the first 0.
    public var bands: [Int]
    /// The seven days.
    public var days: [Day]

    /// Creates a grid from its parts.
    public init(report: CoverageReport, bands: [Int], days: [Day]) {
        self.report = report
        self.bands = bands
        self.days = days
    }

    /// `08:00–17:00` for band `index`.
    public func bandLabel(_ index: Int) -> String {
        let end = index + 1 < bands.count ? bands[index + 1] : 1_440
        return "\(TimeOfDay(minutes: bands[index]))–\(TimeOfDay(minutes: end))"
    }
}
