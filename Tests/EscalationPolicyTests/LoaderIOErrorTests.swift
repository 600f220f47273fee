import EscalationPolicy
import Foundation
import Testing

/// Loading problems carry a cause callers compare, not text they search.
@Suite("Loader I/O errors")
struct LoaderIOErrorTests {
    @Test("a missing path, an empty folder and a non-UTF-8 file each say their cause and path")
    func causes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func cause(_ path: String) -> (PolicyLoader.IOError.Cause, String)? {
            do {
                _ = try PolicyLoader().load(paths: [path])
                return nil
            } catch {
                return (error.cause, error.path)
            }
        }
        let missing = folder.appendingPathComponent("nope").path
        #expect(cause(missing).map { $0.0 == .missing && $0.1 == missing } == true)
        #expect(cause(folder.path)?.0 == .empty)
        let latin1 = folder.appendingPathComponent("org.yaml")
        try Data([0x6f, 0x72, 0x67, 0x3a, 0x20, 0xe9, 0x0a]).write(to: latin1)
        #expect(cause(latin1.path)?.0 == .notUTF8)
    }
}
