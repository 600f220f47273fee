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
    /// Why the file could not be claimed; callers compare `cause`, never the text.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        /// The cause, a struct over a private enum so adding one breaks no caller.
        public struct Cause: Sendable, Hashable {
            private enum Value: Sendable, Hashable { case held, unavailable }
            private let value: Value
            /// Another process holds the file.
            public static let held = Cause(value: .held)
            /// The file could not be opened or locked (a missing folder, no permission, no locks on this file system).
            public static let unavailable = Cause(value: .unavailable)
        }

        /// Why.
        public let cause: Cause
        /// The database file.
        public let path: String
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
            throw Refused(cause: .unavailable, path: path, description: "cannot open the database file \(path): \(reason)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw Refused(cause: .unavailable, path: path, description: "cannot lock the database file \(path): \(String(cString: strerror(code)))")
            }
            throw Refused(
                cause: .held, path: path,
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
