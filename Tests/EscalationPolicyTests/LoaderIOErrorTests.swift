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

    @Test("a non-UTF-8 byte is located by line and column; UTF-16 with a byte order mark loads; a symbolic link loop is read once")
    func encodingsAndLinks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-enc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.yaml")
        try Data("organisation:\n  name: Caf".utf8 + [0xE9] + Data("\n".utf8)).write(to: bad)
        do {
            _ = try PolicyLoader().load(paths: [bad.path])
            Issue.record("a latin-1 file loaded")
        } catch {
            #expect(error.description.contains("bad.yaml:2:12"), "\(error.description)")
        }
        let org = "organisation: { id: acme, name: Acme, timezone: UTC }\n"
        let utf16 = folder.appendingPathComponent("utf16.yaml")
        try (Data([0xFF, 0xFE]) + (org.data(using: .utf16LittleEndian) ?? Data())).write(to: utf16)
        let loaded = try PolicyLoader().load(paths: [utf16.path])
        #expect(loaded.first?.organisation.header?.id.value == "acme")
        let tree = folder.appendingPathComponent("acme")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try org.write(to: tree.appendingPathComponent("org.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: tree.appendingPathComponent("loop"), withDestinationURL: tree)
        let looped = try PolicyLoader().load(paths: [tree.path])
        #expect(looped.first?.organisation.files.count == 1)
        #expect(looped.first?.diagnostics.isEmpty == true, "\(looped.first?.diagnostics.map(\.description) ?? [])")
    }
}
