import EscalationCore
import Foundation

/// The one HTML rendering of a simulated timeline, shared by `escalate simulate --format html` and the console's
/// rehearsal page: an ordered list whose entries are a two-column grid (when, what) that wraps instead of overlapping,
/// plus the stylesheet portion it needs (`css`). No inline `style` attributes, so it works under the console's strict
/// Content-Security-Policy; every value is escaped with `HTMLEscaping.escape`.
public enum TimelineHTML {
    /// The timeline's entries as `<ol class="tl">…</ol>`; `id` names the list, `limit` shows at most that many entries
    /// and says how many were left out.
    public static func list(_ timeline: Timeline, id: String? = nil, limit: Int? = nil) -> String {
        let zone = TimelineRenderer.zone(timeline)
        let total = max(timeline.entries.map(\.offset).max() ?? 0, 60)
        let shown = limit.map { Array(timeline.entries.prefix(max($0, 0))) } ?? timeline.entries
        var html = "<ol class=\"tl\"\(id.map { " id=\"\(HTMLEscaping.escape($0))\"" } ?? "")>\n"
        for entry in shown {
            html += item(entry, zone: zone, total: total)
        }
        html += "</ol>\n"
        if shown.count < timeline.entries.count {
            html += "<p class=\"tl-more\">\(timeline.entries.count - shown.count) more entries not shown.</p>\n"
        }
        return html
    }

    /// The rehearsal's result as a paragraph: its status, who acknowledged after how long, how the ladder ended.
    public static func result(_ timeline: Timeline) -> String {
        "<p class=\"tl-result\"><b>Result:</b> \(HTMLEscaping.escape(TimelineRenderer.summary(timeline)))</p>\n"
    }

    /// One entry: the offset and wall time (with a bar showing how far into the rehearsal it is), then what
    /// happened, the message's headline and why.
    static func item(_ entry: Timeline.Entry, zone: TimeZone, total: Int) -> String {
        let share = String(format: "%.2f", min(max(Double(entry.offset) / Double(total) * 100, 0), 100))
        let heading = (entry.origin.map { "\($0): " } ?? "") + TimelineRenderer.what(entry)
        let subject = entry.subject.flatMap { $0.isEmpty ? nil : "<q class=\"tl-subject\">\(HTMLEscaping.escape($0))</q>" } ?? ""
        return """
            <li class="tl-entry tl-\(entry.kind.rawValue)"><div class="tl-when">\
            <span class="tl-offset">\(HTMLEscaping.escape(TimelineRenderer.offset(entry.offset)))</span>\
            <time class="tl-wall" datetime="\(HTMLEscaping.escape(ZonedTime.iso8601(entry.at, in: zone)))">\(HTMLEscaping.escape(ZonedTime.display(entry.at, in: zone)))</time>\
            <svg class="tl-at" viewBox="0 0 100 4" preserveAspectRatio="none" width="100%" height="4" aria-hidden="true" focusable="false">\
            <rect class="tl-track" width="100" height="4" fill="#e3e6ea"/><rect class="tl-done" width="\(share)" height="4" fill="#8a939e"/></svg>\
            </div><div class="tl-what"><p class="tl-head">\(HTMLEscaping.escape(heading))</p>\(subject)\
            <p class="tl-detail">\(HTMLEscaping.escape(entry.detail))</p></div></li>

            """
    }

    /// The stylesheet portion of the list: a grid per entry (when | what) from 30rem, one column below it; long words
    /// wrap; nothing is positioned over another row.
    public static let css = """
        ol.tl { list-style: none; margin: 0; padding: 0 0 0 .75rem; border-left: 3px solid #ccd3dc; }
        .tl-entry { position: relative; display: grid; grid-template-columns: minmax(0, 10rem) minmax(0, 1fr); gap: .25rem 1rem;
          padding: .5rem 0 .5rem .5rem; border-bottom: 1px solid #e3e6ea; }
        .tl-entry::before { content: ""; box-sizing: border-box; position: absolute; left: -1.3rem; top: .8rem; width: .9rem; height: .9rem;
          border-radius: 50%; background: #889; border: 2px solid #fff; }
        .tl-notify::before { background: #d33; } .tl-acknowledge::before { background: #2a2; } .tl-resolve::before { background: #26c; }
        .tl-stage::before, .tl-post::before { background: #c80; } .tl-task::before { background: #85c; } .tl-failure::before { background: #000; }
        .tl-when { display: flex; flex-direction: column; min-width: 0; font-variant-numeric: tabular-nums; }
        .tl-offset { font-weight: 600; }
        .tl-wall { color: #4d5560; font-size: .85em; overflow-wrap: anywhere; }
        .tl-at { display: block; width: 100%; max-width: 8rem; height: 4px; margin-top: .3rem; }
        .tl-what { min-width: 0; }
        .tl-head { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
        .tl-subject { display: block; color: #333; overflow-wrap: anywhere; }
        .tl-detail { margin: .1rem 0 0; color: #4d5560; font-size: .9em; overflow-wrap: anywhere; }
        .tl-more { color: #4d5560; }
        @media (max-width: 30rem) {
          .tl-entry { grid-template-columns: minmax(0, 1fr); gap: .1rem; }
          .tl-when { flex-direction: row; flex-wrap: wrap; align-items: baseline; gap: 0 .5rem; }
          .tl-at { flex-basis: 100%; }
        }

        """
}
