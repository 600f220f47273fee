import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one command to completion off the Swift concurrency pool: writes its standard input, collects its output,
/// and stops it at a deadline or on cancellation (SIGTERM to its process group, SIGKILL after a grace period; once the
/// command has exited, SIGKILL to what is left of its group, so no grandchild outlives an abandoned delivery).
struct ProcessRunner: Sendable {
    /// How a run ended.
    struct Outcome: Sendable {
        /// How the process ended.
        enum Termination: Sendable, Equatable {
            /// It exited with a status.
            case exited(Int32)
            /// A signal killed it.
            case signalled(Int32)
            /// It ended, but its status was taken by someone else (another part of the process reaping every child).
            case unknown
        }

        /// How the process ended.
        var termination: Termination
        /// Whether the deadline passed and the process was sent SIGTERM.
        var timedOut: Bool
        /// Whether it also had to be sent SIGKILL.
        var killed: Bool
        /// Whether it was stopped because the delivery was cancelled rather than at its deadline.
        var cancelled = false
        /// Standard output (at most `outputLimit` bytes).
        var stdout: Data
        /// Standard error (at most `outputLimit` bytes).
        var stderr: Data
        /// How long it ran, in seconds.
        var seconds: Double
    }

    /// Why the command could not be started.
    struct SpawnError: Error, Sendable {
        /// The system's reason.
        var code: Int32
        /// The reason as text.
        var description: String { String(cString: strerror(code)) }
    }

    /// The program: a path, or a name looked up in PATH.
    var executable: String
    /// Arguments after the program name.
    var arguments: [String]
    /// The complete environment of the process.
    var environment: [String: String]
    /// Seconds until SIGTERM.
    var timeout: Double
    /// Seconds between SIGTERM and SIGKILL.
    var killGrace: Double = 2
    /// Bytes kept of each output stream.
    var outputLimit = 1 << 20
    /// Seconds to keep reading output after the process exited (for output held open by its background children).
    var drainGrace: Double = 0.5

    /// Runs the command with `input` on its standard input on a thread of its own (not the concurrency pool, nor
    /// Dispatch's, which on Linux is as wide as the machine has cores); the calling task is suspended, not blocked.
    /// Cancelling the task stops the command as its deadline would (SIGTERM, then SIGKILL), so an abandoned delivery
    /// does not keep running beside its retry.
    func run(input: Data) async -> Result<Outcome, SpawnError> {
        let stop = StopFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread { continuation.resume(returning: runBlocking(input: input, stop: stop)) }
                thread.name = "escalate-exec"
                thread.start()
            }
        } onCancel: {
            stop.set()
        }
    }

    /// Set from another thread to stop a run early.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        /// Asks the run to stop.
        func set() { lock.withLock { value = true } }
        /// Whether it was asked to.
        var isSet: Bool { lock.withLock { value } }
    }

    /// Runs the command on the current thread.
    func runBlocking(input: Data, stop: StopFlag = StopFlag()) -> Result<Outcome, SpawnError> {
        guard let stdin = Self.socketPair(), let stdout = Self.socketPair(), let stderr = Self.socketPair() else {
            return .failure(SpawnError(code: errno))
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let spawned = spawn(stdin: stdin.1, stdout: stdout.1, stderr: stderr.1)
        close(stdin.1)
        close(stdout.1)
        close(stderr.1)
        let pid: pid_t
        switch spawned {
        case .success(let child): pid = child
        case .failure(let error):
            [stdin.0, stdout.0, stderr.0].forEach { _ = close($0) }
            return .failure(error)
        }
        for fd in [stdin.0, stdout.0, stderr.0] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        var input = input
        var inputFD: Int32? = stdin.0
        var outputs: [(fd: Int32?, data: Data)] = [(stdout.0, Data()), (stderr.0, Data())]
        var termination: Outcome.Termination?
        var exitedAt: UInt64 = 0
        var termSentAt: UInt64?
        var killed = false
        var cancelled = false
        let deadline = started + UInt64(max(0, timeout) * 1e9)
        let grace = UInt64(killGrace * 1e9)

        if input.isEmpty, let fd = inputFD {
            close(fd)
            inputFD = nil
        }
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            if termination == nil {
                if termSentAt == nil, now >= deadline || stop.isSet {
                    Self.signal(pid, SIGTERM)
                    termSentAt = now
                    cancelled = now < deadline
                } else if let sent = termSentAt, !killed, now >= sent + grace {
                    Self.signal(pid, SIGKILL)
                    killed = true
                }
                var status: Int32 = 0
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid {
                    termination = Self.termination(status)
                    exitedAt = now
                } else if waited < 0, errno == ECHILD {
                    termination = .unknown
                    exitedAt = now
                }
                // A stopped command's own children go with it: whatever of its process group outlived it (a helper
                // that ignores SIGTERM, a background send) is killed, so nothing of an abandoned delivery keeps
                // running beside its retry or the fallback channel (which would page twice).
                if termination != nil, termSentAt != nil { Self.killGroup(pid) }
            }
            let outputsOpen = outputs.contains { $0.fd != nil }
            if termination != nil, !outputsOpen || now >= exitedAt + UInt64(drainGrace * 1e9) { break }

            var polled: [pollfd] = []
            if let fd = inputFD { polled.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            for output in outputs { if let fd = output.fd { polled.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) } }
            if polled.isEmpty {
                usleep(10_000)
                continue
            }
            _ = poll(&polled, nfds_t(polled.count), 20)
            for entry in polled where entry.revents != 0 {
                if entry.fd == inputFD {
                    if Self.writeSome(entry.fd, &input) { close(entry.fd); inputFD = nil }
                    continue
                }
                guard let index = outputs.firstIndex(where: { $0.fd == entry.fd }) else { continue }
                if Self.readSome(entry.fd, into: &outputs[index].data, limit: outputLimit) {
                    close(entry.fd)
                    outputs[index].fd = nil
                }
            }
        }
        if let fd = inputFD { close(fd) }
        for output in outputs { if let fd = output.fd { close(fd) } }
        if termSentAt != nil { Self.killGroup(pid) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return .success(
            Outcome(
                termination: termination ?? .unknown, timedOut: termSentAt != nil, killed: killed, cancelled: cancelled, stdout: outputs[0].data,
                stderr: outputs[1].data, seconds: seconds))
    }

    /// Starts the process in its own process group with default signal handling and the given standard streams.
    private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) -> Result<pid_t, SpawnError> {
        #if os(Linux)
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #else
            var actions: posix_spawn_file_actions_t?
            var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        var result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        // ETXTBSY: another thread's child, between fork and exec, briefly holds the program open for writing
        // (right after the program was written). It clears within microseconds; try a few more times.
        var attempts = 0
        while result == ETXTBSY, attempts < 5 {
            attempts += 1
            usleep(UInt32(10_000 * attempts))
            result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        }
        return result == 0 ? .success(pid) : .failure(SpawnError(code: result))
    }

    /// A connected pair of sockets closed on exec (stand-ins for pipes: atomic close-on-exec, and no SIGPIPE on send).
    private static func socketPair() -> (Int32, Int32)? {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { return nil }
        #if !os(Linux)
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                var on: Int32 = 1
                _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
            }
        #endif
        return (fds[0], fds[1])
    }

    /// Sends what it can of `input`; true when done (all sent, or the reader went away).
    private static func writeSome(_ fd: Int32, _ input: inout Data) -> Bool {
        #if os(Linux)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        let sent = input.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, flags) }
        if sent < 0 { return !(errno == EAGAIN || errno == EINTR) }
        input.removeFirst(sent)
        return input.isEmpty
    }

    /// Reads what is available, keeping at most `limit` bytes; true at end of file or on error.
    private static func readSome(_ fd: Int32, into data: inout Data, limit: Int) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return !(errno == EAGAIN || errno == EINTR) }
            if count == 0 { return true }
            if data.count < limit { data.append(contentsOf: buffer[0..<min(count, limit - data.count)]) }
        }
    }

    /// Signals the process and its process group (the group is the process id, set at spawn).
    private static func signal(_ pid: pid_t, _ signal: Int32) {
        kill(-pid, signal)
        kill(pid, signal)
    }

    /// Kills what is left of a process group whose leader has exited (the group id stays reserved while any member
    /// lives, so this reaches only the command's own descendants that stayed in its group).
    private static func killGroup(_ group: pid_t) {
        kill(-group, SIGKILL)
    }

    /// Decodes a `waitpid` status.
    private static func termination(_ status: Int32) -> Outcome.Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
