import EscalationCore
import EscalationEngine

/// What happened in a rehearsal, minute by minute.
public struct Timeline: Codable, Sendable, Hashable {
    /// One line of the timeline.
    public struct Entry: Codable, Sendable, Hashable {
        /// What kind of thing happened.
        public enum Kind: String, Codable, Sendable {
            case trigger, notify, post, task, action, undo, stage, expire, acknowledge, resolve, signal, escalate, update,
                snooze, failure, note
        }

        /// Seconds after the start.
        public var offset: Int
        /// The instant.
        public var at: Instant
        /// Kind.
        public var kind: Kind
        /// The layer, hook or reminder it came from.
        public var origin: String?
        /// The contact (or assignees) it concerns.
        public var who: String?
        /// The channel.
        public var channel: String?
        /// The template.
        public var template: String?
        /// The subject or first line of the message.
        public var subject: String?
        /// Why.
        public var detail: String
        /// The rendered body of a notification, post, action or stage message.
        public var body: String? = nil
        /// Copied addresses of a notification on its channel (none: nil).
        public var cc: [String]? = nil
        /// The incident it belongs to when a rehearsal follows more than one (2, 3, …: opened by a later event after
        /// the one before was resolved); nil: the first.
        public var incident: Int? = nil
    }

    /// Policy id.
    public var policy: String
    /// Policy name.
    public var policyName: String
    /// Organisation name.
    public var organisation: String
    /// Compiled policy version.
    public var version: String
    /// The organisation's zone.
    public var timezone: String
    /// Start instant.
    public var start: Instant
    /// Entries in order.
    public var entries: [Entry]
    /// Final status.
    public var status: String
    /// Why the ladder stopped, if it did.
    public var ladderEnd: String?
    /// Seconds from start to the first acknowledgement.
    public var acknowledgedAfter: Int?
    /// Who acknowledged.
    public var acknowledgedBy: String?

    /// How many incidents the rehearsal opened (a later event after a resolve opens another, as in `serve`).
    public var incidents: Int { entries.compactMap(\.incident).max() ?? (status == "waiting" ? 0 : 1) }

    /// The notifications only.
    public var notifications: [Entry] { entries.filter { $0.kind == .notify } }

    /// The tasks only.
    public var tasks: [Entry] { entries.filter { $0.kind == .task } }

    /// The refused signals: notes the engine recorded as `refused: …` (a signal lacking a required field).
    public var refusals: [Entry] { entries.filter { $0.kind == .note && $0.detail.hasPrefix(Self.refusedPrefix) } }

    /// How the engine's record of a refused signal begins.
    public static let refusedPrefix = "refused: "
}
