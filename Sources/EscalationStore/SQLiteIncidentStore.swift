import EscalationCore
import EscalationEngine
import Foundation
import GRDB
import Synchronization

/// The embedded default store: one SQLite file (WAL) through GRDB, with migrations.
public final class SQLiteIncidentStore: IncidentStore {
    private let pool: DatabasePool
    /// Gathers the transitions that arrive together into one transaction (see `commit`).
    let batcher = CommitBatcher<PendingCommit>()
    /// Runs a flush of delivered results committed without an fsync (see `updateDelivery`) a little later: after
    /// `deferredSyncSeconds` on a global queue (tests run it when they choose).
    let scheduleFlush: @Sendable (@escaping @Sendable () -> Void) -> Void
    /// Whether a flush is scheduled and not yet run.
    let flushScheduled = Mutex(false)
    /// Longest a delivered result stays in the WAL without an fsync when nothing else commits.
    public static let deferredSyncSeconds = 1.0

    /// Why the store cannot be opened; `underlying` is the database's own error, for callers that need its code.
    public struct OpenError: Error, CustomStringConvertible, Sendable {
        /// The path.
        public var path: String
        /// The database's error.
        public var underlying: any Error
        /// What went wrong and how to fix it.
        public var description: String { "cannot open the database \(path): \(underlying); check the path is writable (use --db FILE)" }
    }

    /// Opens (creating and migrating) the database file.
    public convenience init(path: String) throws(OpenError) {
        try self.init(path: path) { flush in DispatchQueue.global().asyncAfter(deadline: .now() + Self.deferredSyncSeconds, execute: flush) }
    }

    /// Opens the database file with its own scheduler of deferred-sync flushes (tests).
    init(path: String, scheduleFlush: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void) throws(OpenError) {
        self.scheduleFlush = scheduleFlush
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in try db.execute(sql: Self.durabilityPragmas + "; " + Self.cachePragma + "; " + Self.tempStorePragma) }
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB switches the pool's writer to WAL with `synchronous = NORMAL` after `prepareDatabase` has run, so the
            // pragmas are set on the writer again here: every commit is fsynced before `commit` returns.
            try pool.writeWithoutTransaction { db in try db.execute(sql: Self.durabilityPragmas) }
            try Self.migrator.migrate(pool)
        } catch {
            throw OpenError(path: path, underlying: error)
        }
        // Batches are written on the writer's own queue, and their callers resumed from there (see `CommitBatcher`).
        // A batch of delivered results alone is committed without an fsync: a flush is scheduled for it.
        batcher.attach { [pool, weak self] drain in
            let store = self
            pool.asyncWriteWithoutTransaction { db in
                drain { batch in
                    let written = try Self.write(batch, in: db)
                    if written.unsynced { store?.flushLater() }
                    return written.failures
                }
            }
        }
    }

    /// Full durability: in WAL mode `synchronous = FULL` syncs the WAL on every commit (NORMAL only at checkpoints, so
    /// a power loss could undo acknowledged commits); `fullfsync` asks macOS to flush the drive's cache too (no-op elsewhere).
    static let durabilityPragmas = "PRAGMA synchronous = FULL; PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON"

    /// A page cache of up to 32 MiB per connection (SQLite's default is 2 MiB), so the indexes a commit touches stay in
    /// memory as the file grows to hundreds of thousands of incidents.
    static let cachePragma = "PRAGMA cache_size = -32768"

    /// Temporary files in memory. A batch written again after one of its writes failed gives each write its own
    /// savepoint (see `writeTransaction`), and SQLite keeps the pages a
    /// savepoint may have to roll back in a statement journal: past 64 KiB a temporary file, written with two `pwrite`s
    /// per page (3.7 times the WAL's writes under load). That journal only serves a rollback within the open
    /// transaction; after a crash the uncommitted frames are ignored whatever it held, so keeping it in memory changes
    /// nothing about durability.
    static let tempStorePragma = "PRAGMA temp_store = MEMORY"

    /// A pragma's value as the writer connection (the one that commits) has it, e.g. `synchronous` (2 is FULL).
    public func writerPragma(_ name: String) async throws -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        return try await pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE incidents (
                      id TEXT PRIMARY KEY, organisation TEXT NOT NULL, dedup_key TEXT, status TEXT NOT NULL,
                      state TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                    CREATE INDEX incidents_dedup ON incidents(organisation, dedup_key, status);
                    CREATE TABLE event_log (
                      sequence INTEGER PRIMARY KEY AUTOINCREMENT, incident TEXT NOT NULL, at INTEGER NOT NULL,
                      kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT);
                    CREATE INDEX event_log_incident ON event_log(incident, sequence);
                    CREATE TABLE timers (id TEXT PRIMARY KEY, incident TEXT NOT NULL, at INTEGER NOT NULL);
                    CREATE TABLE outbox (
                      idempotency_key TEXT PRIMARY KEY, incident TEXT NOT NULL, organisation TEXT NOT NULL,
                      effect TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                      next_attempt INTEGER NOT NULL, deadline INTEGER NOT NULL, detail TEXT, created_at INTEGER NOT NULL,
                      position INTEGER NOT NULL);
                    CREATE INDEX outbox_due ON outbox(status, next_attempt);
                    """)
        }
        migrator.registerMigration("v2: policy versions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE policy_versions (
                      organisation TEXT NOT NULL, version TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (organisation, version));
                    """)
        }
        migrator.registerMigration("v3: tasks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tasks (
                      sequence INTEGER PRIMARY KEY AUTOINCREMENT, incident TEXT NOT NULL, title TEXT NOT NULL, assignees TEXT NOT NULL,
                      description TEXT, origin TEXT NOT NULL, created_at INTEGER NOT NULL);
                    CREATE INDEX tasks_incident ON tasks(incident, sequence);
                    """)
        }
        migrator.registerMigration("v4: threshold events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pending_events (
                      sequence INTEGER PRIMARY KEY AUTOINCREMENT, organisation TEXT NOT NULL, policy TEXT NOT NULL, at INTEGER NOT NULL,
                      event TEXT NOT NULL);
                    CREATE INDEX pending_events_key ON pending_events(organisation, policy, at);
                    """)
        }
        migrator.registerMigration("v5: indexes for the hot path") { db in
            // Every per-commit, per-claim and per-request query is served by an index, so its cost does not grow with the
            // history (SQLiteHardeningTests checks the query plans).
            try db.execute(
                sql: """
                    CREATE INDEX outbox_position ON outbox(position);
                    CREATE INDEX outbox_incident ON outbox(incident, position);
                    DROP INDEX outbox_due;
                    CREATE INDEX outbox_due ON outbox(status, next_attempt, position, organisation, channel, idempotency_key);
                    DROP INDEX incidents_dedup;
                    CREATE INDEX incidents_open_dedup ON incidents(organisation, dedup_key, created_at) WHERE status != 'resolved';
                    CREATE INDEX incidents_organisation ON incidents(organisation);
                    CREATE INDEX incidents_organisation_status ON incidents(organisation, status);
                    CREATE INDEX incidents_status ON incidents(status);
                    CREATE INDEX timers_at ON timers(at);
                    """)
        }
        migrator.registerMigration("v6: store probe") { db in
            try db.execute(sql: "CREATE TABLE store_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)")
        }
        return migrator
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// The state's sorted JSON, written by hand (every transition writes one; `IncidentStateJSONTests` pins it to
    /// the encoder's bytes).
    static func encode(_ state: IncidentState) -> String { state.sortedJSON }

    static func incident(_ row: Row) throws -> StoredIncident {
        let json: String = row["state"]
        let state = try JSONDecoder().decode(IncidentState.self, from: Data(json.utf8))
        return StoredIncident(
            id: row["id"], organisation: row["organisation"], state: state, createdAt: Instant(seconds: row["created_at"]),
            updatedAt: Instant(seconds: row["updated_at"]))
    }

    static func item(_ row: Row) -> OutboxItem {
        OutboxItem(
            idempotencyKey: row["idempotency_key"], incident: row["incident"], organisation: row["organisation"], effect: row["effect"],
            channel: row["channel"], status: OutboxItem.Status(rawValue: row["status"]) ?? .failed, attempts: row["attempts"],
            nextAttempt: Instant(seconds: row["next_attempt"]), deadline: Instant(seconds: row["deadline"]), detail: row["detail"],
            createdAt: Instant(seconds: row["created_at"]))
    }

    static func insertLog(_ entries: [EventLogEntry], into db: Database) throws {
        for entry in entries {
            try db.cachedStatement(sql: SQL.insertLog).execute(arguments: [entry.incident, entry.at.seconds, entry.kind, entry.text, entry.payload])
        }
    }

    /// Commits one transition. Transitions that arrive while another transaction is being written share the next
    /// transaction (group commit: one fsync for the batch); one that fails is rolled back alone (the batch is written
    /// again with a savepoint each, see `writeTransaction`) and reported to its caller only. Returns once the
    /// transaction holding it is on disk.
    public func commit(_ change: StoreChange) async throws {
        let stateJSON = Self.encode(change.incident.state)
        try await batcher.submit(.transition(change, stateJSON: stateJSON))
    }

    /// Writes a batch in one transaction; the error of each write that failed, whether the batch was committed without
    /// an fsync, and whether it was written a second time with a savepoint per write (see `writeTransaction`). A batch
    /// of delivered results alone is committed with `synchronous = NORMAL` (FULL again right after, also when the
    /// transaction fails; see `updateDelivery`); a batch with a transition in it is fsynced as every transition is, the
    /// results in it with it.
    static func write(_ batch: [PendingCommit], in db: Database) throws -> (failures: [Int: any Error], unsynced: Bool, rewritten: Bool) {
        guard batch.allSatisfy(\.isDelivered) else {
            let written = try writeTransaction(batch, in: db)
            return (written.failures, false, written.rewritten)
        }
        try db.cachedStatement(sql: SQL.synchronousNormal).execute()
        let written: (failures: [Int: any Error], rewritten: Bool)
        do {
            written = try writeTransaction(batch, in: db)
        } catch {
            try db.cachedStatement(sql: SQL.synchronousFull).execute()
            throw error
        }
        try db.cachedStatement(sql: SQL.synchronousFull).execute()
        return (written.failures, true, written.rewritten)
    }

    /// A write of a batch failed while the batch was written without savepoints: the transaction is rolled back and the
    /// batch written again, a savepoint each (see `writeTransaction`).
    struct WriteFailed: Error {}

    /// Writes a batch in one transaction; the error of each write that failed, and whether the batch was written a
    /// second time. Each write is committed or rolled back alone, as if each had a savepoint of its own, but savepoints
    /// are only paid for when a write fails: in a savepoint, SQLite copies every page a write touches for the first
    /// time into the savepoint's journal (4 KiB and about five allocations a page, most of SQLite's allocations per
    /// trigger). So the batch is first written without them. If every write succeeds, that is the transaction
    /// committed. If one fails, that transaction is rolled back (nothing of it was committed) and the batch is written
    /// again from the start the way it always was, a savepoint each, so that the failing write is rolled back alone
    /// and the others are committed. The writes are the same statements both times (the outbox positions are read
    /// again), so the rows committed are those a savepoint per write gave (`BatchSavepointTests`). A failure of the
    /// commit itself is the batch's error, as before.
    static func writeTransaction(_ batch: [PendingCommit], in db: Database) throws -> (failures: [Int: any Error], rewritten: Bool) {
        // One transition alone needs no savepoint: if it fails, the whole transaction is rolled back and its error
        // is the batch's (its caller's) error.
        if batch.count > 1 {
            do {
                var lastPosition: Int64?
                try db.inTransaction {
                    for pending in batch {
                        do {
                            try Self.apply(pending, to: db, lastPosition: &lastPosition)
                        } catch {
                            throw WriteFailed()
                        }
                    }
                    return .commit
                }
                return ([:], false)
            } catch is WriteFailed {
                // Rolled back by `inTransaction`: written again below, a savepoint each.
            }
        }
        return (try writeWithSavepoints(batch, in: db), batch.count > 1)
    }

    /// Writes a batch in one transaction, a savepoint each (none for a batch of one); the error of each write that failed.
    static func writeWithSavepoints(_ batch: [PendingCommit], in db: Database) throws -> [Int: any Error] {
        var failures: [Int: any Error] = [:]
        // The outbox's last position as the batch's writes leave it, once read (see `apply(_:stateJSON:to:lastPosition:)`).
        var lastPosition: Int64?
        try db.inTransaction {
            if batch.count == 1, let pending = batch.first {
                try Self.apply(pending, to: db, lastPosition: &lastPosition)
                return .commit
            }
            for (index, pending) in batch.enumerated() {
                do {
                    try inSavepoint(db) { try Self.apply(pending, to: db, lastPosition: &lastPosition) }
                } catch {
                    failures[index] = error
                    // Its rows were rolled back, positions included: the next write reads the last position again.
                    lastPosition = nil
                }
            }
            return .commit
        }
        return failures
    }

    /// Runs `body` in a savepoint of the open transaction, released when it returns and rolled back when it throws,
    /// as GRDB's `inSavepoint` does, but with its three statements prepared once per connection: GRDB's own parses
    /// `SAVEPOINT` and `RELEASE` anew at each call, twice per write of every batch. GRDB still sees each statement
    /// begin, release or roll back the savepoint (it reads that when the statement is prepared). Outside a
    /// transaction, GRDB's `inSavepoint` runs (it opens a transaction instead).
    static func inSavepoint(_ db: Database, _ body: () throws -> Void) throws {
        guard db.isInsideTransaction else {
            try db.inSavepoint {
                try body()
                return .commit
            }
            return
        }
        try db.cachedStatement(sql: SQL.beginSavepoint).execute()
        do {
            try body()
        } catch {
            // The first error is the one thrown; rolling back is attempted whatever it was (as GRDB does).
            do {
                try db.cachedStatement(sql: SQL.rollbackSavepoint).execute()
                try db.cachedStatement(sql: SQL.releaseSavepoint).execute()
            } catch {}
            throw error
        }
        // A statement that failed may have made SQLite roll the whole transaction back: then there is no savepoint
        // to release, and the write must fail as aborted (GRDB's `inSavepoint` checks the same before releasing).
        guard db.isInsideTransaction else { throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted") }
        try db.cachedStatement(sql: SQL.releaseSavepoint).execute()
    }

    /// Applies one pending write inside the current transaction.
    static func apply(_ pending: PendingCommit, to db: Database, lastPosition: inout Int64?) throws {
        switch pending {
        case .transition(let change, let stateJSON): try apply(change, stateJSON: stateJSON, to: db, lastPosition: &lastPosition)
        case .delivered(let item, let log): try save(item, log: log, into: db)
        }
    }

    /// Runs one statement on the writer, outside the batcher (tests: e.g. a trigger that makes some writes fail).
    func executeOnWriter(_ sql: String) async throws {
        try await pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// A delivery's outbox position (tests).
    func position(of key: String) async throws -> Int64? {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT position FROM outbox WHERE idempotency_key = ?", arguments: [key]) }
    }

    /// Writes one batch on the writer at once, as the batcher does (tests).
    func writeNow(_ batch: [PendingCommit]) async throws -> (failures: [Int: any Error], unsynced: Bool, rewritten: Bool) {
        try await pool.writeWithoutTransaction { db in try Self.write(batch, in: db) }
    }

    /// Applies one transition's rows inside the current transaction. Its deliveries take the positions after the
    /// outbox's last one: `lastPosition` when an earlier write of the batch left it known (the largest position it
    /// inserted, or the one it read), else `MAX(position)` read here; on return it holds the last position again. The
    /// positions are those a read per transition gave (`BatchSavepointTests`), with one read per batch.
    static func apply(_ change: StoreChange, stateJSON: String, to db: Database, lastPosition: inout Int64?) throws {
        let incident = change.incident
        try db.cachedStatement(sql: SQL.saveIncident).execute(
            arguments: [
                incident.id, incident.organisation, incident.state.dedupKey, incident.state.status.rawValue, stateJSON,
                incident.createdAt.seconds, incident.updatedAt.seconds,
            ])
        try insertLog(change.log, into: db)
        if let key = change.consumePending {
            try db.cachedStatement(sql: SQL.deletePending).execute(arguments: [key.organisation, key.policy])
        }
        for task in change.tasks {
            try db.cachedStatement(sql: SQL.insertTask).execute(
                arguments: [task.incident, task.title, task.assignees.joined(separator: ","), task.description, task.origin, task.createdAt.seconds])
        }
        if let snapshot = change.snapshot {
            try db.execute(
                sql: "INSERT OR IGNORE INTO policy_versions (organisation, version, document) VALUES (?, ?, ?)",
                arguments: [snapshot.organisation, snapshot.version, snapshot.document])
        }
        for id in change.removeTimers { try db.cachedStatement(sql: SQL.removeTimer).execute(arguments: [id]) }
        for timer in change.addTimers {
            try db.cachedStatement(sql: SQL.saveTimer).execute(arguments: [timer.id, timer.incident, timer.at.seconds])
        }
        guard !change.outbox.isEmpty else { return }
        let position = try lastPosition ?? Int64.fetchOne(db.cachedStatement(sql: SQL.nextPosition)) ?? 0
        var last = position
        for (offset, item) in change.outbox.enumerated() {
            try db.cachedStatement(sql: SQL.queueDelivery).execute(
                arguments: [
                    item.idempotencyKey, item.incident, item.organisation, item.effect, item.channel, item.status.rawValue, item.attempts,
                    item.nextAttempt.seconds, item.deadline.seconds, item.detail, item.createdAt.seconds, position + Int64(offset) + 1,
                ])
            // A key already queued is ignored, and its position stays unused (as `MAX(position)` would not see it).
            if db.changesCount > 0 { last = position + Int64(offset) + 1 }
        }
        lastPosition = last
    }

    /// Writes one row in a transaction of its own: fails while the disk is full or the file is read-only.
    public func probeWrite() async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO store_probe (id, at) VALUES (1, ?)", arguments: [Int64(Date().timeIntervalSince1970)])
        }
    }

    /// Records an event that counts towards a threshold.
    public func addPendingEvent(_ event: PendingEvent) async throws {
        let json = String(decoding: try Self.encoder.encode(event), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO pending_events (organisation, policy, at, event) VALUES (?, ?, ?, ?)",
                arguments: [event.key.organisation, event.key.policy, event.at.seconds, json])
        }
    }

    /// A threshold's pending events since an instant, oldest first.
    public func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] {
        let rows = try await pool.read { db in
            try String.fetchAll(
                db.cachedStatement(sql: SQL.pendingEvents),
                arguments: [key.organisation, key.policy, since.seconds])
        }
        return try rows.map { try JSONDecoder().decode(PendingEvent.self, from: Data($0.utf8)) }
    }

    /// The incident with this id.
    public func incident(id: String) async throws -> StoredIncident? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: SQL.incident), arguments: [id]).map(Self.incident)
        }
    }

    /// The open incident with a dedup key.
    public func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: SQL.openIncident),
                arguments: [organisation, dedupKey]
            ).map(Self.incident)
        }
    }

    /// The SQL of a listing: newest first by rowid (the order incidents were opened; never reused, as incidents are
    /// never deleted), through an index for every combination of filters.
    static func listing(_ query: IncidentQuery) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let organisation = query.organisation {
            conditions.append("organisation = ?")
            arguments += [organisation]
        }
        if let status = query.status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        // Bounded also on the first page, so that every shape of the listing is an index search (never a table scan).
        conditions.append("rowid < ?")
        arguments += [query.after?.position ?? Int64.max]
        arguments += [query.limit + 1]
        return ("SELECT rowid AS position, * FROM incidents WHERE \(conditions.joined(separator: " AND ")) ORDER BY rowid DESC LIMIT ?", arguments)
    }

    /// A page of incidents, newest first.
    ///
    /// The rows are decoded on the reader: a read whose result is `Row` (not `Sendable`) would resolve to GRDB's
    /// blocking `read`, which holds a thread of the concurrency pool while it waits for a free reader; with every reader
    /// held by async reads waiting for a pool thread to resume them, such reads stalled the whole server.
    public func incidents(_ query: IncidentQuery) async throws -> IncidentPage {
        let (sql, arguments) = Self.listing(query)
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let page = rows.prefix(query.limit)
            let next = rows.count > query.limit ? page.last.map { IncidentCursor(position: $0["position"]) } : nil
            return IncidentPage(incidents: try page.map(Self.incident), next: next)
        }
    }

    /// An incident's log.
    public func log(incident: String) async throws -> [EventLogEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: SQL.log, arguments: [incident]).map { row in
                EventLogEntry(
                    sequence: row["sequence"], incident: row["incident"], at: Instant(seconds: row["at"]), kind: row["kind"], text: row["text"],
                    payload: row["payload"])
            }
        }
    }

    /// All timers.
    public func timers() async throws -> [StoredTimer] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: SQL.timers).map {
                StoredTimer(id: $0["id"], incident: $0["incident"], at: Instant(seconds: $0["at"]))
            }
        }
    }

    /// Removes a timer.
    public func removeTimer(id: String) async throws {
        try await pool.write { db in try db.cachedStatement(sql: SQL.removeTimer).execute(arguments: [id]) }
    }

    /// Claims due deliveries within the budget, earliest due first. The due pending items are read from the covering
    /// index `outbox_due` alone; items of channels without room are passed over and stay pending.
    public func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] {
        guard budget.total > 0 else { return [] }
        return try await pool.write { db in
            var selection = budget.selection()
            var keys: [String] = []
            let due = try Row.fetchCursor(
                db.cachedStatement(sql: SQL.dueItems),
                arguments: [now.seconds])
            while !selection.isFull, let row = try due.next() {
                if selection.take(DeliveryChannel(organisation: row["organisation"], channel: row["channel"])) { keys.append(row["idempotency_key"]) }
            }
            var items: [OutboxItem] = []
            for key in keys {
                guard let row = try Row.fetchOne(db.cachedStatement(sql: SQL.outboxItem), arguments: [key]) else { continue }
                var item = Self.item(row)
                item.status = .sending
                try db.cachedStatement(sql: SQL.markSending).execute(arguments: [key])
                items.append(item)
            }
            return items
        }
    }

    /// Incidents not resolved, counted by the database.
    public func openIncidentCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: SQL.openCount)) ?? 0 }
    }

    /// An incident's tasks.
    public func tasks(incident: String) async throws -> [StoredTask] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: SQL.tasks, arguments: [incident]).map { row in
                let assignees: String = row["assignees"]
                return StoredTask(
                    incident: row["incident"], title: row["title"], assignees: assignees.split(separator: ",").map(String.init),
                    description: row["description"], origin: row["origin"], createdAt: Instant(seconds: row["created_at"]))
            }
        }
    }

    /// A saved policy version.
    public func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: SQL.snapshot, arguments: [organisation, version]
            ).map { PolicySnapshot(organisation: organisation, version: version, document: $0["document"]) }
        }
    }

    /// The earliest pending delivery's next attempt among channels not full (walking the `outbox_due` index in due
    /// order, past the full channels' items only).
    public func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? {
        try await pool.read { db in
            let due = try Row.fetchCursor(db.cachedStatement(sql: SQL.pendingByDue))
            while let row = try due.next() {
                if !full.contains(DeliveryChannel(organisation: row["organisation"], channel: row["channel"])) {
                    return Instant(seconds: row["next_attempt"])
                }
            }
            return nil
        }
    }

    /// Deliveries left sending by a crash.
    public func interruptedDeliveries() async throws -> [OutboxItem] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE status = 'sending' ORDER BY position").map(Self.item)
        }
    }

    /// The query plan SQLite chooses for a statement (the `detail` column of `EXPLAIN QUERY PLAN`).
    func queryPlan(_ sql: String, arguments: StatementArguments) async throws -> [String] {
        try await pool.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] } }
    }

    /// Saves a delivery. A delivery's final `delivered` result goes through the batcher: when transitions are being
    /// committed, in their (fsynced) transaction, sharing its pages and its fsync; in a batch of results alone, without
    /// an fsync of its own (`synchronous = NORMAL` for that transaction; FULL again right after): it is in the WAL at once, so a
    /// crash of the process loses nothing, and it reaches the disk with the next fsync (the next transition's commit, or
    /// the probe write `flushLater` schedules within `deferredSyncSeconds`). Only a power loss before then can lose it, and that leaves the item `sending`, which `recover()`
    /// settles as an interrupted send: never resent by a plugin without idempotency keys, resent with the same key by
    /// one with them, no fallback. As it was delivered, nobody misses the page and nobody gets it twice. Every other
    /// result (a retry, a failure, and what recovery writes) is fsynced before this returns, as before.
    public func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws {
        guard item.status == .delivered else {
            try await pool.write { db in try Self.save(item, log: log, into: db) }
            return
        }
        // Not through GRDB's cancellable `write`: a cancellation interrupts the connection's statements, and the one
        // that sets `synchronous` back to FULL must not be one of them (the batcher writes with
        // `asyncWriteWithoutTransaction`, and waiting for it is not cancelled).
        try await batcher.submit(.delivered(item, log: log))
    }

    /// Writes a delivery's result and its log lines inside the current transaction.
    static func save(_ item: OutboxItem, log: [EventLogEntry], into db: Database) throws {
        try db.cachedStatement(sql: SQL.updateDelivery).execute(
            arguments: [item.status.rawValue, item.attempts, item.nextAttempt.seconds, item.detail, item.idempotencyKey])
        try insertLog(log, into: db)
    }

    /// Makes sure delivered results written without an fsync reach the disk within `deferredSyncSeconds` even when
    /// nothing else commits: one fsynced write of the probe row (which syncs the whole WAL, so every result before it),
    /// at most one scheduled at a time.
    func flushLater() {
        let schedule = flushScheduled.withLock { scheduled in
            defer { scheduled = true }
            return !scheduled
        }
        guard schedule else { return }
        scheduleFlush { [self] in
            pool.asyncWriteWithoutTransaction { [self] db in
                // Cleared before the write: a result committed after this point schedules a flush of its own.
                flushScheduled.withLock { $0 = false }
                try? db.inTransaction {
                    try db.cachedStatement(sql: SQL.flushDeferred).execute(arguments: [Int64(Date().timeIntervalSince1970)])
                    return .commit
                }
            }
        }
    }

    /// An incident's outbox.
    public func deliveries(incident: String?) async throws -> [OutboxItem] {
        try await pool.read { db in
            if let incident {
                return try Row.fetchAll(db, sql: SQL.deliveries, arguments: [incident]).map(Self.item)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY position").map(Self.item)
        }
    }

    /// Appends log lines.
    public func append(_ entries: [EventLogEntry]) async throws {
        try await pool.write { db in try Self.insertLog(entries, into: db) }
    }
}

/// The statements the store runs on its hot path, named so that `SQLiteHardeningTests` can check each one's query plan.
enum SQL {
    /// Inserts or updates an incident (every transition).
    static let saveIncident = """
        INSERT INTO incidents (id, organisation, dedup_key, status, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET status = excluded.status, state = excluded.state, updated_at = excluded.updated_at
        """
    /// Appends a log line.
    static let insertLog = "INSERT INTO event_log (incident, at, kind, text, payload) VALUES (?, ?, ?, ?, ?)"
    /// Adds a task.
    static let insertTask = "INSERT INTO tasks (incident, title, assignees, description, origin, created_at) VALUES (?, ?, ?, ?, ?, ?)"
    /// Arms (or moves) a timer.
    static let saveTimer = "INSERT OR REPLACE INTO timers (id, incident, at) VALUES (?, ?, ?)"
    /// Queues a delivery (a key already queued is kept as it is).
    static let queueDelivery = """
        INSERT OR IGNORE INTO outbox (idempotency_key, incident, organisation, effect, channel, status, attempts, next_attempt, deadline, detail,
          created_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// The last outbox position (every commit that queues a delivery).
    static let nextPosition = "SELECT MAX(position) FROM outbox"
    /// A threshold's pending events since an instant.
    static let pendingEvents = "SELECT event FROM pending_events WHERE organisation = ? AND policy = ? AND at >= ? ORDER BY at, sequence"
    /// Consumes a threshold's pending events.
    static let deletePending = "DELETE FROM pending_events WHERE organisation = ? AND policy = ?"
    /// An incident by id (every event).
    static let incident = "SELECT * FROM incidents WHERE id = ?"
    /// The open incident with a dedup key (every trigger with a key, acknowledge/resolve by key); served by the partial index.
    static let openIncident = "SELECT * FROM incidents WHERE organisation = ? AND dedup_key = ? AND status != 'resolved' ORDER BY created_at DESC LIMIT 1"
    /// An incident's log.
    static let log = "SELECT * FROM event_log WHERE incident = ? ORDER BY sequence"
    /// Every timer, earliest first (on start).
    static let timers = "SELECT * FROM timers ORDER BY at, rowid"
    /// Removes a fired timer.
    static let removeTimer = "DELETE FROM timers WHERE id = ?"
    /// The due pending deliveries, earliest first, from the covering index (every claim).
    static let dueItems = "SELECT idempotency_key, organisation, channel FROM outbox WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, position"
    /// One outbox item by key.
    static let outboxItem = "SELECT * FROM outbox WHERE idempotency_key = ?"
    /// Marks a claimed item sending.
    static let markSending = "UPDATE outbox SET status = 'sending' WHERE idempotency_key = ?"
    /// How many incidents are open (metrics).
    static let openCount = "SELECT COUNT(*) FROM incidents WHERE status IN ('open', 'acknowledged')"
    /// An incident's tasks.
    static let tasks = "SELECT * FROM tasks WHERE incident = ? ORDER BY sequence"
    /// Pending deliveries in due order (when the loop sleeps).
    static let pendingByDue = "SELECT organisation, channel, next_attempt FROM outbox WHERE status = 'pending' ORDER BY next_attempt, position"
    /// Opens the savepoint of one write of a batch (see `SQLiteIncidentStore.inSavepoint`).
    static let beginSavepoint = "SAVEPOINT batch"
    /// Undoes the writes since the savepoint opened (it stays open until released).
    static let rollbackSavepoint = "ROLLBACK TRANSACTION TO SAVEPOINT batch"
    /// Closes the savepoint, keeping its writes in the transaction.
    static let releaseSavepoint = "RELEASE SAVEPOINT batch"
    /// The writer's durability for one delivered result's transaction, and back (see `updateDelivery`).
    static let synchronousNormal = "PRAGMA synchronous = NORMAL"
    /// The fsynced write that flushes deferred results (the probe row, so nothing grows).
    static let flushDeferred = "INSERT OR REPLACE INTO store_probe (id, at) VALUES (2, ?)"
    /// Every commit fsynced (the writer's setting; see `durabilityPragmas`).
    static let synchronousFull = "PRAGMA synchronous = FULL"
    /// Saves a delivery's result.
    static let updateDelivery = "UPDATE outbox SET status = ?, attempts = ?, next_attempt = ?, detail = ? WHERE idempotency_key = ?"
    /// An incident's outbox (receipts, the API's detail).
    static let deliveries = "SELECT * FROM outbox WHERE incident = ? ORDER BY position"
    /// A saved policy version.
    static let snapshot = "SELECT document FROM policy_versions WHERE organisation = ? AND version = ?"

    /// Every named read or update with sample arguments, and the listing in each of its shapes (for the plan check).
    static var hotPath: [(name: String, sql: String, arguments: StatementArguments)] {
        var statements: [(name: String, sql: String, arguments: StatementArguments)] = [
            ("nextPosition", nextPosition, []), ("pendingEvents", pendingEvents, ["acme", "outage", 0]), ("deletePending", deletePending, ["acme", "outage"]),
            ("incident", incident, ["i"]), ("openIncident", openIncident, ["acme", "disk"]), ("log", log, ["i"]), ("timers", timers, []),
            ("removeTimer", removeTimer, ["t"]), ("dueItems", dueItems, [0]), ("outboxItem", outboxItem, ["k"]), ("markSending", markSending, ["k"]),
            ("openCount", openCount, []), ("tasks", tasks, ["i"]), ("pendingByDue", pendingByDue, []),
            ("updateDelivery", updateDelivery, ["failed", 1, 0, "x", "k"]), ("deliveries", deliveries, ["i"]), ("snapshot", snapshot, ["acme", "v1"]),
        ]
        for organisation in ["acme", nil] {
            for status in [IncidentState.Status.open, nil] {
                for after in [IncidentCursor(position: 10), nil] {
                    let query = IncidentQuery(organisation: organisation, status: status, after: after, limit: 100)
                    let (sql, arguments) = SQLiteIncidentStore.listing(query)
                    statements.append(("listing \(organisation ?? "all") \(status?.rawValue ?? "any") \(after == nil ? "first" : "after")", sql, arguments))
                }
            }
        }
        return statements
    }
}
