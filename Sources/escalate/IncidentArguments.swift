import ArgumentParser
import EscalationCore
import EscalationGraph
import Foundation

/// Shared parsing for the report commands (`explain`, `coverage`, `route`): instants and formats.
enum IncidentArguments {
    /// An instant from `--at`/`--from` (ISO 8601 with offset, or local in the organisation's zone), else now.
    static func instant(_ text: String?, zoneName: String, option: String) throws -> Instant {
        guard let text else { return now() }
        let zone = ZonedTime.zone(zoneName) ?? ZonedTime.utc
        guard let instant = Instant.parse(text, zone: zone) else {
            throw ValidationError("\(option) takes an ISO 8601 time like 2026-03-09T10:00 (in \(zoneName)) or 2026-03-09T10:00-06:00, got '\(text)'")
        }
        return instant
    }

    /// The current minute (the CLI may read the clock; the libraries never do).
    static func now() -> Instant {
        let seconds = Int64(Date().timeIntervalSince1970)
        return Instant(seconds: seconds - seconds % 60)
    }
}

/// `--format text|json` for the report commands.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    /// Text for people.
    case text
    /// JSON with sorted keys.
    case json
}
