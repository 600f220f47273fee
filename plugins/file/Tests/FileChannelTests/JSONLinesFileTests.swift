import Foundation
import Testing

@testable import FileChannel

@Suite("JSON-lines file registry")
struct JSONLinesFileTests {
    @Test("one instance per file however its path is spelled, found again by the path as given")
    func oneInstancePerFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("json-lines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("deliveries.jsonl").path
        let dotted = folder.path + "/./sub/../deliveries.jsonl"
        let first = JSONLinesFile.shared(plain)
        #expect(JSONLinesFile.shared(plain) === first)
        #expect(JSONLinesFile.shared(dotted) === first)
        #expect(JSONLinesFile.shared(dotted) === first)
        #expect(JSONLinesFile.shared(folder.appendingPathComponent("other.jsonl").path) !== first)
    }
}
