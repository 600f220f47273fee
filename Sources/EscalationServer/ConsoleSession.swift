import Foundation

/// A signed-in console session: who (the organisation of the token used), until when, and the CSRF token its forms carry.
struct ConsoleSession: Sendable, Equatable {
    /// The random id in the cookie (kept in memory only as its SHA-256 by `ConsoleSessions`).
    var id: String
    /// The organisation whose token signed in; the session sees only its incidents and policies.
    var organisation: String
    /// The name given at sign-in, written into the timeline as who acted ("console" when none was given).
    var name: String
    /// The token every form of this session must send back (`csrf`).
    var csrf: String
    /// When the session ends, whatever happens.
    var expires: Date

    /// Who an action from this session is recorded as: `NAME via console (ORGANISATION)`.
    var actor: String { "\(name) via console" }
}
