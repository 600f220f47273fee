import ArgumentParser
import EscalationStorePostgres
import Foundation
import Logging

extension Escalate {
    /// `escalate db migrate --db postgres://…`: brings the database's schema to this build's version.
    struct DatabaseMigrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply the schema migrations a PostgreSQL database lacks (serve applies them too; safe to run while others serve).")

        @Option(help: ArgumentHelp("The database: postgres://USER:PASSWORD@HOST:PORT/DATABASE.", valueName: "url"))
        var db: String

        func run() async throws {
            guard PostgresLocation.isPostgres(db) else {
                printError("error: --db must be a postgres:// URL (a SQLite file is migrated when serve opens it)")
                throw ExitCode(ExitStatus.usage)
            }
            let store = try await DatabaseOption.postgres(db, logger: Logger(label: "escalate.db"))
            do {
                try await store.start(migrate: false)
                let before = try await store.databaseSchemaVersion()
                let applied = try await store.migrate()
                await store.shutdown()
                if applied.isEmpty {
                    print("\(store.location): schema at version \(before), nothing to apply")
                } else {
                    print("\(store.location): schema migrated from version \(before) to \(PostgresIncidentStore.schemaVersion) (applied \(applied.map(String.init).joined(separator: ", ")))")
                }
            } catch {
                await store.shutdown()
                printError("error: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}
