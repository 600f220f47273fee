import EscalationCore
import EscalationLint
import EscalationPipeline
import EscalationPolicy
import Foundation
import Testing

/// The pipeline lists each organisation's folder on the core that reads it (`PolicyLoader.candidates`, `files(of:)`,
/// `organisations(_:listed:)`) instead of discovering every organisation first. This pins its output against the
/// pipeline as it was, kept here as the oracle: `discover`, then each group read, linted and compiled in order, the
/// first error thrown. 300 random trees hold organisation folders with valid, broken and non-UTF-8 files, empty
/// folders, `tests` and hidden folders, links, and paths that do not exist.
@Suite("Policy pipeline: discovery on every core")
struct PipelineDiscoveryTests {
    /// The pipeline as it was: every organisation discovered first, then read one by one in order.
    static func oldRun(_ paths: [String]) throws(PolicyLoader.IOError) -> [PolicyPipeline.Compiled] {
        let loader = PolicyLoader()
        var organisations: [PolicyPipeline.Compiled] = []
        for files in try loader.discover(paths) {
            organisations.append(PolicyPipeline(versions: false).process(try loader.load(organisationFiles: files)))
        }
        var first: [String: Int] = [:]
        for index in organisations.indices {
            let id = organisations[index].graph.organisation
            guard let earlier = first[id] else {
                first[id] = index
                continue
            }
            let there = organisations[earlier].organisation.header?.location.description ?? organisations[earlier].organisation.displayName
            organisations[index].diagnostics.append(
                LoadProblem.duplicateID(
                    "organisation '\(id)' is already declared at \(there)",
                    at: organisations[index].organisation.header?.location,
                    hint: "give each organisation folder its own 'organisation: { id: … }'"))
        }
        return organisations
    }

    /// A run's outcome as text: each organisation's files and diagnostics, or the error's cause and path.
    static func outcome(_ run: () throws(PolicyLoader.IOError) -> [PolicyPipeline.Compiled]) -> String {
        do throws(PolicyLoader.IOError) {
            return try run().map { "\($0.sources.map(\.path)) \($0.diagnostics.map(\.description))" }.joined(separator: "\n")
        } catch {
            return "error \(error.cause == .missing ? "missing" : error.cause == .empty ? "empty" : error.cause == .notUTF8 ? "notUTF8" : "unreadable") \(error.path)"
        }
    }

    static func randomTree(at root: URL, _ rng: inout SplitMix64) throws {
        let manager = FileManager.default
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        var folders = [root]
        let names = ["a", "b", "org-1", "org-2", "tests", ".hidden", "sub", "c"]
        for _ in 0..<(1 + Int(rng.next() % 7)) {
            let folder = pick(folders).appendingPathComponent(pick(names))
            guard !manager.fileExists(atPath: folder.path) else { continue }
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            folders.append(folder)
        }
        let files = ["p.yaml", "q.yml", "notes.txt", ".h.yaml", "s.yaml"]
        let texts: [[UInt8]] = [
            Array("organisation: { id: o, name: O, timezone: UTC }\ncontacts:\n  ann: { email: ann@example.com }\n".utf8),
            Array("organisation: { id: o2, name: O }\n".utf8),
            Array("contacts:\n  bob: { email: [\n".utf8),
            Array("organisation: { id: o, name: O, timezone: UTC }\n".utf8),
            Array("groups:\n  g: { members: [ann] }\n".utf8),
            [0x6f, 0x3a, 0x20, 0xff, 0x0a],
        ]
        for _ in 0..<Int(rng.next() % 9) {
            let file = pick(folders).appendingPathComponent(pick(files))
            guard !manager.fileExists(atPath: file.path) else { continue }
            try Data(pick(texts)).write(to: file)
        }
        if rng.next() % 3 == 0 {
            let link = pick(folders).appendingPathComponent("link")
            if !manager.fileExists(atPath: link.path), (try? manager.destinationOfSymbolicLink(atPath: link.path)) == nil {
                try manager.createSymbolicLink(at: link, withDestinationURL: pick(folders))
            }
        }
    }

    @Test("300 random trees: the same organisations, diagnostics and first error as discovering everything first")
    func randomTrees() throws {
        var rng = SplitMix64(seed: 0x0d15_c0e7)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-pipeline-discovery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        var organisations = 0
        var errors: [String: Int] = [:]
        for round in 0..<300 {
            let root = base.appendingPathComponent("t\(round)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try Self.randomTree(at: root, &rng)
            var paths = [root.path]
            switch rng.next() % 5 {
            case 0: paths.append(root.appendingPathComponent("a").path)
            case 1: paths.insert(root.appendingPathComponent("missing").path, at: Int(rng.next() % 2))
            case 2: paths.append(root.appendingPathComponent("org-1").path)
            default: break
            }
            let new = Self.outcome { () throws(PolicyLoader.IOError) in try PolicyPipeline(versions: false).run(paths: paths).organisations }
            let old = Self.outcome { () throws(PolicyLoader.IOError) in try Self.oldRun(paths) }
            #expect(new == old, "round \(round): \(paths)")
            if new.hasPrefix("error ") {
                errors[String(new.dropFirst(6).prefix { $0 != " " }), default: 0] += 1
            } else {
                organisations += new.split(separator: "\n").count
            }
        }
        // The draws reach organisations and each kind of error.
        #expect(organisations > 50, "\(organisations) \(errors)")
        #expect(errors["missing", default: 0] > 10)
        #expect(errors["empty", default: 0] > 10)
        #expect(errors["notUTF8", default: 0] > 10)
    }
}
