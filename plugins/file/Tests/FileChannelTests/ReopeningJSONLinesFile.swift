import EscalationChannel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file plugin's append as it was before the file stayed open between lines (kept as the oracle of
/// `JSONLinesFileHeldTests`): it opens, locks, inspects, writes, unlocks and closes the path for every line.
final class ReopeningJSONLinesFile {
    let path: String
    private var known: (inode: UInt64, size: Int64, lines: Int)?

    init(path: String) { self.path = path }

    /// Appends one line and returns its 1-based line number, or nil on a failure.
    func append(_ line: Data) -> Int? {
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { return nil }
        defer { flock(fd, LOCK_UN) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let inode = UInt64(info.st_ino)
        let size = Int64(info.st_size)
        var lines: Int
        var lastByte: UInt8?
        if let known, known.inode == inode, known.size == size {
            lines = known.lines
            lastByte = size > 0 ? 0x0A : nil
        } else if let known, known.inode == inode, known.size < size {
            guard let tail = count(fd, from: known.size, to: size) else { return nil }
            lines = known.lines + tail.newlines
            lastByte = tail.last
        } else {
            guard let whole = count(fd, from: 0, to: size) else { return nil }
            lines = whole.newlines
            lastByte = whole.last
        }
        var payload = line
        if let lastByte, lastByte != 0x0A {
            payload.insert(0x0A, at: 0)
            lines += 1
        }
        let written = payload.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == payload.count else { return nil }
        lines += 1
        known = (inode, size + Int64(payload.count), lines)
        return lines
    }

    private func count(_ fd: Int32, from start: Int64, to end: Int64) -> (newlines: Int, last: UInt8?)? {
        var newlines = 0
        var last: UInt8?
        var offset = start
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while offset < end {
            let wanted = Int(min(Int64(buffer.count), end - offset))
            let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, off_t(offset)) }
            guard read > 0 else { return read == 0 ? (newlines, last) : nil }
            for byte in buffer[0..<read] where byte == 0x0A { newlines += 1 }
            last = buffer[read - 1]
            offset += Int64(read)
        }
        return (newlines, last)
    }
}
