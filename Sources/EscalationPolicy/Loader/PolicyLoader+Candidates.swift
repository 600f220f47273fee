import Foundation

extension PolicyLoader {
    /// One organisation that discovery may find: its files already listed, or a sub-folder of a folder of
    /// organisations whose files are listed later, possibly on another core (`files(of:)`), so that listing
    /// overlaps reading. `discover(_:)` is `candidates(_:)`, `files(of:)` for each, then `organisations(_:listed:)`.
    public struct Candidate: Sendable {
        enum Kind: Sendable {
            /// A policy file, or the files of a folder that holds policy files itself.
            case files([String])
            /// A sub-folder of a folder of organisations: an organisation when it holds policy files.
            case folder(String)
            /// The end of a folder of organisations' sub-folders: none held policy files is an error.
            case endOfFolder(String)
            /// Discovery stopped here (a missing path, an unreadable folder).
            case failed(IOError)
        }

        let kind: Kind
    }

    /// The candidates under the paths, in discovery order. Only the paths given (and a folder's own listing) are
    /// read here; the files of each sub-folder of a folder of organisations are left to `files(of:)`. Stops at
    /// the first path that cannot be read, which `organisations(_:listed:)` reports in its place.
    public func candidates(_ paths: [String]) -> [Candidate] {
        var candidates: [Candidate] = []
        for path in paths {
            guard let top = FolderEntry.status(of: path) else {
                candidates.append(Candidate(kind: .failed(IOError(.missing, path: path, "\(path): no such file or folder"))))
                return candidates
            }
            if !top.isDirectory {
                candidates.append(Candidate(kind: .files([path])))
                continue
            }
            do throws(IOError) {
                if !(try yamlFiles(in: path, recursive: false)).isEmpty {
                    candidates.append(Candidate(kind: .files(try yamlFiles(in: path, recursive: true))))
                    continue
                }
            } catch {
                candidates.append(Candidate(kind: .failed(error)))
                return candidates
            }
            for child in FolderEntry.list(path) ?? [] where child.name != "tests" && !child.name.hasPrefix(".") {
                let childPath = (path as NSString).appendingPathComponent(child.name)
                if child.isDirectory(at: childPath) { candidates.append(Candidate(kind: .folder(childPath))) }
            }
            candidates.append(Candidate(kind: .endOfFolder(path)))
        }
        return candidates
    }

    /// A candidate's policy files (none: a sub-folder without any, or a candidate that is no organisation).
    public func files(of candidate: Candidate) throws(IOError) -> [String] {
        switch candidate.kind {
        case .files(let files): return files
        case .folder(let folder): return try yamlFiles(in: folder, recursive: true)
        case .endOfFolder, .failed: return []
        }
    }

    /// The organisations among the candidates, given what `files(of:)` gave for each (in the same order): each
    /// one's index among the candidates and its files, in discovery order. Throws what discovery one path at a time
    /// throws: the first error in discovery order, or a folder of organisations none of which holds policy files.
    public static func organisations(_ candidates: [Candidate], listed: [Result<[String], IOError>]) throws(IOError) -> [(index: Int, files: [String])] {
        var organisations: [(index: Int, files: [String])] = []
        var found = false
        for (index, candidate) in candidates.enumerated() {
            switch candidate.kind {
            case .files:
                organisations.append((index, try listed[index].get()))
            case .folder:
                let files = try listed[index].get()
                if !files.isEmpty {
                    organisations.append((index, files))
                    found = true
                }
            case .endOfFolder(let path):
                if !found { throw IOError(.empty, path: path, "\(path): no policy files (*.yaml, *.yml) found in this folder or its sub-folders") }
                found = false
            case .failed(let error):
                throw error
            }
        }
        return organisations
    }
}
