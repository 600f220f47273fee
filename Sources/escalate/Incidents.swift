import ArgumentParser
import EscalationClient
import Foundation

extension Escalate {
    /// `escalate incidents [ID]`.
    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "incidents",
            abstract: "List incidents (every page), or show one with its timeline.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id (omit to list).") var id: String?
        @Option(help: "List only incidents with this status: open, acknowledged or resolved.") var status: String?
        @Option(help: "Incidents fetched per request while following the pages (1-500).") var pageSize = 500

        func validate() throws {
            guard (1...500).contains(pageSize) else { throw ValidationError("--page-size must be from 1 to 500, got \(pageSize)") }
            if let status, !["open", "acknowledged", "resolved"].contains(status) {
                throw ValidationError("--status must be open, acknowledged or resolved, got '\(status)'")
            }
        }

        func run() async throws {
            if let id {
                try await options.call("GET", "/v1/incidents/\(id)") { IncidentText.render(detail: $0) ?? $0 }
                return
            }
            let listing: APIClient.Listing
            do { listing = try await options.client().incidents(status: status, pageSize: pageSize) } catch let error as APIClient.TransportError {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            switch listing {
            case .refused(let reply):
                print(reply.body, terminator: reply.body.hasSuffix("\n") ? "" : "\n")
                printError("error: \(reply.status): \(reply.message)")
                throw ExitCode(ExitStatus.failed)
            case .incidents(let incidents):
                if options.json {
                    let data = try JSONSerialization.data(withJSONObject: ["incidents": incidents], options: [.prettyPrinted, .sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                for incident in incidents {
                    print("\(incident["id"] as? String ?? "?")\t\(incident["status"] as? String ?? "?")\t\(incident["policy"] as? String ?? "?")\t\(incident["title"] as? String ?? "")")
                }
            }
        }
    }
}
