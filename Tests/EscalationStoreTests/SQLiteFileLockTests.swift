import EscalationStore
import Foundation
import Testing

/// One process claims a SQLite file; a second claim is refused with a message that says what to do, and the file is
/// free again once the first claim ends.
@Suite("SQLite file lock")
struct SQLiteFileLockTests {
    @Test("a second claim of the same file is refused until the first ends; another file is free")
    func exclusive() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("escalate.sqlite").path
        var first: SQLiteFileLock? = try SQLiteFileLock.acquire(path: path)
        #expect(first != nil)
        #expect(FileManager.default.fileExists(atPath: path))
        do {
            _ = try SQLiteFileLock.acquire(path: path)
            Issue.record("a second claim of a held file succeeded")
        } catch {
            #expect(error.cause == .held)
            #expect(error.path == path)
            #expect(error.description.contains("in use by another escalate serve"))
            #expect(error.description.contains("postgres://"))
        }
        let other = try SQLiteFileLock.acquire(path: folder.appendingPathComponent("other.sqlite").path)
        withExtendedLifetime(other) {}
        first = nil
        let again = try SQLiteFileLock.acquire(path: path)
        withExtendedLifetime(again) {}
        // A SQLite store opens the claimed file as usual.
        let store = try SQLiteIncidentStore(path: path)
        withExtendedLifetime((again, store)) {}
    }

    @Test("a file that cannot be opened is refused with the reason, not as held")
    func unopenable() {
        do {
            _ = try SQLiteFileLock.acquire(path: "/nonexistent-folder-\(UUID().uuidString)/escalate.sqlite")
            Issue.record("a file in a missing folder was claimed")
        } catch {
            #expect(error.cause == .unavailable)
            #expect(error.description.contains("cannot open the database file"))
        }
    }
}
