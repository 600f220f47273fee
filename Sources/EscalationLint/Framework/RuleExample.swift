/// A YAML example for a rule; it is linted together with `RuleExample.baseOrganisation` unless standalone.
public struct RuleExample: Sendable, CustomStringConvertible {
    /// The YAML, with `↓` before each place a diagnostic is expected.
    public var yaml: String
    /// Lint this example on its own, without the base organisation file.
    public var standalone: Bool
    /// Where the example is written, so a failing example points at its source.
    public var file: String
    /// The line of the example in that file.
    public var line: Int

    /// Creates an example.
    public init(_ yaml: String, standalone: Bool = false, file: String = #filePath, line: Int = #line) {
        self.yaml = yaml
        self.standalone = standalone
        self.file = file
        self.line = line
    }

    /// The YAML with the markers removed.
    public var text: String { yaml.replacingOccurrences(of: "↓", with: "") }

    /// The 1-based (line, column) of each `↓` in the cleaned text.
    public var markers: [(line: Int, column: Int)] {
        var result: [(Int, Int)] = []
        var line = 1
        var column = 1
        for scalar in yaml.unicodeScalars {
            if scalar == "↓" {
                result.append((line, column))
            } else if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return result
    }

    /// `file:line`.
    public var description: String { "\(file.split(separator: "/").last ?? ""):\(line)" }

    /// A small organisation that examples build on: contacts alice, bob and a shared list, group team,
    /// channels email and sms, template page, calendar office.
    public static let baseOrganisation = """
        organisation:
          id: example
          name: Example Org
          timezone: UTC
          default_calendar: office
          calendars:
            office:
              hours:
                - days: [mon, tue, wed, thu, fri]
                  from: "09:00"
                  to: "17:00"
        contacts:
          alice:
            name: Alice
            addresses: { email: alice@example.org, sms: "+1-555-0101" }
          bob:
            name: Bob
            addresses: { email: bob@example.org, sms: "+1-555-0102" }
        groups:
          team:
            name: Team
            members: [alice, bob]
        channels:
          email:
            plugin: email
            settings: { smtp_host: smtp.example.org, from: escalate@example.org, password: "${env:SMTP_PASSWORD}" }
          sms:
            plugin: sms
          room:
            plugin: webhook
        templates:
          page:
            subject: "{{ incident.title }}"
            body: "Incident {{ incident.id }}: {{ incident.title }}"
        """
}
