import ArgumentParser
import EscalationStore
import EscalationStorePostgres
import Logging

/// The `--db` option's value: a SQLite file, or a `postgres://` URL (a store several processes share).
enum DatabaseOption {
    /// Opens the store `--db` names (SQLite: the file claimed for this process, the claim returned to hold while
    /// serving; PostgreSQL: connected, migrated, heartbeat running); exits 2 with a message that never shows the
    /// password when it cannot.
    static func open(_ db: String, leaseSeconds: Int = 15, logger: Logger) async throws -> (store: any IncidentStore, claim: SQLiteFileLock?) {
        guard PostgresLocation.isPostgres(db) else {
            let claim: SQLiteFileLock
            do { claim = try SQLiteFileLock.acquire(path: db) } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            do { return (try SQLiteIncidentStore(path: db), claim) } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
        }
        let store = try await postgres(db, leaseSeconds: leaseSeconds, logger: logger)
        do {
            try await store.start()
        } catch {
            await store.shutdown()
            printError("error: \(error); check --db \(PostgresLocation.redact(db)) (the server runs, the user and password are right, the database exists)")
            throw ExitCode(ExitStatus.usage)
        }
        return (store, nil)
    }

    /// A PostgreSQL store for a URL, not yet started.
    static func postgres(_ db: String, leaseSeconds: Int = 15, logger: Logger) async throws -> PostgresIncidentStore {
        let location: PostgresLocation
        do { location = try PostgresLocation(url: db) } catch {
            printError("error: --db: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        }
        var options = PostgresIncidentStore.Options()
        options.leaseSeconds = leaseSeconds
        return PostgresIncidentStore(location: location, options: options, logger: logger)
    }
}
