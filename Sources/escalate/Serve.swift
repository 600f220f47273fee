import ArgumentParser
import Crypto
import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPipeline
import EscalationServer
import EscalationStore
import EscalationStorePostgres
import Foundation
import Hummingbird
import Logging
import NIOCore

extension Escalate {
    /// `escalate serve`: run escalations for real, with the HTTP API.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Run escalations as a durable service with an HTTP API (SQLite by default, one file).",
            discussion: """
                Tokens: --tokens FILE with lines 'ORGANISATION SHA256-OF-TOKEN', or ESCALATE_TOKENS='org=token,…'. \
                Without either, a random token per organisation is generated and printed once at start. \
                Integration keys (the routing_key of PagerDuty Events v2 senders): --integration-keys FILE with lines \
                'ORGANISATION[/POLICY] SHA256-OF-KEY' or 'ORGANISATION[/POLICY] ${env:NAME}', and/or \
                ESCALATE_INTEGRATION_KEYS='org/policy=KEY,…'; they are never printed. The key file is read again on reload. \
                SIGHUP or POST /v1/reload reloads the policies; a set with lint errors is refused and the running set kept.
                """)

        @Option(help: "Policy folder or files (default: policies/).")
        var policies: [String] = []

        @Option(
            help: ArgumentHelp(
                "SQLite database file (created when missing), or postgres://USER:PASSWORD@HOST:PORT/DATABASE to share one PostgreSQL with other serve processes.",
                valueName: "file-or-url"))
        var db: String = "escalate.sqlite"

        @Option(help: "With PostgreSQL: seconds a claim on a timer or delivery lasts unless renewed (how long a dead process's work waits).")
        var leaseSeconds: Int = 15

        @Option(help: "Address to listen on.")
        var host: String = "127.0.0.1"

        @Option(help: "Port to listen on.")
        var port: Int = 8080

        @Option(help: "Token file: lines 'ORGANISATION SHA256HEX'.")
        var tokens: String?

        @Option(help: "Integration key file: lines 'ORGANISATION[/POLICY] SHA256HEX' or 'ORGANISATION[/POLICY] ${env:NAME}'.")
        var integrationKeys: String?

        @Option(help: "File of the keys that sign acknowledge links (default: the database's path + .link-key, escalate.link-key with PostgreSQL; created once; every process of a cluster needs the same file).")
        var linkKey: String?

        @Option(help: "How long an acknowledge link works after it is sent (e.g. 24h, 30m).")
        var linkValidity: String = "24h"

        @Option(help: "PagerDuty events a minute one integration key may send; more are answered 429 with Retry-After.")
        var eventsPerMinute: Int = 120

        @Option(help: "Serve HTTPS with this PEM certificate (chain); needs --tls-key.")
        var tlsCert: String?

        @Option(help: "The PEM private key of --tls-cert.")
        var tlsKey: String?

        @Option(help: "Base URL written into links, and the URL providers sign their inbound callbacks against (default http://HOST:PORT, https:// with --tls-cert).")
        var baseURL: String?

        @Option(help: "How long one delivery may take when neither its channel's 'timeout:' nor its plugin says (e.g. 10s, 1m).")
        var deliveryTimeout: String = "10s"

        @Option(help: "Deliveries running at once, in all.")
        var maxInFlight: Int = 200

        @Option(help: "Deliveries running at once per channel of an organisation, so a channel whose sends hang holds no more (default 40, at most --max-in-flight).")
        var maxInFlightPerChannel: Int?

        @Option(help: "Pages one contact may receive per minute; more wait their turn (a flood must not page one person hundreds of times a minute).")
        var pagesPerContactPerMinute: Int = 10

        @Option(help: "How long a connection may take to send a request head (slowloris); then it is answered 408 and closed (e.g. 30s).")
        var headerTimeout: String = "30s"

        @Option(help: "How long a request body may pause between bytes; then it is answered 408 and closed (e.g. 60s).")
        var bodyTimeout: String = "60s"

        @Option(help: "Log lines as text or json (one object per line), on standard error.")
        var logFormat: LineLogHandler.Format = .text

        @Option(help: "The lowest level logged: trace, debug, info, notice, warning, error or critical.")
        var logLevel: Logger.Level = .info

        @Option(
            name: .customLong("smtp-listen"),
            help: "Take replies by e-mail: an SMTP listener on HOST:PORT (e.g. 127.0.0.1:2525, behind your mail exchanger) for channels whose plugin takes mail.")
        var smtpListen: String?

        @OptionGroup var plugins: PluginOptions

        /// `HOST:PORT` (`[::1]:2525` for IPv6) as its parts; nil when it is not that.
        static func hostAndPort(_ text: String) -> (String, Int)? {
            guard let colon = text.lastIndex(of: ":"), colon > text.startIndex, let port = Int(text[text.index(after: colon)...]),
                (0...65_535).contains(port)
            else { return nil }
            let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            return host.isEmpty ? nil : (host, port)
        }

        func validate() throws {
            guard eventsPerMinute >= 1 else { throw ValidationError("--events-per-minute must be at least 1, got \(eventsPerMinute)") }
            guard (2...3600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be from 2 to 3600, got \(leaseSeconds)") }
            guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1, got \(maxInFlight)") }
            guard (1...100_000).contains(pagesPerContactPerMinute) else {
                throw ValidationError("--pages-per-contact-per-minute must be from 1 to 100000, got \(pagesPerContactPerMinute)")
            }
            if let smtpListen, Self.hostAndPort(smtpListen) == nil {
                throw ValidationError("--smtp-listen '\(smtpListen)' is not HOST:PORT; write e.g. --smtp-listen 127.0.0.1:2525")
            }
            if let perChannel = maxInFlightPerChannel, !(1...maxInFlight).contains(perChannel) {
                throw ValidationError("--max-in-flight-per-channel must be from 1 to --max-in-flight (\(maxInFlight)), got \(perChannel)")
            }
        }

        func run() async throws {
            let (format, level) = (logFormat, logLevel)
            LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format, level: level) }
            let logger = Logger(label: "escalate.serve")
            let paths = policies.isEmpty ? ["policies"] : policies
            let registry = try plugins.registry()
            let set: PolicySet
            let diagnostics: [String: [Diagnostic]]
            do {
                (set, diagnostics) = try PolicySet.loadWithDiagnostics(paths: paths, channels: registry)
            } catch let refused as PolicySet.Refused {
                printError(refused.description)
                printError("the policies have errors; fix them (escalate lint) before serving")
                throw ExitCode(ExitStatus.failed)
            } catch {
                printError("error: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            // A SQLite file is claimed for this process while it serves (the executor keeps open incidents' dedup keys
            // and reply codes in memory); the claim ends with the process.
            let (store, claim) = try await DatabaseOption.open(db, leaseSeconds: leaseSeconds, logger: Logger(label: "escalate.store"))
            defer { withExtendedLifetime(claim) {} }
            let postgres = store as? PostgresIncidentStore
            let shownDB = PostgresLocation.redact(db)
            let limits: HTTPEdgeHandler.Limits
            do throws(ServeTLS.Problem) {
                limits = HTTPEdgeHandler.Limits(
                    headerTimeout: try Self.timeAmount(headerTimeout, option: "--header-timeout"),
                    bodyIdleTimeout: try Self.timeAmount(bodyTimeout, option: "--body-timeout"),
                    maxBodyBytes: ServerConfiguration.defaultMaxBodyBytes)
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            let server: ServeTLS.Builder
            do { server = try ServeTLS.server(certificate: tlsCert, key: tlsKey, edges: limits) } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            let base = baseURL ?? "\(tlsCert == nil ? "http" : "https")://\(host):\(port)"
            let integrationKeys: [String: IntegrationRoute]
            do {
                integrationKeys = try ServerConfiguration.integrationKeys(file: self.integrationKeys, environment: ProcessInfo.processInfo.environment)
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            let linkKeys: (signing: SymmetricKey, previous: [SymmetricKey])
            do { linkKeys = try LinkKeyFile.load(path: linkKey ?? (postgres == nil ? db + ".link-key" : "escalate.link-key")) } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            var configuration = ServerConfiguration(
                tokenHashes: [:], integrationKeys: integrationKeys, linkKey: linkKeys.signing, previousLinkKeys: linkKeys.previous, baseURL: base)
            switch PolicyDuration.parse(linkValidity) {
            case .success(let duration) where !duration.isBusiness && duration.seconds > 0: configuration.linkValiditySeconds = duration.seconds
            default:
                printError("error: --link-validity '\(linkValidity)' must be a wall-clock duration longer than zero, e.g. 24h or 30m")
                throw ExitCode(ExitStatus.usage)
            }
            configuration.eventsPerMinute = eventsPerMinute
            var options = Executor.Options()
            options.baseURL = base
            let signer = ActionLinkSigner(configuration: configuration)
            options.actionLinks = { link, now in signer.url(for: link, now: now) }
            options.maxInFlight = maxInFlight
            options.perContactPerMinute = pagesPerContactPerMinute
            options.maxInFlightPerChannel = maxInFlightPerChannel ?? min(options.maxInFlightPerChannel, maxInFlight)
            switch PolicyDuration.parse(deliveryTimeout) {
            case .success(let duration) where !duration.isBusiness && duration.seconds > 0:
                options.deliveryTimeout = Double(duration.seconds)
            case .success:
                printError("error: --delivery-timeout '\(deliveryTimeout)' must be a wall-clock duration longer than zero, e.g. 10s or 1m")
                throw ExitCode(ExitStatus.usage)
            case .failure(let problem):
                printError("error: --delivery-timeout '\(deliveryTimeout)' is not a duration: \(problem.message)")
                throw ExitCode(ExitStatus.usage)
            }
            let environment = ChannelEnvironment { ProcessInfo.processInfo.environment[$0] }
            let executor = Executor(
                store: store, policies: set, registry: registry, environment: environment, options: options, logger: Logger(label: "escalate.executor"))
            let recovered = try await executor.recover()
            if recovered > 0 {
                logger.warning(
                    "\(recovered) delivery(ies) interrupted by the last stop: resent with the same key where the plugin forwards it, else not resent (each incident's timeline says which)")
            }
            let tokens: ServerConfiguration.Tokens
            do {
                tokens = try ServerConfiguration.tokens(
                    file: self.tokens, environment: ProcessInfo.processInfo.environment, organisations: await executor.organisations)
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            for (organisation, token) in tokens.generated {
                printError("escalate: token for \(organisation) (generated, shown once): \(token)")
            }
            configuration.tokenHashes = tokens.hashes
            let keyring = IntegrationKeyring(integrationKeys)
            let consolePolicies = ConsolePolicies(set, diagnostics: diagnostics)
            let keyFile = self.integrationKeys
            @Sendable func reload(_ how: String) async -> PolicySet.Refused? {
                // The integration key file too: keys added or removed there take effect now (revoked at once).
                if let keyFile {
                    do {
                        let keys = try ServerConfiguration.integrationKeys(file: keyFile, environment: ProcessInfo.processInfo.environment)
                        await keyring.replace(with: keys)
                        logger.notice("integration keys reloaded (\(how))", metadata: ["integration_keys": "\(keys.count)"])
                    } catch {
                        logger.error("integration keys not reloaded (\(how)); the keys in force are kept: \(error.description)")
                    }
                }
                let refused = await executor.reloadRefusal(paths: paths, channels: registry)
                if refused == nil, let loaded = try? PolicySet.loadWithDiagnostics(paths: paths, channels: registry) {
                    await consolePolicies.replace(with: loaded.set, diagnostics: loaded.diagnostics)
                }
                if let refused {
                    logger.error("reload refused (\(how)); the running policies are kept:\n\(refused)")
                } else {
                    logger.notice("policies reloaded (\(how))")
                    if let postgres, how != ClusterPolicies.announced {
                        await ClusterPolicies.announce(store: postgres, executor: executor, logger: logger)
                    }
                }
                return refused
            }
            var api = EscalationAPI(executor: executor, configuration: configuration, integrationKeys: keyring, logger: Logger(label: "escalate.api")) {
                organisation in
                // The caller sees only its own organisation's diagnostics, with paths relative to the policies folder.
                guard let refused = await reload("POST /v1/reload") else { return nil }
                let own = refused.byOrganisation[organisation] ?? []
                if own.isEmpty { return "the policies of other organisations have errors; the server log has them" }
                return own.map { ReloadText.relative($0.description, to: paths) }.joined(separator: "\n")
            }
            api.integrationKeyFile = keyFile.map { IntegrationKeyFile(path: $0) }
            api.console = Console(policies: consolePolicies)
            SignalReloader.install { Task { _ = await reload("SIGHUP") } }
            var announcements: Task<Void, Never>?
            if let postgres { announcements = await ClusterPolicies.join(store: postgres, executor: executor, logger: logger) { _ = await reload($0) } }
            let app = Application(
                router: api.router(), server: server, configuration: .init(address: .hostname(host, port: port)), logger: Logger(label: "escalate.http"))
            let served = await executor.organisations.joined(separator: ", ")
            logger.notice("serving \(served) on \(base)", metadata: ["database": "\(shownDB)", "integration_keys": "\(integrationKeys.count)"])
            var mailListener: Task<Void, Never>?
            if let smtpListen, let (mailHost, mailPort) = Self.hostAndPort(smtpListen) {
                let mailAPI = api
                let server = InboundMailServer(hostname: URLComponents(string: base)?.host ?? "escalate", logger: Logger(label: "escalate.smtp")) {
                    data, from, to, peer in await mailAPI.mail(data, from: from, to: to, peer: peer)
                }
                let bound: InboundMailServer.Bound
                do { bound = try await server.bind(host: mailHost, port: mailPort) } catch {
                    let reason = (error as? IOError)?.errnoCode == EADDRINUSE ? "the address is already in use" : "\(error)"
                    printError("error: cannot take mail on \(smtpListen): \(reason); choose another --smtp-listen")
                    throw ExitCode(ExitStatus.usage)
                }
                let channels = await executor.mailChannels().map { "\($0.organisation)/\($0.channel)" }
                logger.notice(
                    "taking replies by e-mail on \(mailHost):\(bound.port)",
                    metadata: ["channels": "\(channels.isEmpty ? "none (no channel's plugin takes mail)" : channels.joined(separator: ", "))"])
                mailListener = Task { await bound.run() }
            }
            let worker = Task { await executor.run() }
            defer { mailListener?.cancel() }
            do {
                try await app.runService()
                // Stopped (SIGTERM/SIGINT): start nothing new, and let deliveries in flight finish and be recorded.
                worker.cancel()
                announcements?.cancel()
                var left = await executor.drain(seconds: 15)
                if left > 0 {
                    // Still running after 15 s: cancel them (the exec plugin kills its commands' process groups) so no
                    // orphan finishes a page after we are gone; each is recorded as an abandoned attempt to retry.
                    let cancelled = await executor.cancelInFlight()
                    logger.warning("cancelled \(cancelled) delivery(ies) still running after 15 s")
                    left = await executor.drain(seconds: 3)
                }
                do { try await executor.releaseLeases() } catch { logger.error("leases not released (they expire by themselves): \(error)") }
                await postgres?.shutdown()
                logger.notice("stopped\(left > 0 ? "; \(left) delivery(ies) still in flight will be reported as interrupted at the next start" : "")")
            } catch {
                worker.cancel()
                await postgres?.shutdown()
                let reason = (error as? IOError)?.errnoCode == EADDRINUSE ? "the address is already in use" : "\(error)"
                printError("error: cannot serve on \(host):\(port): \(reason); choose another --port or --host, or stop the other server")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}

extension Escalate.Serve {
    /// A wall-clock duration option (`30s`, `500ms` is not a policy duration, so whole seconds or minutes) as a NIO time amount.
    static func timeAmount(_ text: String, option: String) throws(ServeTLS.Problem) -> TimeAmount {
        switch PolicyDuration.parse(text) {
        case .success(let duration) where !duration.isBusiness && duration.seconds > 0 && duration.seconds <= 86_400:
            return .seconds(Int64(duration.seconds))
        case .success:
            throw ServeTLS.Problem(description: "\(option) '\(text)' must be a wall-clock duration from 1s to 24h, e.g. 30s or 1m")
        case .failure(let problem):
            throw ServeTLS.Problem(description: "\(option) '\(text)' is not a duration: \(problem.message)")
        }
    }
}

/// Calls a handler on SIGHUP.
enum SignalReloader {
    nonisolated(unsafe) static var source: (any DispatchSourceSignal)?

    static func install(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        Self.source = source
    }
}

extension LineLogHandler.Format: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Diagnostic text shown to API callers.
enum ReloadText {
    /// `text` with the policies folders' absolute prefixes removed, so a caller does not learn the server's layout.
    static func relative(_ text: String, to roots: [String]) -> String {
        var result = text
        for root in roots {
            let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
            for prefix in [absolute + "/", root.hasSuffix("/") ? root : root + "/"] where !prefix.isEmpty && prefix != "/" {
                result = result.replacingOccurrences(of: prefix, with: "")
            }
        }
        return result
    }
}

