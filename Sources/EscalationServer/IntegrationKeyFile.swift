import Crypto
import Foundation

/// The integration key file `serve --integration-keys FILE` reads, edited through the API: a key is made at random,
/// only its SHA-256 is written (`ORGANISATION[/POLICY] SHA256`), and it is revoked by removing its line. A key's id is
/// the first 12 hex digits of its hash, so a key can be named without being shown again. Edits are serialised.
public actor IntegrationKeyFile {
    /// One key in the file.
    public struct Entry: Sendable, Hashable {
        /// The first 12 hex digits of the key's SHA-256 (for `${env:NAME}` lines: `env:NAME`).
        public var id: String
        /// Where its events go.
        public var route: IntegrationRoute
    }

    /// Why an edit failed.
    public struct EditError: Error, CustomStringConvertible {
        /// What went wrong, for the API's error body.
        public var description: String
    }

    /// The file's path.
    public let path: String

    /// A key file at `path` (created on the first key, mode 0600).
    public init(path: String) { self.path = path }

    /// The keys of one organisation.
    public func list(organisation: String) throws(EditError) -> [Entry] {
        try lines().compactMap(Self.entry).filter { $0.route.organisation == organisation }
    }

    /// Makes a key for `route`, writes its hash, and returns the key (shown this once) with its entry.
    public func add(_ route: IntegrationRoute) throws(EditError) -> (key: String, entry: Entry) {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let key = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let hash = ServerConfiguration.hash(token: key)
        try write(lines() + ["\(route) \(hash)"])
        return (key, Entry(id: String(hash.prefix(12)), route: route))
    }

    /// Removes the organisation's key with this id; false when it has none.
    public func remove(id: String, organisation: String) throws(EditError) -> Bool {
        let all = try lines()
        let kept = all.filter { line in Self.entry(line).map { !($0.id == id && $0.route.organisation == organisation) } ?? true }
        guard kept.count < all.count else { return false }
        try write(kept)
        return true
    }

    private func lines() throws(EditError) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EditError(description: "cannot read the integration key file")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Writes the lines to a temporary file (mode 0600) and renames it over the file, so a reader never sees half.
    private func write(_ lines: [String]) throws(EditError) {
        let temporary = path + ".tmp-\(UInt32.random(in: 0...UInt32.max))"
        let data = Data((lines.joined(separator: "\n") + "\n").utf8)
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw EditError(description: "cannot write the integration key file")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw EditError(description: "cannot replace the integration key file")
        }
    }

    /// The entry of a line (`ROUTE HASH` or `ROUTE ${env:NAME}`, comments ignored); nil for blank or malformed lines.
    static func entry(_ line: String) -> Entry? {
        let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 2, let route = IntegrationRoute(parsing: parts[0]) else { return nil }
        let value = parts[1]
        if value.hasPrefix("${env:"), value.hasSuffix("}") { return Entry(id: "env:\(value.dropFirst(6).dropLast())", route: route) }
        return Entry(id: String(value.prefix(12)), route: route)
    }
}
