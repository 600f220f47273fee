import Foundation

/// Renders `GET /v1/incidents/{id}` replies for people: a header, the timeline, the deliveries and the tasks.
public enum IncidentText {
    /// The reply as text, or nil when it is not an incident detail (the caller then shows it as it came).
    public static func render(detail body: String) -> String? {
        guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let incident = object["incident"] as? [String: Any]
        else { return nil }
        func text(_ dictionary: [String: Any], _ key: String) -> String { dictionary[key].map { "\($0)" } ?? "-" }
        var lines = [
            "\(text(incident, "id"))  \(text(incident, "status"))  \(text(incident, "title"))",
            "policy \(text(incident, "policy")) (version \(text(incident, "version"))), \(text(incident, "ladder"))"
                + ((incident["acknowledged_by"] as? String).map { ", acknowledged by \($0)" } ?? "") + ((incident["resolved_by"] as? String).map { ", resolved by \($0)" } ?? ""),
        ]
        let timeline = object["timeline"] as? [[String: Any]] ?? []
        if !timeline.isEmpty {
            lines.append("")
            lines.append("timeline:")
            for entry in timeline { lines.append("  \(text(entry, "at"))  \(text(entry, "kind").padding(toLength: 8, withPad: " ", startingAt: 0)) \(text(entry, "text"))") }
        }
        let deliveries = object["deliveries"] as? [[String: Any]] ?? []
        if !deliveries.isEmpty {
            lines.append("")
            lines.append("deliveries:")
            for delivery in deliveries {
                let detail = delivery["detail"].map { " (\($0))" } ?? ""
                lines.append("  \(text(delivery, "status").padding(toLength: 9, withPad: " ", startingAt: 0)) \(text(delivery, "channel"))  \(text(delivery, "key"))  attempts \(text(delivery, "attempts"))\(detail)")
            }
        }
        let tasks = object["tasks"] as? [[String: Any]] ?? []
        if !tasks.isEmpty {
            lines.append("")
            lines.append("tasks:")
            for task in tasks {
                let assignees = (task["assignees"] as? [String]).flatMap { $0.isEmpty ? nil : $0.joined(separator: ", ") } ?? "anyone"
                lines.append("  [ ] \(text(task, "title")) (\(assignees); \(text(task, "origin")))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
