import EscalationCore
import EscalationEngine
import EscalationStore
import Foundation
import Logging
import PostgresNIO

/// The shared store: PostgreSQL through postgres-nio, for several `escalate serve` processes on one database.
/// Every engine transition commits in one transaction with its timers and outbox (as in SQLite); events for one
/// incident are applied one at a time across processes (`pg_advisory_xact_lock` per key); due timers and
/// interrupted deliveries are claimed with `FOR UPDATE SKIP LOCKED` and a lease (`claimed_by`, `lease_until`) that a
/// heartbeat renews, so a dead process's work passes to another within `leaseSeconds`; commits that queue work
/// `NOTIFY` the other processes. Call `start()` before use and `shutdown()` at the end.
public final class PostgresIncidentStore: SharedIncidentStore {
    /// Tuning.
    public struct Options: Sendable {
        /// Seconds a claim lasts unless renewed (a dead process's timers and deliveries wait at most this long).
        public var leaseSeconds = 15
        /// Whether a background task renews this process's delivery leases (every third of `leaseSeconds`); tests
        /// that drive leases by hand turn it off.
        public var heartbeat = true
        /// Connections in the pool.
        public var maxConnections = 20
        /// This process's name on its claims (default: host, pid and a random suffix).
        public var owner: String?
        /// Seconds `probeWrite` (readiness) waits for the database before it reports it unreachable.
        public var probeTimeout: Double = 3
        /// A schema of its own (created at start; letters, digits and `_`), e.g. one per test; nil: the default.
        public var schema: String?
        /// Whole seconds a transaction may sit idle before the server ends its session, and a statement may wait for a
        /// lock before it fails (`idle_in_transaction_session_timeout`, `lock_timeout`).
        public var stuckSeconds = 30
        /// Default options.
        public init() {}
    }

    /// The database's location (its description hides the password).
    public let location: PostgresLocation
    /// This process's name on its claims.
    public let owner: String
    /// Seconds a claim lasts unless renewed.
    public var leaseSeconds: Int { options.leaseSeconds }
    let options: Options
    let client: PostgresClient
    let logger: Logger
    /// Wall-clock seconds for leases (injected: tests expire leases without sleeping).
    let leaseClock: @Sendable () -> Double
    let state = LockedState()
    /// The NOTIFY channel (one per schema).
    let channel: String
    /// What advisory lock keys start with (one namespace per schema).
    let lockPrefix: String

    /// A store on the database at `location`; nothing connects until `start()`.
    public init(
        location: PostgresLocation, options: Options = Options(), logger: Logger = Logger(label: "escalate.store.postgres"),
        leaseClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.location = location
        self.options = options
        self.logger = logger
        self.leaseClock = leaseClock
        owner = options.owner ?? "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UInt32.random(in: 0...UInt32.max))"
        var configuration: PostgresClient.Configuration
        if let socket = location.socketPath {
            configuration = PostgresClient.Configuration(unixSocketPath: socket, username: location.username, password: location.password, database: location.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            configuration = PostgresClient.Configuration(
                host: location.host ?? "localhost", port: location.port, username: location.username, password: location.password,
                database: location.database, tls: tls)
        }
        configuration.options.maximumConnections = max(2, options.maxConnections)
        configuration.options.connectTimeout = .seconds(5)
        // A process stopped (SIGSTOP, a hung host) inside a transaction must not hold an incident's lock for ever: the
        // server ends such a session, and a wait for a lock gives up with an error rather than hang a request.
        let stuck = "\(max(1, options.stuckSeconds))s"
        configuration.options.additionalStartupParameters = [("idle_in_transaction_session_timeout", stuck), ("lock_timeout", stuck)]
        if let schema = options.schema { configuration.options.additionalStartupParameters.append(("search_path", schema)) }
        let scope = options.schema.map { "_" + $0 } ?? ""
        lockPrefix = "escalate\(scope)/"
        channel = "escalate_work\(scope)"
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Starts the connection pool, checks the database answers, applies the migrations, and starts the heartbeat and
    /// the listener. Throws a clear error (without the password) when the database cannot be reached.
    public func start(migrate: Bool = true) async throws {
        // One connection of its own first: the server's own reason (a wrong password, no such database) comes back at
        // once, where the pool would retry and report only that it gave up.
        do {
            let connection = try await PostgresConnection.connect(configuration: try checkConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw PostgresStoreError("connecting to \(location)", error)
        }
        let client = client
        let runner = Task { await client.run() }
        state.withLock { $0.tasks.append(runner) }
        // Let the pool's run loop start before the first lease (else the driver warns that it has not).
        for _ in 0..<10 { await Task.yield() }
        do {
            _ = try await client.query("SELECT 1", logger: logger).collect()
        } catch {
            throw PostgresStoreError("connecting to \(location)", error)
        }
        if let schema = options.schema {
            guard !schema.isEmpty, schema.allSatisfy({ ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }) else {
                throw PostgresStoreError("opening schema '\(schema)'", reason: "a schema name takes letters, digits and _ only")
            }
            do { try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger) } catch {
                throw PostgresStoreError("creating schema \(schema)", error)
            }
        }
        if migrate { try await Self.migrate(client: client, logger: logger) }
        if options.heartbeat {
            let beat = Task { [weak self] in
                while !Task.isCancelled {
                    guard let seconds = self?.leaseSeconds else { return }
                    try? await Task.sleep(for: .milliseconds(max(200, seconds * 1000 / 3)))
                    do { try await self?.renewLeases() } catch { if !Task.isCancelled { self?.logger.error("lease renewal failed: \(error)") } }
                }
            }
            state.withLock { $0.tasks.append(beat) }
        }
    }

    /// The configuration of a single connection to the same database as the pool.
    func checkConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: socket, username: location.username, password: location.password, database: location.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try .init(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try .init(configuration: .makeClientConfiguration()))
            }
            configuration = PostgresConnection.Configuration(
                host: location.host ?? "localhost", port: location.port, username: location.username, password: location.password,
                database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// Stops the heartbeat and the listener and closes every connection (call `releaseLeases()` first to hand work over).
    public func shutdown() async {
        let tasks = state.withLock { state in
            defer { state.tasks = [] }
            for continuation in state.listeners.values { continuation.finish() }
            for continuation in state.reloadListeners.values { continuation.finish() }
            state.listeners = [:]
            state.reloadListeners = [:]
            return state.tasks
        }
        for task in tasks.dropFirst() { task.cancel() }
        for task in tasks.dropFirst() { _ = await task.value }
        tasks.first?.cancel()
        if let runner = tasks.first { _ = await runner.value }
    }

    // MARK: - Transactions

    /// The connection of the transaction the current task is in (set by `exclusively`), with its store.
    @TaskLocal static var current: Transaction?

    /// A transaction in progress on a connection of one store.
    struct Transaction: Sendable {
        let connection: PostgresConnection
        let store: ObjectIdentifier
    }

    /// The current task's transaction on this store, if any.
    var joined: PostgresConnection? {
        guard let current = Self.current, current.store == ObjectIdentifier(self) else { return nil }
        return current.connection
    }

    /// Runs `work` on the current transaction's connection, or on a pooled connection outside any transaction.
    func read<T: Sendable>(_ operation: @autoclosure () -> String, _ work: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            if let joined { return try await work(joined) }
            return try await client.withConnection { connection in try await work(connection) }
        } catch let error as PostgresStoreError {
            throw error
        } catch let error as LeaseLost {
            throw error
        } catch {
            throw PostgresStoreError(operation(), error)
        }
    }

    /// Runs `work` in a transaction: the current one when the task is in one (it commits with it), else its own.
    func write<T: Sendable>(_ operation: @autoclosure () -> String, _ work: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            if let joined { return try await work(joined) }
            return try await client.withConnection { connection in try await Self.transaction(connection, logger: logger, work) }
        } catch let error as PostgresStoreError {
            throw error
        } catch let error as LeaseLost {
            throw error
        } catch {
            throw PostgresStoreError(operation(), error)
        }
    }

    /// BEGIN, `work`, COMMIT; ROLLBACK and the work's own error when it throws.
    static func transaction<T>(
        _ connection: PostgresConnection, logger: Logger, isolation: isolated (any Actor)? = #isolation, _ work: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        let value: T
        do {
            value = try await work(connection)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return value
    }

    /// Runs `body` holding every key (a transaction-scoped advisory lock each) in one transaction that the store's
    /// calls inside `body` join; the body's errors pass through unchanged (and roll the transaction back).
    public func exclusively<T: Sendable>(
        _ keys: [String], isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        if let joined {
            try await lock(keys, on: joined)
            return try await body()
        }
        let leased: Leased<T> = try await client.withConnection(isolation: isolation) { connection in
            let transaction = Transaction(connection: connection, store: ObjectIdentifier(self))
            let value = try await Self.transaction(connection, logger: logger) { connection in
                try await self.lock(keys, on: connection)
                return try await Self.$current.withValue(transaction) { try await body() }
            }
            return Leased(value: value)
        }
        return leased.value
    }

    /// A value carried out of a leased connection's closure.
    struct Leased<T: Sendable>: Sendable {
        let value: T
    }

    func lock(_ keys: [String], on connection: PostgresConnection) async throws {
        for key in keys {
            do {
                // Rows read to the end: a SELECT's error (a deadlock found while it waits) reaches its rows, not `query`.
                _ = try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockPrefix + key), 0))", logger: logger).collect()
            } catch {
                throw PostgresStoreError("locking \(key)", error)
            }
        }
    }
}
