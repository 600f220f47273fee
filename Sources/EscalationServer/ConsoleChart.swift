import EscalationCore
import EscalationSimulator
import Foundation

/// The Monte Carlo panel's chart: the distribution of time to acknowledgement as an inline SVG bar chart drawn on the
/// server (no script, no style attributes: colours are presentation attributes), with a title and a description for
/// screen readers, a bar for the runs never acknowledged, and the same numbers as a table.
enum ConsoleChart {
    /// One bar: the runs acknowledged from `from` to before `to` seconds (both nil: never acknowledged).
    struct Bin: Sendable, Equatable {
        /// Start of the bin in seconds (nil for the never-acknowledged bar).
        var from: Int?
        /// End of the bin in seconds, exclusive.
        var to: Int?
        /// Runs in it.
        var count: Int

        /// `0–5m`, `never`.
        var label: String {
            guard let from, let to else { return "never" }
            return "\(ConsoleChart.duration(from))–\(ConsoleChart.duration(to))"
        }
    }

    /// Bin widths tried, shortest first: the first that needs at most `maxBins` bars is used.
    static let widths = [60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400]
    /// Most bars for acknowledged runs.
    static let maxBins = 20

    /// The bars: equal bins from 0 to past the longest delay, then the never-acknowledged runs when there are any.
    static func bins(_ samples: MonteCarlo.Samples) -> [Bin] {
        var bins: [Bin] = []
        if let longest = samples.delays.last {
            let width = widths.first { (longest / $0) + 1 <= maxBins } ?? max(1, longest / maxBins + 1)
            let count = longest / width + 1
            bins = (0..<count).map { Bin(from: $0 * width, to: ($0 + 1) * width, count: 0) }
            for delay in samples.delays { bins[min(delay / width, count - 1)].count += 1 }
        }
        if samples.neverAcknowledged > 0 { bins.append(Bin(from: nil, to: nil, count: samples.neverAcknowledged)) }
        return bins
    }

    /// `5m`, `1h30m`, `0m`.
    static func duration(_ seconds: Int) -> String { seconds == 0 ? "0m" : PolicyDuration.compact(seconds) ?? "\(seconds)s" }

    /// A share of all runs as a percentage with one decimal.
    static func percent(_ count: Int, of total: Int) -> String { String(format: "%.1f%%", Double(count) * 100 / Double(max(total, 1))) }

    /// The text figures: p50, p90, p99 and the share never acknowledged.
    static func summary(_ samples: MonteCarlo.Samples) -> String {
        let never = samples.neverAcknowledged
        guard !samples.delays.isEmpty else { return "No run of \(samples.runs) was acknowledged." }
        return "\(samples.delays.count) of \(samples.runs) runs acknowledged; time to acknowledgement p50 \(duration(samples.percentile(0.5) ?? 0)), "
            + "p90 \(duration(samples.percentile(0.9) ?? 0)); never acknowledged in \(never) runs (\(percent(never, of: samples.runs)))."
    }

    /// The chart as an `<svg>` in a `<figure>`.
    static func svg(_ samples: MonteCarlo.Samples) -> HTMLText {
        let bins = bins(samples)
        let (width, height, left, bottom, top) = (400, 220, 34, 40, 12)
        let plotWidth = width - left - 6
        let plotHeight = height - top - bottom
        let most = max(bins.map(\.count).max() ?? 1, 1)
        let slot = Double(plotWidth) / Double(max(bins.count, 1))
        let labelEvery = max(1, Int((Double(bins.count) / 6).rounded(.up)))
        var marks: [HTMLText] = []
        for (index, bin) in bins.enumerated() {
            let barHeight = Double(bin.count) / Double(most) * Double(plotHeight)
            let x = Double(left) + Double(index) * slot + slot * 0.1
            let y = Double(top + plotHeight) - barHeight
            let fill = bin.from == nil ? "#c5221f" : "#0b57d0"
            let tip = "\(bin.label): \(bin.count) runs (\(percent(bin.count, of: samples.runs)))"
            marks.append(
                """
                <rect class="\(bin.from == nil ? "bar bar-never" : "bar")" x="\(number(x))" y="\(number(y))" width="\(number(slot * 0.8))" \
                height="\(number(barHeight))" fill="\(fill)"><title>\(tip)</title></rect>
                """)
            let label: String? = bin.from == nil ? "never" : (index % labelEvery == 0 ? bin.from.map(duration) : nil)
            if let label {
                let anchor = Double(left) + Double(index) * slot + (bin.from == nil ? slot / 2 : slot * 0.1)
                marks.append(
                    "<text x=\"\(number(anchor))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"\(bin.from == nil ? "middle" : "start")\" font-size=\"11\" fill=\"#4d5560\">\(label)</text>"
                )
            }
        }
        let description = "Bars of the runs by time to acknowledgement\(bins.first?.to.map { " in steps of \(duration($0))" } ?? ""), "
            + "the red bar the runs never acknowledged. " + summary(samples)
        return """
            <figure class="chart" id="mc-chart">
            <svg viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-labelledby="mc-chart-title mc-chart-desc" xmlns="http://www.w3.org/2000/svg">
            <title id="mc-chart-title">Time to acknowledgement over \(samples.runs) runs</title>
            <desc id="mc-chart-desc">\(description)</desc>
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(width - 6)" y2="\(top + plotHeight)" stroke="#8a939e"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotHeight)" stroke="#8a939e"/>
            <text x="\(left - 4)" y="\(top + 4)" text-anchor="end" font-size="11" fill="#4d5560">\(most)</text>
            <text x="\(left - 4)" y="\(top + plotHeight)" text-anchor="end" font-size="11" fill="#4d5560">0</text>
            \(marks)
            <text x="\(left + plotWidth / 2)" y="\(height - 6)" text-anchor="middle" font-size="11" fill="#4d5560">time to acknowledgement (runs per bar)</text>
            </svg>
            <figcaption>\(summary(samples))</figcaption>
            </figure>
            """
    }

    /// The bars as a table (the chart's numbers for those who cannot see it, and for copying).
    static func table(_ samples: MonteCarlo.Samples) -> HTMLText {
        let rows: [HTMLText] = bins(samples).map { bin in
            "<tr><td data-label=\"Time to acknowledgement\">\(bin.label)</td><td data-label=\"Runs\">\(bin.count)</td><td data-label=\"Share\">\(percent(bin.count, of: samples.runs))</td></tr>"
        }
        return """
            <details><summary>The numbers of each bar</summary>
            <table id="mc-table"><thead><tr><th scope="col">Time to acknowledgement</th><th scope="col">Runs</th><th scope="col">Share</th></tr></thead>\
            <tbody>\(rows)</tbody></table></details>
            """
    }

    /// A coordinate with at most two decimals.
    static func number(_ value: Double) -> String { String(format: "%.2f", value) }
}
