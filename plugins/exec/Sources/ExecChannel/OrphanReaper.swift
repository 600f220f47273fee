import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds and kills commands a crashed server left running. Each command is started with its delivery's idempotency
/// key in `ESCALATE_DELIVERY_KEY`, which its descendants inherit, so a restarted server can recognise what belongs to
/// an interrupted delivery by that marker rather than by a recorded pid (which another program may have reused).
/// Reads `/proc` (Linux); elsewhere it finds nothing.
struct OrphanReaper {
    /// The environment variable naming the delivery a command runs for.
    static let variable = "ESCALATE_DELIVERY_KEY"

    /// Where processes are listed.
    var proc = "/proc"

    /// Kills every process group holding a process whose environment names one of `keys`; returns the keys found.
    func stop(_ keys: Set<String>) -> Set<String> {
        guard !keys.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: proc) else { return [] }
        var found: Set<String> = []
        let own = getpid()
        for entry in entries {
            guard let pid = pid_t(entry), pid != own, let key = deliveryKey(of: pid), keys.contains(key) else { continue }
            // The group first (the command and what it started), then the process itself should it have left it.
            if let group = processGroup(of: pid), group > 1, group != getpgrp() { kill(-group, SIGKILL) }
            kill(pid, SIGKILL)
            found.insert(key)
        }
        return found
    }

    /// The delivery key in a process's environment (nil: none, or not readable).
    func deliveryKey(of pid: pid_t) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(proc)/\(pid)/environ") else { return nil }
        let prefix = Array("\(Self.variable)=".utf8)
        for entry in data.split(separator: 0, omittingEmptySubsequences: true) where entry.starts(with: prefix) {
            return String(decoding: entry.dropFirst(prefix.count), as: UTF8.self)
        }
        return nil
    }

    /// A process's group id from `/proc/PID/stat` (the fifth field; the command name before it may hold spaces).
    func processGroup(of pid: pid_t) -> pid_t? {
        guard let data = FileManager.default.contents(atPath: "\(proc)/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.range(of: ")", options: .backwards) else { return nil }
        let fields = text[close.upperBound...].split(separator: " ")
        // After the name: state, ppid, pgrp.
        guard fields.count > 2 else { return nil }
        return pid_t(fields[2])
    }
}
