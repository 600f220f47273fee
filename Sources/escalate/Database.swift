import ArgumentParser

extension Escalate {
    /// `escalate db`: database administration.
    struct Database: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db", abstract: "Database administration (PostgreSQL schema migrations).", subcommands: [DatabaseMigrate.self])
    }
}
