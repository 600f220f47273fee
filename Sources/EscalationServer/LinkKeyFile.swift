import Crypto
import Foundation

/// The file that keeps the keys signing action links, so links sent before a restart still work after it. One key
/// a line, 64 hex digits (`openssl rand -hex 32`): the first signs, the others still verify (to rotate, put a new
/// key on the first line and remove the old one when its links have expired). Created once, mode 0600.
public enum LinkKeyFile {
    /// Why the key file cannot be used; never holds a key.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// The keys in `path`, creating the file with a new random key when it is missing.
    public static func load(path: String) throws(Problem) -> (signing: SymmetricKey, previous: [SymmetricKey]) {
        if !FileManager.default.fileExists(atPath: path) { try create(path: path) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "cannot read the link key file \(path)")
        }
        var keys: [SymmetricKey] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            guard line.count == 64, let bytes = bytes(hex: line) else {
                throw Problem(description: "\(path):\(index + 1): a link key is 64 hex digits (make one with: openssl rand -hex 32)")
            }
            keys.append(SymmetricKey(data: bytes))
        }
        guard let signing = keys.first else { throw Problem(description: "\(path) holds no key; delete it to have a new one made, or add one (openssl rand -hex 32)") }
        return (signing, Array(keys.dropFirst()))
    }

    /// Writes a new random key to `path`, readable by its owner only from the start; when another process made the
    /// file first (both found it missing), its key is kept.
    static func create(path: String) throws(Problem) {
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() + "\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return }
            throw Problem(description: "cannot create the link key file \(path); give a writable place with --link-key")
        }
        defer { close(descriptor) }
        let bytes = Array(key.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else { throw Problem(description: "cannot write the link key file \(path)") }
    }

    static func bytes(hex: String) -> [UInt8]? {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
