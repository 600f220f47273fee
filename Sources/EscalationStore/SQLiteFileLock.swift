#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive claim of one SQLite database file by one process, held until released or until the process ends
/// (the kernel drops it when the process dies, even by SIGKILL). `serve` holds it for as long as it runs: the executor
/// keeps the dedup keys and reply codes of open incidents in memory, which is right only while no other process writes
/// the file. It is an advisory `flock` on the database file, separate from SQLite's own byte-range locks.
public final class SQLiteFileLock: Sendable {
    /// Why the file could not be claimed.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        /// The database file.
        public let path: String
        /// Whether another process holds it (otherwise the file could not be opened or locked).
        public let heldElsewhere: Bool
        /// What went wrong and what to do.
        public let description: String
    }

    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Claims `path` (created empty when missing, as SQLite would), or throws at once when another process holds it.
    public static func acquire(path: String) throws(Refused) -> SQLiteFileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw Refused(path: path, heldElsewhere: false, description: "cannot open the database file \(path): \(reason)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw Refused(path: path, heldElsewhere: false, description: "cannot lock the database file \(path): \(String(cString: strerror(code)))")
            }
            throw Refused(
                path: path, heldElsewhere: true,
                description:
                    "the database file \(path) is in use by another escalate serve; a SQLite file serves one process (stop the other, choose another --db, or share a postgres:// store between processes)"
            )
        }
        return SQLiteFileLock(descriptor: descriptor)
    }

    deinit {
        close(descriptor)
    }
}
