import ArgumentParser
import EscalationAnalysis
import EscalationCore
import EscalationServer
import EscalationStorePostgres
import Foundation

extension Escalate {
    /// `escalate console-link --organisation ID`: prints a one-time sign-in URL for the web console.
    struct ConsoleLink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "console-link",
            abstract: "Print a one-time sign-in link to the web console of 'escalate serve' for an organisation.",
            discussion: """
                The link is signed with the server's link key (the file 'serve' uses for acknowledge links: DB.link-key \
                next to --db, or --link-key; it must already exist, so run 'serve' once first). Opening the link shows \
                a page with a Sign in button; the button signs in once. The link works for --valid (default 15m, at \
                most 1h). Used links are remembered in the server's memory: after a restart an unexpired link works \
                once more. The URL is printed on standard output; treat it like a password.
                """)

        @Option(help: "The organisation the link signs in to.")
        var organisation: String

        @Option(help: "The server's base URL, as 'serve --base-url' (default http://127.0.0.1:8080).")
        var baseURL: String = "http://127.0.0.1:8080"

        @Option(help: "How long the link works (e.g. 15m, 1h; at most 1h).")
        var valid: String = "15m"

        @Option(help: "The database 'serve' uses; its link key is DB.link-key (escalate.link-key with PostgreSQL).")
        var db: String = "escalate.sqlite"

        @Option(help: "The link key file 'serve' uses (its --link-key).")
        var linkKey: String?

        func validate() throws {
            guard baseURL.lowercased().hasPrefix("http://") || baseURL.lowercased().hasPrefix("https://") else {
                throw ValidationError("--base-url must start with http:// or https://, got '\(baseURL)'")
            }
            _ = try Self.seconds(valid)
        }

        /// `--valid` in seconds, from 1 s to one hour.
        static func seconds(_ valid: String) throws -> Int {
            switch PolicyDuration.parse(valid) {
            case .success(let duration) where !duration.isBusiness && duration.seconds > 0 && duration.seconds <= ConsoleSignInLink.longestSeconds:
                return duration.seconds
            case .success:
                throw ValidationError("--valid '\(valid)' must be a wall-clock duration from 1s to 1h, e.g. 15m")
            case .failure(let problem):
                throw ValidationError("--valid '\(valid)' is not a duration: \(problem.message)")
            }
        }

        func run() throws {
            let seconds = try Self.seconds(valid)
            let path = linkKey ?? (PostgresLocation.isPostgres(db) ? "escalate.link-key" : db + ".link-key")
            guard FileManager.default.fileExists(atPath: path) else {
                printError("error: no link key file at \(path); start 'escalate serve' once (it makes one), or give serve's --link-key or --db")
                throw ExitCode(ExitStatus.usage)
            }
            let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
            do {
                let key = try LinkKeyFile.load(path: path).signing
                let link = try ConsoleSignInLink(organisation: organisation, validForSeconds: seconds, now: now)
                print(link.url(baseURL: baseURL, key: key))
                printError("escalate: one-time sign-in link for \(organisation), valid until \(Instant(seconds: link.expires)) (\(CoverageWindow.duration(seconds)), one use)")
            } catch let problem as LinkKeyFile.Problem {
                printError("error: \(problem.description)")
                throw ExitCode(ExitStatus.usage)
            } catch let problem as ConsoleSignInLink.Problem {
                printError("error: \(problem.description)")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}
