#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An entry of a folder as the loader's discovery reads it: its name and, when the listing says, whether it is a
/// folder, so discovery asks the file system about each entry only when the listing does not tell (a symbolic link).
struct FolderEntry: Sendable {
    /// A folder's identity on its file system, so a folder reached twice (through a symbolic link) is read once.
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
    }

    /// What `stat` says of a path (following symbolic links, as `FileManager.fileExists(atPath:isDirectory:)` does).
    struct Status: Sendable {
        let isDirectory: Bool
        let identity: Identity
    }

    /// The entry's name.
    let name: String
    /// Whether the listing says it is a folder (nil: it does not say, e.g. a symbolic link).
    let listedAsDirectory: Bool?

    /// Whether the entry, at `path`, is a folder (a symbolic link to one counts; a broken link does not).
    func isDirectory(at path: String) -> Bool {
        listedAsDirectory ?? (Self.status(of: path)?.isDirectory ?? false)
    }

    /// The status of `path`, or nil when it does not exist or cannot be reached.
    static func status(of path: String) -> Status? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Status(
            isDirectory: (info.st_mode & S_IFMT) == S_IFDIR, identity: Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    /// The entries of a folder (without `.` and `..`) sorted by name, as `FileManager.contentsOfDirectory(atPath:)`
    /// sorted gives them; nil when the folder cannot be read.
    static func list(_ folder: String) -> [FolderEntry]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var entries: [FolderEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            let listed: Bool? = type == UInt8(DT_DIR) ? true : type == UInt8(DT_REG) ? false : nil
            entries.append(FolderEntry(name: name, listedAsDirectory: listed))
        }
        return entries.sorted { $0.name < $1.name }
    }
}
