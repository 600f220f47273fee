import ArgumentParser
import EscalationClient
import Foundation

extension Escalate {
    /// `escalate incidents [ID]`.
    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List incidents, or show one with its timeline.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id (omit to list).") var id: String?
        func run() async throws {
            if let id {
                try await options.call("GET", "/v1/incidents/\(id)") { IncidentText.render(detail: $0) ?? $0 }
            } else {
                try await options.call("GET", "/v1/incidents") { body in
                    guard let data = body.data(using: .utf8),
                        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                        let incidents = object["incidents"] as? [[String: Any]]
                    else { return body }
                    return incidents.map { "\($0["id"] as? String ?? "?")\t\($0["status"] as? String ?? "?")\t\($0["policy"] as? String ?? "?")\t\($0["title"] as? String ?? "")" }
                        .joined(separator: "\n")
                }
            }
        }
    }
}
