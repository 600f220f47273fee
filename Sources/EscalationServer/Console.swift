import EscalationExecutor
import Foundation

/// The web console served beside the API under `/console`: its sessions (in memory) and the policies it shows.
public struct Console: Sendable {
    /// Signed-in sessions.
    public let sessions: ConsoleSessions
    /// The running policies and their drawings.
    public let policies: ConsolePolicies
    /// How often the live-update stream looks for changes, in seconds.
    public var pollSeconds: Double = 1
    /// How long one live-update stream stays open before the browser reconnects, in seconds.
    public var streamSeconds: Double = 300
    /// Wrong sign-in tokens (and refused sign-in links) a minute from one client address before it is answered 429.
    public var failuresPerAddress = 5
    /// Wrong sign-in tokens a minute from all clients together before every sign-in is answered 429.
    public var failuresOverall = 50
    /// Failed sign-ins per client address (and `*` for all) and minute.
    let signInFailures = EventRateLimiter()
    /// The nonces of one-time sign-in links already used.
    let linkNonces = ConsoleLinkNonces()
    /// The clock sessions expire by (tests move it).
    let now: @Sendable () -> Date

    /// Creates a console over the running policies; sessions last `sessionLifetimeSeconds` (12 hours by default).
    public init(policies: ConsolePolicies, sessionLifetimeSeconds: Int = 12 * 3_600, now: @escaping @Sendable () -> Date = { Date() }) {
        self.sessions = ConsoleSessions(lifetimeSeconds: sessionLifetimeSeconds)
        self.policies = policies
        self.now = now
    }
}
