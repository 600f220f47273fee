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
