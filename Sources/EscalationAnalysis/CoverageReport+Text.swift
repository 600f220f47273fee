import EscalationGraph
import EscalationCore

extension CoverageReport {
    /// The report as text: the first layer's gaps, the whole ladder's gaps, each with its length and reasons.
    public var text: String {
        var lines = ["policy \(policy) (\(name))"]
        if let firstLayer {
            lines += Self.section("first layer '\(firstLayer)'", firstLayerGaps, total: firstLayerGapSeconds)
        }
        lines += Self.section("the whole ladder", ladderGaps, total: ladderGapSeconds)
        lines += notes.map { "  note: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The heading line for a set of reports: organisation, range and zone.
    public var heading: String {
        "coverage of \(organisation) from \(range.startDisplay) to \(range.endDisplay) (\(days) \(days == 1 ? "day" : "days")), times in \(timezone)"
    }

    static func section(_ subject: String, _ windows: [CoverageWindow], total: Int) -> [String] {
        guard !windows.isEmpty else { return ["  \(subject) always reaches someone"] }
        let count = windows.count == 1 ? "1 window" : "\(windows.count) windows"
        var lines = ["  \(subject) reaches nobody in \(count), \(CoverageWindow.duration(total)) in total:"]
        for window in windows {
            lines.append("    \(window.startDisplay) – \(window.endDisplay)  \(window.duration)")
            lines += window.reasons.map { "      \($0)" }
        }
        return lines
    }
}
