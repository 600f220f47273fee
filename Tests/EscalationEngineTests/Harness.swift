import EscalationCompiler
import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationPolicy
import EscalationTesting
import Foundation
import Testing

/// Builds small organisations from YAML text.
enum Org {
    /// The shared top of every test organisation: UTC, an office calendar (Mon–Fri 09:00–17:00, 2026-03-16 a
    /// holiday), five people, a shared list, channels and templates.
    static let header = """
        organisation:
          id: acme
          name: Acme
          timezone: UTC
          default_calendar: office
          calendars:
            office:
              hours:
                - days: [mon, tue, wed, thu, fri]
                  from: "09:00"
                  to: "17:00"
              holidays:
                - 2026-03-16
        contacts:
          ann: { name: Ann, addresses: { phone: "+1-555-0001", email: ann@example.org, slack: "@ann" } }
          bob: { name: Bob, addresses: { phone: "+1-555-0002", email: bob@example.org, slack: "@bob" } }
          cat: { name: Cat, addresses: { phone: "+1-555-0003", email: cat@example.org, slack: "@cat" } }
          dan:
            name: Dan
            addresses: { phone: "+1-555-0004", email: dan@example.org, slack: "@dan" }
            preferences:
              - channel: slack
              - channel: sms
                after: 2m
              - channel: email
                after: 5m
          eve:
            name: Eve
            addresses: { email: eve@example.org, slack: "@eve" }
            preferences:
              - channel: phone
              - channel: email
                after: 3m
        channels:
          phone: { plugin: voice }
          sms: { plugin: sms, address: phone }
          email: { plugin: email }
          slack: { plugin: slack }
          banner: { plugin: statuspage }
          pbx: { plugin: pbx }
        templates:
          page:
            subject: "Page: {{ incident.title }}"
            body: "layer={{ layer.id }} to={{ recipient.id }}"
          note:
            body: "note outcome={{ incident.outcome }} status={{ incident.status }}"
          banner:
            body: "status {{ incident.status }}"
          away:
            body: "away"

        """

    /// Loads and compiles the header (`org.yaml`) with `yaml` (`policies.yaml`); fails the test on load errors.
    static func graph(_ yaml: String, header: Bool = true, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RuleGraph {
        let files = (header ? [(path: "org.yaml", text: Self.header)] : []) + [(path: "policies.yaml", text: yaml)]
        let loaded = PolicyLoader().load(files: files)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        try #require(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
        return GraphCompiler().compile(loaded.organisation)
    }
}

/// An instant written as a UTC local time, `2026-03-06T18:00`.
func instant(_ text: String) -> Instant {
    guard let value = Instant.parse(text, zone: ZonedTime.utc) else { preconditionFailure("bad instant \(text)") }
    return value
}

extension Instant {
    /// This instant plus some minutes.
    func plus(_ minutes: Int) -> Instant { adding(seconds: minutes * 60) }
}

/// The engine driver lives in EscalationTesting; tests here call it `Driver`.
typealias Driver = EngineDriver
