import EscalationCore
import Foundation

/// Renders a timeline as text, JSON, Markdown or a self-contained HTML page; deterministic.
public enum TimelineRenderer {
    /// Output formats of `escalate simulate`.
    public enum Format: String, CaseIterable, Sendable {
        case text, json, markdown, html
    }

    /// Renders a timeline.
    public static func render(_ timeline: Timeline, as format: Format) -> String {
        switch format {
        case .text: text(timeline)
        case .json: json(timeline)
        case .markdown: markdown(timeline)
        case .html: html(timeline)
        }
    }

    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let value = abs(seconds)
        return String(format: "%@%d:%02d", sign, value / 3_600, value % 3_600 / 60)
    }

    static func zone(_ timeline: Timeline) -> TimeZone { ZonedTime.zone(timeline.timezone) ?? ZonedTime.utc }

    /// What an entry is, marked `incident N:` when it belongs to a later incident of the rehearsal.
    static func what(_ entry: Timeline.Entry) -> String {
        guard let incident = entry.incident, incident > 1 else { return kindText(entry) }
        return "incident \(incident): " + kindText(entry)
    }

    static func kindText(_ entry: Timeline.Entry) -> String {
        switch entry.kind {
        case .notify:
            return "notify \(entry.who ?? "?") via \(entry.channel ?? "?")\(entry.template.map { " [\($0)]" } ?? "")"
        case .post: return "post to \(entry.channel ?? "?")\(entry.template.map { " [\($0)]" } ?? "")"
        case .task: return "task for \(entry.who.flatMap { $0.isEmpty ? nil : $0 } ?? "anyone")"
        case .action: return "apply action on \(entry.channel ?? "?")"
        case .undo: return "undo action on \(entry.channel ?? "?")"
        case .stage: return "stage message on \(entry.channel ?? "?")\(entry.template.map { " [\($0)]" } ?? "")"
        case .expire: return "take down stage message on \(entry.channel ?? "?")"
        default: return entry.kind.rawValue
        }
    }

    static func summary(_ timeline: Timeline) -> String {
        var parts = ["status \(timeline.status)"]
        if timeline.incidents > 1 { parts.append("\(timeline.incidents) incidents (the status is the last one's)") }
        if let by = timeline.acknowledgedBy, let after = timeline.acknowledgedAfter {
            parts.append("acknowledged by \(by) after \(PolicyDuration.compact(after) ?? "0s")")
        }
        if let end = timeline.ladderEnd { parts.append("ladder: \(end)") }
        parts.append("\(timeline.notifications.count) notifications")
        return parts.joined(separator: "; ")
    }

    static func text(_ timeline: Timeline) -> String {
        let zone = zone(timeline)
        var lines = [
            "Simulation of policy '\(timeline.policy)' (\(timeline.policyName)) — \(timeline.organisation), version \(timeline.version)",
            "Start \(ZonedTime.display(timeline.start, in: zone)); nothing is sent.",
            "",
        ]
        for entry in timeline.entries {
            var line = "\(offset(entry.offset).padding(toLength: 7, withPad: " ", startingAt: 0)) \(ZonedTime.display(entry.at, in: zone))  "
            if let origin = entry.origin { line += "\(origin): " }
            line += what(entry)
            if let subject = entry.subject, !subject.isEmpty { line += " \"\(subject)\"" }
            line += " — \(entry.detail)"
            lines.append(line)
        }
        lines.append("")
        lines.append("Result: \(summary(timeline))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ timeline: Timeline) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(timeline) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func markdown(_ timeline: Timeline) -> String {
        let zone = zone(timeline)
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var lines = [
            "# Simulation: \(cell(timeline.policyName)) (`\(timeline.policy)`)", "",
            "\(cell(timeline.organisation)), policy version `\(timeline.version)`, start \(ZonedTime.display(timeline.start, in: zone)). Nothing is sent.",
            "", "| offset | time | from | what | message | why |", "| --- | --- | --- | --- | --- | --- |",
        ]
        for entry in timeline.entries {
            lines.append(
                "| \(offset(entry.offset)) | \(ZonedTime.display(entry.at, in: zone)) | \(cell(entry.origin ?? "")) | \(cell(what(entry))) | \(cell(entry.subject ?? "")) | \(cell(entry.detail)) |")
        }
        lines += ["", "**Result:** \(cell(summary(timeline)))"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// A self-contained page: the heading, the timeline list and its stylesheet shared with the console
    /// (`TimelineHTML`), and the result.
    static func html(_ timeline: Timeline) -> String {
        let zone = zone(timeline)
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Simulation: \(escape(timeline.policyName))</title>
            <style>
            *, *::before, *::after { box-sizing: border-box; }
            body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; padding: 1rem; max-width: 60rem; color: #222; overflow-wrap: anywhere; }
            h1 { font-size: 1.4rem; }
            \(TimelineHTML.css)</style></head><body>
            <h1>Simulation: \(escape(timeline.policyName)) <code>\(escape(timeline.policy))</code></h1>
            <p>\(escape(timeline.organisation)), version <code>\(escape(timeline.version))</code>, start \(escape(ZonedTime.display(timeline.start, in: zone))). Nothing is sent.</p>
            \(TimelineHTML.list(timeline, id: "timeline"))\(TimelineHTML.result(timeline))
            </body></html>

            """
    }
}
