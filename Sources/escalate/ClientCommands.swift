import ArgumentParser
import EscalationClient
import Foundation

/// Options shared by the API client commands.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server URL (default $ESCALATE_SERVER or http://127.0.0.1:8080).")
    var server: String?

    @Flag(help: "Print the server's JSON reply instead of a summary line.")
    var json = false

    /// A client from the options and ESCALATE_TOKEN.
    func client() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        guard let token = environment["ESCALATE_TOKEN"], !token.isEmpty else {
            printError("error: set ESCALATE_TOKEN to your organisation's API token")
            throw ExitCode(ExitStatus.usage)
        }
        return APIClient(server: server ?? environment["ESCALATE_SERVER"] ?? "http://127.0.0.1:8080", token: token)
    }

    /// Sends and prints; exit 1 when the server refuses, 2 when it cannot be reached.
    func call(_ method: String, _ path: String, body: [String: Any]? = nil, summary: (String) -> String) async throws {
        let reply: APIClient.Reply
        do { reply = try await client().send(method, path, json: body) } catch let error as APIClient.TransportError {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        }
        if json || !reply.ok { print(reply.body, terminator: reply.body.hasSuffix("\n") ? "" : "\n") } else { print(summary(reply.body)) }
        if !reply.ok {
            printError("error: \(reply.status): \(reply.message)")
            throw ExitCode(ExitStatus.failed)
        }
    }
}

/// Reads `"id"` and `"status"` from a JSON reply for one-line summaries.
func field(_ name: String, in body: String) -> String {
    guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return "?" }
    return (object[name] as? String) ?? "?"
}

extension Escalate {
    /// `escalate trigger`: open an incident through the API.
    struct Trigger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Trigger an incident on a running server.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Policy id (default: chosen by the policies' match).") var policy: String?
        @Option(help: "Title.") var title: String?
        @Option(help: "Dedup key: a second trigger with the same key joins the open incident.") var dedupKey: String?
        @Option(name: .customLong("field"), help: "KEY=VALUE (repeatable).") var fields: [String] = []

        func run() async throws {
            var values: [String: String] = [:]
            for pair in fields {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    printError("error: --field '\(pair)' must be KEY=VALUE")
                    throw ExitCode(ExitStatus.usage)
                }
                values[parts[0]] = parts[1]
            }
            var body: [String: Any] = ["fields": values]
            if let policy { body["policy"] = policy }
            if let title { body["title"] = title }
            if let dedupKey { body["dedup_key"] = dedupKey }
            try await options.call("POST", "/v1/incidents", body: body) { "\(field("id", in: $0)) \(field("status", in: $0))" }
        }
    }

    /// `escalate ack ID`.
    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an incident.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "Who acknowledges.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        func run() async throws {
            try await options.call("POST", "/v1/incidents/\(id)/acknowledge", body: ["by": by]) { "\(field("id", in: $0)) \(field("status", in: $0))" }
        }
    }

    /// `escalate resolve ID`.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve an incident (or one scope of it).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "Who resolves.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        @Option(help: "Resolve one scope only.") var scope: String?
        @Option(help: "The outcome.") var outcome: String?
        func run() async throws {
            var body: [String: Any] = ["by": by]
            if let scope { body["scope"] = scope }
            if let outcome { body["outcome"] = outcome }
            try await options.call("POST", "/v1/incidents/\(id)/resolve", body: body) { "\(field("id", in: $0)) \(field("status", in: $0))" }
        }
    }

    /// `escalate signal ID NAME`.
    struct Signal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a named signal to an incident.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "Signal name.") var name: String
        @Option(name: .customLong("data"), help: "KEY=VALUE (repeatable).") var data: [String] = []
        func run() async throws {
            var values: [String: String] = [:]
            for pair in data {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            try await options.call("POST", "/v1/incidents/\(id)/signal", body: ["name": name, "data": values]) {
                "\(field("id", in: $0)) \(field("status", in: $0))"
            }
        }
    }

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
