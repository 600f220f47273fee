import Crypto
import Foundation

/// The console's sessions, in memory (a restart signs everyone out): created at sign-in with a random id, ended by
/// sign-out or when they expire.
public actor ConsoleSessions {
    /// How long a session lasts from sign-in, in seconds.
    public let lifetimeSeconds: Int
    /// The most sessions kept; beyond it the oldest is ended (so sign-ins cannot fill the memory).
    public let capacity: Int
    /// SHA-256 of the session id → session (the ids themselves are not kept).
    private var sessions: [String: ConsoleSession] = [:]

    /// Creates an empty set of sessions.
    public init(lifetimeSeconds: Int = 12 * 3_600, capacity: Int = 10_000) {
        self.lifetimeSeconds = max(lifetimeSeconds, 1)
        self.capacity = max(capacity, 1)
    }

    /// The number of live sessions at `now`.
    public func count(now: Date) -> Int { sessions.values.filter { $0.expires > now }.count }

    /// Starts a session for `organisation`.
    func create(organisation: String, name: String, now: Date) -> ConsoleSession {
        sessions = sessions.filter { $0.value.expires > now }
        while sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
            sessions[oldest.key] = nil
        }
        let session = ConsoleSession(
            id: Self.randomToken(), organisation: organisation, name: name, csrf: Self.randomToken(),
            expires: now.addingTimeInterval(TimeInterval(lifetimeSeconds)))
        sessions[Self.key(session.id)] = session
        return session
    }

    /// The live session with this id, nil when there is none or it has expired (then it is forgotten).
    func session(id: String, now: Date) -> ConsoleSession? {
        let key = Self.key(id)
        guard let session = sessions[key] else { return nil }
        guard session.expires > now else {
            sessions[key] = nil
            return nil
        }
        return session
    }

    /// Ends a session.
    func remove(id: String) { sessions[Self.key(id)] = nil }

    /// 32 random bytes from the system's cryptographic generator, as 64 hex digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The dictionary key of a session id.
    static func key(_ id: String) -> String { SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// Whether two secrets are equal, taking the same time wherever they differ.
    static func same(_ left: String, _ right: String) -> Bool {
        let (a, b) = (Array(left.utf8), Array(right.utf8))
        guard a.count == b.count, !a.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
