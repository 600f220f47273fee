import EscalationCore
@testable import EscalationPolicy
import Foundation
import Testing

/// Discovery lists folders with `readdir` (a folder's type from the listing, `stat` only for links) and knows a folder
/// already read by its device and inode. This pins `PolicyLoader.discover` against discovery as it was (FileManager,
/// symbolic links resolved by path), kept here as the oracle, on 300 random trees of folders, YAML and other files,
/// hidden entries, `tests` folders, links to folders (loops among them), links to files and broken links.
@Suite("Folder discovery")
struct FolderDiscoveryTests {
    enum Failure: Error, Equatable {
        case missing(String), empty(String), unreadable(String)
    }

        static func oldDiscover(_ paths: [String]) throws -> [[String]] {
            var groups: [[String]] = []
            let manager = FileManager.default
            for path in paths {
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw Failure.missing("\(path): no such file or folder")
                }
                if !isDirectory.boolValue {
                    groups.append([path])
                    continue
                }
                let direct = try yamlFiles(in: path, recursive: false)
                if !direct.isEmpty {
                    groups.append(try yamlFiles(in: path, recursive: true))
                    continue
                }
                let children = (try? manager.contentsOfDirectory(atPath: path))?.sorted() ?? []
                var found = false
                for child in children where child != "tests" && !child.hasPrefix(".") {
                    let childPath = (path as NSString).appendingPathComponent(child)
                    var childIsDirectory: ObjCBool = false
                    guard manager.fileExists(atPath: childPath, isDirectory: &childIsDirectory), childIsDirectory.boolValue else { continue }
                    let files = try yamlFiles(in: childPath, recursive: true)
                    if !files.isEmpty {
                        groups.append(files)
                        found = true
                    }
                }
                if !found { throw Failure.empty("\(path): no policy files (*.yaml, *.yml) found in this folder or its sub-folders") }
            }
            return groups
        }

        static func yamlFiles(in folder: String, recursive: Bool) throws -> [String] {
            var visited = Set<String>()
            return try yamlFiles(in: folder, recursive: recursive, visited: &visited)
        }

        /// The YAML files of a folder; `visited` holds the real paths of folders already read, so a symbolic link
        /// that loops back (or reaches a folder twice) is read once.
        static func yamlFiles(in folder: String, recursive: Bool, visited: inout Set<String>) throws -> [String] {
            let manager = FileManager.default
            let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else { return [] }
            guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
                throw Failure.unreadable("\(folder): cannot read this folder")
            }
            var files: [String] = []
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = (folder as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
                if isDirectory.boolValue {
                    if recursive, name != "tests" { files += try yamlFiles(in: path, recursive: true, visited: &visited) }
                } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                    files.append(path)
                }
            }
            return files
        }

    /// What discovery gives: the groups, or the cause and path of the error.
    static func outcome(_ paths: [String]) -> String {
        do {
            return "\(try PolicyLoader().discover(paths))"
        } catch {
            return "\(error.cause == .missing ? "missing" : error.cause == .empty ? "empty" : "unreadable") \(error.path)"
        }
    }

    /// The oracle's outcome in the same form.
    static func oldOutcome(_ paths: [String]) -> String {
        do {
            return "\(try oldDiscover(paths))"
        } catch let failure as Failure {
            switch failure {
            case .missing(let text): return "missing \(text.prefix { $0 != ":" })"
            case .empty(let text): return "empty \(text.prefix { $0 != ":" })"
            case .unreadable(let text): return "unreadable \(text.prefix { $0 != ":" })"
            }
        } catch {
            return "other"
        }
    }

    /// A random tree under `root`: organisation folders with YAML and other files, sub-folders, hidden entries,
    /// `tests` folders, and links (to folders above and beside, to files, and to nothing).
    static func randomTree(at root: URL, _ rng: inout SplitMix64) throws {
        let manager = FileManager.default
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        var folders = [root]
        let names = ["a", "b", "org-1", "org-2", "tests", ".hidden", "Z", "é", "sub", "x y"]
        for _ in 0..<(2 + Int(rng.next() % 6)) {
            let parent = pick(folders)
            let folder = parent.appendingPathComponent(pick(names))
            guard !manager.fileExists(atPath: folder.path) else { continue }
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            folders.append(folder)
        }
        let files = ["p.yaml", "q.yml", "notes.txt", ".h.yaml", "r.YAML", "s.yaml"]
        for _ in 0..<Int(rng.next() % 10) {
            let file = pick(folders).appendingPathComponent(pick(files))
            guard !manager.fileExists(atPath: file.path) else { continue }
            try Data("organisation: { id: o }\n".utf8).write(to: file)
        }
        for index in 0..<Int(rng.next() % 3) {
            let link = pick(folders).appendingPathComponent("link\(index)\(pick([".yaml", "", "-dir"]))")
            guard (try? manager.destinationOfSymbolicLink(atPath: link.path)) == nil, !manager.fileExists(atPath: link.path) else { continue }
            switch rng.next() % 3 {
            case 0: try manager.createSymbolicLink(at: link, withDestinationURL: pick(folders))
            case 1: try manager.createSymbolicLink(at: link, withDestinationURL: pick(folders).appendingPathComponent(pick(files)))
            default: try manager.createSymbolicLink(at: link, withDestinationURL: root.appendingPathComponent("nowhere"))
            }
        }
    }

    @Test("300 random trees give the same groups and errors as FileManager")
    func randomTrees() async throws {
        var rng = SplitMix64(seed: 47)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-discover-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        var found = 0
        var failed = 0
        for round in 0..<300 {
            await Task.yield()  // a long test: lets the timing-sensitive tests that share the pool run
            let root = base.appendingPathComponent("t\(round)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try Self.randomTree(at: root, &rng)
            var paths = [root.path]
            if rng.next() % 4 == 0 { paths.append(root.appendingPathComponent("a").path) }
            let new = Self.outcome(paths)
            #expect(new == Self.oldOutcome(paths), "round \(round)")
            if new.hasPrefix("[") { found += 1 } else { failed += 1 }
        }
        // The draws reach both: trees with organisations, and errors.
        #expect(found > 50)
        #expect(failed > 20)
    }
}
