import Foundation
import Testing

@testable import FileChannel

@Suite("JSON-lines file held open between lines")
struct JSONLinesFileHeldTests {
    /// What happens to the file between two appends, done alike to the held file's and the oracle's.
    enum Step: CaseIterable {
        case append, appendMore, otherWriter, partialLine, rotate, replace, truncate, emptyFile
    }

    /// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func text(_ random: inout Generator, newline: Bool) -> Data {
        let alphabet = Array("{}\":,abcxyz0123 ".utf8) + [0x0A]
        var bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? 0x61 }
        if newline { bytes.append(0x0A) }
        return Data(bytes)
    }

    static func appendRaw(_ data: Data, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.close()
    }

    @Test("line numbers and bytes are those of opening the path for every line, over rotations, replacements, truncations and other writers")
    func sameAsReopening() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("json-lines-held-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var steps = 0
        for seed in 0..<40 {
            var random = Generator(state: UInt64(seed))
            let held = root.appendingPathComponent("\(seed)/held")
            let oracle = root.appendingPathComponent("\(seed)/oracle")
            try FileManager.default.createDirectory(at: held, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: oracle, withIntermediateDirectories: true)
            let file = JSONLinesFile.shared(held.appendingPathComponent("out.jsonl").path)
            let reopening = ReopeningJSONLinesFile(path: oracle.appendingPathComponent("out.jsonl").path)
            var moved = 0
            for _ in 0..<100 {
                steps += 1
                let step = Step.allCases.randomElement(using: &random) ?? .append
                // Renamed files are kept, never deleted, so no inode is freed and reused by the next file in one folder
                // and not in the other (the oracle's inode check would then see another file as the same).
                let data = Self.text(&random, newline: step != .partialLine)
                let keep = Int.random(in: 0...200, using: &random)
                moved += 1
                for folder in [held, oracle] {
                    let path = folder.appendingPathComponent("out.jsonl").path
                    let exists = FileManager.default.fileExists(atPath: path)
                    switch step {
                    case .append, .appendMore: break
                    case .otherWriter, .partialLine: try Self.appendRaw(data, to: path)
                    case .rotate: if exists { try FileManager.default.moveItem(atPath: path, toPath: "\(path).\(moved)") }
                    case .replace:
                        try data.write(to: URL(fileURLWithPath: "\(path).new"))
                        if exists { try FileManager.default.moveItem(atPath: path, toPath: "\(path).\(moved)") }
                        try FileManager.default.moveItem(atPath: "\(path).new", toPath: path)
                    case .truncate:
                        if exists, let handle = FileHandle(forWritingAtPath: path) {
                            let size = try handle.seekToEnd()
                            try handle.truncate(atOffset: min(size, UInt64(keep)))
                            try handle.close()
                        }
                    case .emptyFile:
                        if exists { try FileManager.default.moveItem(atPath: path, toPath: "\(path).\(moved)") }
                        FileManager.default.createFile(atPath: path, contents: nil)
                    }
                }
                let line = Self.text(&random, newline: true)
                let got: Int?
                switch file.append(line) {
                case .success(let number): got = number
                case .failure: got = nil
                }
                #expect(got == reopening.append(line), "seed \(seed), after \(step)")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: held.path).sorted()
            #expect(names == (try FileManager.default.contentsOfDirectory(atPath: oracle.path).sorted()), "seed \(seed)")
            for name in names {
                let mine = try Data(contentsOf: held.appendingPathComponent(name))
                let theirs = try Data(contentsOf: oracle.appendingPathComponent(name))
                #expect(mine == theirs, "seed \(seed), file \(name)")
            }
        }
        #expect(steps == 4_000)
    }
}
