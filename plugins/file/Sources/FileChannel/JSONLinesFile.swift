import EscalationChannel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON-lines file appended to under a lock: one per path in the process (NSLock), plus `flock` against other
/// processes, so concurrent records never interleave. Counts lines incrementally to number each record.
final class JSONLinesFile: @unchecked Sendable {
    /// The file's path as given.
    let path: String
    private let lock = NSLock()
    /// What the file looked like after our last append: its inode, size and number of lines.
    private var known: (inode: UInt64, size: Int64, lines: Int)?
    /// The file held open between appends: its descriptor, and the device and inode the path named when it was opened.
    private var held: (fd: Int32, device: UInt64, inode: UInt64)?

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: JSONLinesFile] = [:]
    /// The instance found for each path as given, so a delivery does not standardise its path (a `URL` round trip
    /// per line) to find the file it appends to.
    nonisolated(unsafe) private static var byGivenPath: [String: JSONLinesFile] = [:]

    private init(path: String) { self.path = path }

    deinit {
        if let held { close(held.fd) }
    }

    /// The one instance for this path (so every channel writing to one file shares its lock).
    static func shared(_ path: String) -> JSONLinesFile {
        if let file = registryLock.withLock({ byGivenPath[path] }) { return file }
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        registryLock.lock()
        defer { registryLock.unlock() }
        let file = registry[key] ?? JSONLinesFile(path: path)
        registry[key] = file
        byGivenPath[path] = file
        return file
    }

    /// Appends one line (which ends in a newline) and returns its 1-based line number.
    ///
    /// The file stays open between lines. Each append locks it, then checks that the path still names the file held
    /// open (a rotated, replaced or deleted file is closed and the path opened again, created if missing), so a line
    /// goes where opening the path anew would have put it, with two system calls fewer than an `open` and a `close`.
    func append(_ line: Data) -> Result<Int, DeliveryFailure> {
        lock.lock()
        defer { lock.unlock() }
        if let held {
            if flock(held.fd, LOCK_EX) == 0 {
                var info = stat()
                if stat(path, &info) == 0, UInt64(info.st_dev) == held.device, UInt64(info.st_ino) == held.inode {
                    let result = append(line, to: held.fd, size: Int64(info.st_size), inode: held.inode)
                    flock(held.fd, LOCK_UN)
                    if case .failure = result { closeHeld() }
                    return result
                }
                flock(held.fd, LOCK_UN)
            }
            closeHeld()
        }
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(failure("cannot open", errno)) }
        guard flock(fd, LOCK_EX) == 0 else {
            let code = errno
            close(fd)
            return .failure(failure("cannot lock", code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            return .failure(failure("cannot inspect", code))
        }
        let inode = UInt64(info.st_ino)
        let result = append(line, to: fd, size: Int64(info.st_size), inode: inode)
        flock(fd, LOCK_UN)
        if case .failure = result {
            close(fd)
        } else {
            held = (fd, UInt64(info.st_dev), inode)
        }
        return result
    }

    /// Closes the file held open (the next append opens the path again).
    private func closeHeld() {
        if let held { close(held.fd) }
        held = nil
    }

    /// Appends `line` to the locked file `fd`, of `size` bytes, counting the lines written since the last append.
    private func append(_ line: Data, to fd: Int32, size: Int64, inode: UInt64) -> Result<Int, DeliveryFailure> {
        var lines: Int
        var lastByte: UInt8?
        if let known, known.inode == inode, known.size == size {
            lines = known.lines
            lastByte = size > 0 ? 0x0A : nil
        } else if let known, known.inode == inode, known.size < size {
            guard let tail = count(fd, from: known.size, to: size) else { return .failure(failure("cannot read", errno)) }
            lines = known.lines + tail.newlines
            lastByte = tail.last
        } else {
            guard let whole = count(fd, from: 0, to: size) else { return .failure(failure("cannot read", errno)) }
            lines = whole.newlines
            lastByte = whole.last
        }
        var payload = line
        if let lastByte, lastByte != 0x0A {
            // Someone left a partial line; finish it so our record starts on its own line.
            payload.insert(0x0A, at: 0)
            lines += 1
        }
        if let error = writeAll(fd, payload) { return .failure(failure("cannot write to", error)) }
        lines += 1
        known = (inode, size + Int64(payload.count), lines)
        return .success(lines)
    }

    /// The number of newlines in bytes [start, end) of the file, and the last byte read.
    private func count(_ fd: Int32, from start: Int64, to end: Int64) -> (newlines: Int, last: UInt8?)? {
        var newlines = 0
        var last: UInt8?
        var offset = start
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while offset < end {
            let wanted = Int(min(Int64(buffer.count), end - offset))
            let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, off_t(offset)) }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { return read == 0 ? (newlines, last) : nil }
            for byte in buffer[0..<read] where byte == 0x0A { newlines += 1 }
            last = buffer[read - 1]
            offset += Int64(read)
        }
        return (newlines, last)
    }

    /// Writes every byte, retrying short writes; returns errno on failure.
    private func writeAll(_ fd: Int32, _ data: Data) -> Int32? {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int32? in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }

    /// A failure naming the file and the system error; full disks and I/O errors are worth retrying.
    private func failure(_ what: String, _ code: Int32) -> DeliveryFailure {
        let retryable = [ENOSPC, EIO, EAGAIN, EINTR, EMFILE, ENFILE, EDQUOT, ENOLCK].contains(code)
        return DeliveryFailure(retryable: retryable, reason: "\(what) \(path): \(String(cString: strerror(code)))")
    }
}
