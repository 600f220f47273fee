import EscalationCore
import Foundation

/// The one HTML rendering of a timeline, shared by `escalate simulate --format html` and the console (a rehearsal,
/// and a live incident's log): an ordered list whose entries are a two-column grid (when, what) that wraps instead of overlapping,
/// plus the stylesheet portion it needs (`css`). No inline `style` attributes, so it works under the console's strict
/// Content-Security-Policy; every value is escaped with `HTMLEscaping.escape`.
public enum TimelineHTML {
    /// One entry of a timeline as the list shows it: a rehearsal's entry, or a line of a live incident's log.
    public struct Row: Sendable, Hashable {
        /// What kind of thing happened (`notify`, `acknowledge`, …): the entry's class `tl-KIND` and the colour of its dot.
        public var kind: String
        /// The time from the start, e.g. `+0:17`; nil when there is none.
        public var offset: String?
        /// When it happened.
        public var at: Instant
        /// What happened, in a line.
        public var heading: String
        /// The message's headline, when there is one.
        public var subject: String?
        /// Why, or more about it.
        public var detail: String
        /// How far into the whole timeline it is, 0…100 (drawn as a small bar); nil: no bar.
        public var progress: Double?

        /// A row from its parts.
        public init(kind: String, offset: String?, at: Instant, heading: String, subject: String? = nil, detail: String, progress: Double? = nil) {
            self.kind = kind
            self.offset = offset
            self.at = at
            self.heading = heading
            self.subject = subject
            self.detail = detail
            self.progress = progress
        }
    }

    /// The timeline's entries as `<ol class="tl">…</ol>`; `id` names the list, `limit` shows at most that many entries
    /// and says how many were left out.
    public static func list(_ timeline: Timeline, id: String? = nil, limit: Int? = nil) -> String {
        let total = max(timeline.entries.map(\.offset).max() ?? 0, 60)
        let shown = limit.map { Array(timeline.entries.prefix(max($0, 0))) } ?? timeline.entries
        let rows = shown.map { entry in
            Row(
                kind: entry.kind.rawValue, offset: TimelineRenderer.offset(entry.offset), at: entry.at,
                heading: (entry.origin.map { "\($0): " } ?? "") + TimelineRenderer.what(entry), subject: entry.subject, detail: entry.detail,
                progress: Double(entry.offset) / Double(total) * 100)
        }
        return list(rows, zone: TimelineRenderer.zone(timeline), id: id, more: timeline.entries.count - shown.count)
    }

    /// Rows as `<ol class="tl">…</ol>` with wall times in `zone`; `more` entries left out are counted after the list.
    public static func list(_ rows: [Row], zone: TimeZone, id: String? = nil, more: Int = 0) -> String {
        var html = "<ol class=\"tl\"\(id.map { " id=\"\(HTMLEscaping.escape($0))\"" } ?? "")>\n"
        for row in rows { html += item(row, zone: zone) }
        html += "</ol>\n"
        if more > 0 { html += "<p class=\"tl-more\">\(more) more entries not shown.</p>\n" }
        return html
    }

    /// `+1:05`: seconds from the start as hours and minutes.
    public static func offset(_ seconds: Int) -> String { TimelineRenderer.offset(seconds) }

    /// The rehearsal's result as a paragraph: its status, who acknowledged after how long, how the ladder ended.
    public static func result(_ timeline: Timeline) -> String {
        "<p class=\"tl-result\"><b>Result:</b> \(HTMLEscaping.escape(TimelineRenderer.summary(timeline)))</p>\n"
    }

    /// One entry: the offset and wall time (with a bar showing how far into the timeline it is), then what happened,
    /// the message's headline and why.
    static func item(_ row: Row, zone: TimeZone) -> String {
        let offset = row.offset.map { "<span class=\"tl-offset\">\(HTMLEscaping.escape($0))</span>" } ?? ""
        let bar = row.progress.map { progress in
            """
            <svg class="tl-at" viewBox="0 0 100 4" preserveAspectRatio="none" width="100%" height="4" aria-hidden="true" focusable="false">\
            <rect class="tl-track" width="100" height="4" fill="#e3e6ea"/><rect class="tl-done" width="\(String(format: "%.2f", min(max(progress, 0), 100)))" \
            height="4" fill="#8a939e"/></svg>
            """
        } ?? ""
        let subject = row.subject.flatMap { $0.isEmpty ? nil : "<q class=\"tl-subject\">\(HTMLEscaping.escape($0))</q>" } ?? ""
        let kind = String(row.kind.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" })
        return """
            <li class="tl-entry tl-\(kind)"><div class="tl-when">\(offset)\
            <time class="tl-wall" datetime="\(HTMLEscaping.escape(ZonedTime.iso8601(row.at, in: zone)))">\(HTMLEscaping.escape(ZonedTime.display(row.at, in: zone)))</time>\
            \(bar)</div><div class="tl-what"><p class="tl-head">\(HTMLEscaping.escape(row.heading))</p>\(subject)\
            <p class="tl-detail">\(HTMLEscaping.escape(row.detail))</p></div></li>

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
