import EscalationAnalysis
import EscalationCore
import EscalationGraph
import Foundation

/// The console's coverage pages: a policy's week grid (whom each layer reaches, gaps marked in red and in words),
/// who is on call now per schedule, and the lint diagnostics of the running policies.
enum ConsoleCoverageViews {
    /// A policy's coverage for the week from `week.days[0]`: the week picker, who its schedules resolve to now, the
    /// grid and the gap windows.
    static func coverage(session: ConsoleSession, policy: CompiledPolicy, week: CoverageWeek, onCall: [ScheduleOnCall], now: String) -> ConsolePage {
        let path = "/console/policies/\(HTMLText.component(policy.id))/coverage"
        let first = week.days.first?.date ?? LocalDate(year: 2026, month: 1, day: 1)
        let last = week.days.last?.label ?? ""
        let report = week.report
        let summary: HTMLText
        if report.ladderGaps.isEmpty {
            let firstLayer: HTMLText =
                report.firstLayerGaps.isEmpty
                ? "" : " The first layer reaches nobody for \(CoverageWindow.duration(report.firstLayerGapSeconds)) (marked in amber)."
            summary = "<p class=\"notice\" id=\"coverage-summary\">No gap this week: some layer always reaches someone.\(firstLayer)</p>"
        } else {
            let count = report.ladderGaps.count
            summary = """
                <p class="error" id="coverage-summary">The whole ladder reaches nobody in \(count) \(count == 1 ? "window" : "windows"), \
                \(CoverageWindow.duration(report.ladderGapSeconds)) in total (marked Gap, in red).</p>
                """
        }
        let headers: [HTMLText] = week.days.map { "<th scope=\"col\">\($0.label)</th>" }
        let rows: [HTMLText] = week.bands.indices.map { band in
            let cells: [HTMLText] = week.days.map { cell($0.cells[band]) }
            return "<tr><th scope=\"row\">\(week.bandLabel(band))</th>\(cells)</tr>"
        }
        let gaps: [HTMLText] = report.ladderGaps.map { window in
            "<li><strong>\(window.startDisplay) – \(window.endDisplay)</strong> (\(window.duration)): \(window.reasons.joined(separator: "; "))</li>"
        }
        let gapList: HTMLText = gaps.isEmpty ? "" : "<h3>When nobody is reached</h3><ul id=\"gap-windows\">\(gaps)</ul>"
        let notes: HTMLText = report.notes.isEmpty ? "" : "<ul class=\"hint\">\(report.notes.map { "<li>\($0)</li>" as HTMLText })</ul>"
        let layers: [HTMLText] = policy.ladder.map { "<li>\($0.id)\($0.name.map { " (\($0))" } ?? "")</li>" }
        return ConsolePage(
            title: "Coverage of \(policy.name)", session: session,
            content: """
                <p><a href="/console/policies/\(HTMLText.component(policy.id))">\(policy.name)</a></p>
                <h1>Coverage of \(policy.name)</h1>
                <form class="filters" method="get" action="\(path)">
                <div><label for="week">Week starting</label><input id="week" name="week" type="date" value="\(first.description)" required></div>
                <div><button type="submit" class="secondary">Show</button></div>
                </form>
                <nav class="pager" aria-label="Weeks"><a href="\(path)?week=\(first.adding(days: -7).description)" rel="prev">Previous week</a>\
                <a href="\(path)">This week</a><a href="\(path)?week=\(first.adding(days: 7).description)" rel="next">Next week</a></nav>
                \(summary)
                \(onCallSection(onCall, now: now, heading: "On call now in this policy's schedules"))
                <section class="card" aria-labelledby="grid-heading">
                <h2 id="grid-heading">Week of \(week.days.first?.label ?? "") – \(last)</h2>
                <p class="hint">Times in \(report.timezone). Each cell lists whom each layer reaches if an incident starts then:</p>
                <ol class="hint layers">\(layers)</ol>
                <div class="grid-scroll" role="region" aria-labelledby="grid-heading" tabindex="0">
                <table class="coverage" id="coverage-grid">
                <caption>Whom each layer reaches, by day and time</caption>
                <thead><tr><th scope="col">Time</th>\(headers)</tr></thead>
                <tbody>\(rows)</tbody>
                </table>
                </div>
                <p class="hint legend"><span class="key gap">Gap</span> no layer reaches anyone. \
                <span class="key thin">First layer: nobody</span> later layers still do.</p>
                \(gapList)
                \(notes)
                </section>
                """)
    }

    /// One cell of the grid.
    static func cell(_ cell: CoverageWeek.Cell) -> HTMLText {
        guard cell.exists else { return "<td class=\"none\">No such time (clock change)</td>" }
        let items: [HTMLText] = cell.layers.map { reach in
            let who: HTMLText
            if reach.names.isEmpty {
                who = reach.skipped ? "<em>skipped</em>" : "<em>nobody</em>"
            } else {
                let partly: HTMLText = reach.nobody != nil ? " <em>(partly nobody)</em>" : ""
                who = "\(reach.names.joined(separator: ", "))\(partly)"
            }
            return "<li value=\"\(reach.layer)\">\(who)</li>"
        }
        let list: HTMLText = "<ol class=\"reach\">\(items)</ol>"
        if cell.ladderGap { return "<td class=\"gap\"><strong class=\"gap-label\">Gap</strong>\(list)</td>" }
        if cell.firstLayerGap { return "<td class=\"thin\"><strong>First layer: nobody</strong>\(list)</td>" }
        return "<td>\(list)</td>"
    }

    /// Who each schedule resolves to now.
    static func onCallSection(_ schedules: [ScheduleOnCall], now: String, heading: String) -> HTMLText {
        let rows: [HTMLText] = schedules.map { item in
            let who: HTMLText = item.contactName.map { "<strong>\($0)</strong>" } ?? "<strong class=\"nobody\">Nobody</strong>"
            return """
                <tr><td data-label="Schedule">\(item.name) <span class="hint">(\(item.schedule))</span></td><td data-label="On call" class="on-call-who">\(who)</td>\
                <td data-label="Why">\(item.reason)</td><td data-label="Until">\(item.until ?? "—")</td></tr>
                """
        }
        let table: HTMLText =
            rows.isEmpty
            ? "<p>No schedule.</p>"
            : """
                <table id="on-call"><thead><tr><th scope="col">Schedule</th><th scope="col">On call</th><th scope="col">Why</th>\
                <th scope="col">Until</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        return """
            <section class="card" aria-labelledby="on-call-heading"><h2 id="on-call-heading">\(heading)</h2>
            <p class="hint">At \(now).</p>
            \(table)</section>
            """
    }

    /// The organisation's schedules: who is on call in each now, and each one's week, day by day.
    static func onCall(session: ConsoleSession, schedules: [ScheduleOnCall], weeks: [ScheduleWeek], start: LocalDate, now: String) -> ConsolePage {
        let sections: [HTMLText] = weeks.map { week in
            let rows: [HTMLText] = week.days.map { day in
                let items: [HTMLText] = day.stretches.map { stretch in
                    stretch.name.map { "<li>\(stretch.label) <strong>\($0)</strong></li>" }
                        ?? "<li class=\"nobody-stretch\">\(stretch.label) <strong>Nobody</strong></li>"
                }
                return "<tr><th scope=\"row\">\(day.label)</th><td><ul class=\"stretches\">\(items)</ul></td></tr>"
            }
            let heading = "week-\(HTMLText.component(week.schedule))"
            return """
                <section class="card" aria-labelledby="\(heading)"><h2 id="\(heading)">\(week.name) <span class="hint">(\(week.schedule))</span></h2>
                <table class="schedule-week"><thead><tr><th scope="col">Day</th><th scope="col">On call</th></tr></thead><tbody>\(rows)</tbody></table>
                </section>
                """
        }
        return ConsolePage(
            title: "On call", session: session,
            content: """
                <p><a href="/console/policies">Policies</a></p>
                <h1>On call in \(session.organisation)</h1>
                \(onCallSection(schedules, now: now, heading: "Now"))
                <form class="filters" method="get" action="/console/on-call">
                <div><label for="week">Week starting</label><input id="week" name="week" type="date" value="\(start.description)" required></div>
                <div><button type="submit" class="secondary">Show</button></div>
                </form>
                \(sections)
                """)
    }

    /// The lint diagnostics of the running policies (`escalate lint`), paths relative to the organisation's folder.
    static func diagnostics(_ diagnostics: [Diagnostic], open: Bool) -> HTMLText {
        let rows: [HTMLText] = diagnostics.map { diagnostic in
            let hint: HTMLText = diagnostic.hint.map { "<br><span class=\"hint\">hint: \($0)</span>" } ?? ""
            return """
                <tr><td data-label="Severity"><span class="severity severity-\(diagnostic.severity.rawValue)">\(diagnostic.severity.rawValue)</span></td>\
                <td data-label="Where"><code>\(diagnostic.location?.description ?? "—")</code></td>\
                <td data-label="Rule"><code>\(diagnostic.rule)</code> <span class="hint">\(diagnostic.code)</span></td>\
                <td data-label="Message">\(diagnostic.message)\(hint)</td></tr>
                """
        }
        let count = diagnostics.count
        let body: HTMLText =
            rows.isEmpty
            ? "<p id=\"no-diagnostics\">escalate lint finds nothing to say about the running policies.</p>"
            : """
                <table id="diagnostics"><thead><tr><th scope="col">Severity</th><th scope="col">Where</th><th scope="col">Rule</th>\
                <th scope="col">Message</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        return """
            <section class="card" aria-labelledby="lint-heading"><details\(open ? " open" : "")><summary><h2 id="lint-heading">Lint: \
            \(count == 0 ? "no diagnostics" : "\(count) \(count == 1 ? "diagnostic" : "diagnostics")")</h2></summary>
            <p class="hint">What escalate lint says about your organisation's running policies, as loaded at start or the last reload.</p>
            \(body)</details></section>
            """
    }
}
