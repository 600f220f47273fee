import EscalationExecutor
import EscalationStorePostgres
import Logging

/// Policy reloads across processes sharing a PostgreSQL database: a process that reloads (or starts) records its
/// policy versions in the database and notifies the others, which reload their own policy files; a process whose
/// versions differ from the cluster's says so in its log (its files differ).
enum ClusterPolicies {
    /// The `how` of a reload that another process's announcement caused (not announced again).
    static let announced = "announced by another process"

    /// Records this process's running versions as the cluster's and tells the other processes.
    static func announce(store: PostgresIncidentStore, executor: Executor, logger: Logger) async {
        do { try await store.announcePolicies(await executor.runningVersions) } catch {
            logger.error("the reload was not announced to the other processes (reload them by hand): \(error)")
        }
    }

    /// Compares this process's policies with the cluster's, announces them (a start is a deploy), and from then on
    /// reloads whenever another process announces a reload; returns the listening task (cancel it at shutdown).
    static func join(
        store: PostgresIncidentStore, executor: Executor, logger: Logger, reload: @escaping @Sendable (String) async -> Void
    ) async -> Task<Void, Never> {
        await compare(store: store, executor: executor, logger: logger)
        await announce(store: store, executor: executor, logger: logger)
        let announcements = store.policyAnnouncements()
        return Task {
            for await _ in announcements {
                await reload(announced)
                await compare(store: store, executor: executor, logger: logger)
            }
        }
    }

    /// Logs each organisation whose running versions differ from those the cluster last announced.
    static func compare(store: PostgresIncidentStore, executor: Executor, logger: Logger) async {
        guard let cluster = try? await store.announcedPolicies() else { return }
        for (organisation, mine) in await executor.runningVersions {
            guard let theirs = cluster[organisation], theirs.versions != mine, theirs.owner != store.owner else { continue }
            logger.warning(
                "this process runs other policy versions of \(organisation) than the process that last announced them (\(theirs.owner)); give every process the same policy files",
                metadata: ["organisation": "\(organisation)", "mine": "\(mine)", "cluster": "\(theirs.versions)"])
        }
    }
}
