import ArgumentParser
import EscalationServer
import Foundation

extension Escalate {
    /// `escalate integration-key ORG[/POLICY] [--file FILE]`: makes a new integration key.
    struct IntegrationKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "integration-key",
            abstract: "Make a new integration key (a PagerDuty routing key) for an organisation or one of its policies.",
            discussion: """
                Prints the key once, for the sender; only its hash is kept. With --file, appends the line \
                'ORGANISATION[/POLICY] SHA256' to that integration key file (then SIGHUP serve, or POST /v1/reload); \
                without it, prints the line to add. To revoke a key, delete its line and reload.
                """)

        @Argument(help: "ORGANISATION or ORGANISATION/POLICY: where the key's events go.")
        var route: String

        @Option(help: "The integration key file to append the key's hash to (serve --integration-keys).")
        var file: String?

        func validate() throws {
            guard IntegrationRoute(parsing: route) != nil else { throw ValidationError("write ORGANISATION or ORGANISATION/POLICY, got '\(route)'") }
        }

        func run() throws {
            let key = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            let line = "\(route) \(ServerConfiguration.hash(token: key))\n"
            if let file {
                do {
                    try Self.append(line, to: file)
                } catch {
                    printError("error: cannot append to \(file): \(error.localizedDescription)")
                    throw ExitCode(ExitStatus.usage)
                }
                printError("escalate: the key's hash is in \(file); reload serve (SIGHUP or POST /v1/reload) to use it")
            } else {
                printError("escalate: add this line to the integration key file, then reload serve:\n\(line.dropLast())")
            }
            print(key)
        }

        /// Appends a line to a file, creating it (mode 0600) when missing.
        static func append(_ line: String, to path: String) throws {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteNoPermission)
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
        }
    }
}
