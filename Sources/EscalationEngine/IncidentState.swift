import EscalationCore
import EscalationGraph

/// Everything the engine knows about one incident; the executor stores it, the simulator keeps it in memory.
public struct IncidentState: Codable, Sendable, Hashable {
    /// Where the incident is in its life.
    public enum Status: String, Codable, Sendable {
        case open, acknowledged, resolved

        /// Whether an incident in this status is still open (acknowledged counts as open).
        public var isOpen: Bool { self != .resolved }
    }

    /// Incident id.
    public var id: String
    /// The policy that took it.
    public var policy: String
    /// The compiled policy version it started with.
    public var version: String
    /// A title for messages.
    public var title: String
    /// Deduplication key.
    public var dedupKey: String?
    /// Incident fields (text values; lists are comma-separated).
    public var fields: [String: String] {
        // Any change drops the values the engine read by slot.
        didSet { slots = FieldSlots() }
    }
    /// When it triggered.
    public var triggeredAt: Instant
    /// Status.
    public var status: Status
    /// Scopes still to resolve (with `resolve_per`).
    public var openScopes: [String]
    /// Scopes already resolved.
    public var resolvedScopes: [String]
    /// The ladder node the incident waits at; nil once the ladder has stopped.
    public var cursor: String?
    /// Why the ladder stopped, once it has.
    public var ladderEnd: String?
    /// Repeat passes used.
    public var pass: Int
    /// Pending timers.
    public var timers: [PendingTimer]
    /// Notifications that may still fall back to another channel.
    public var pending: [PendingNotification]
    /// Actions applied and not yet undone.
    public var appliedActions: [String]
    /// The current stage.
    public var stage: String?
    /// Every stage whose message was posted, in order (nil in states written before it was kept).
    public var postedStages: [String]?
    /// Who acknowledged.
    public var acknowledgedBy: String?
    /// Who resolved, and the outcome.
    public var resolvedBy: String?
    /// The resolution outcome.
    public var outcome: String?
    /// Snoozed until this instant.
    public var snoozedUntil: Instant?
    /// Signals received so far, in order, once each (nil: none).
    public var signalsSeen: [String]?
    /// Events the incident took: the trigger and every later report (nil: the trigger only).
    public var reports: Int?
    /// A counter for deterministic timer ids and idempotency keys.
    public var sequence: Int
    /// The short code responders quote to answer on a channel (`4a`), unique among the organisation's open incidents;
    /// the executor allocates it and passes it in the trigger's fields under `replyCodeField` (nil in the simulator).
    public var replyCode: String?

    /// The fields as the engine last read them by slot (a cache: not coded, compared or hashed).
    var slots = FieldSlots()

    /// The coded properties: every stored one but `slots`, under its own name.
    enum CodingKeys: String, CodingKey {
        case id, policy, version, title, dedupKey, fields, triggeredAt, status, openScopes, resolvedScopes, cursor, ladderEnd, pass, timers
        case pending, appliedActions, stage, postedStages, acknowledgedBy, resolvedBy, outcome, snoozedUntil, signalsSeen, reports, sequence
        case replyCode
    }

    /// The reserved trigger field that carries the reply code into the engine (taken out of the fields).
    public static let replyCodeField = "escalate.reply_code"

    /// Whether the incident is still open (acknowledged counts as open).
    public var isOpen: Bool { status.isOpen }
}

/// A timer the engine asked for; when it fires the caller sends `.timerFired(id)`.
public struct PendingTimer: Codable, Sendable, Hashable {
    /// What the timer is for.
    public enum Purpose: Codable, Sendable, Hashable {
        /// The current ladder node's wait.
        case ladder(node: String)
        /// The pause before a repeat pass.
        case repeatPass
        /// The next reminder.
        case reminder
        /// The next channel of a notification.
        case fallback(key: String)
        /// Take a stage message down.
        case stageExpiry(stage: String)
        /// The end of a snooze.
        case snooze
        /// A deadline of the policy, beside the ladder.
        case deadline(id: String)
        /// The next bark of a named watchdog.
        case watchdog(id: String)
    }

    /// Timer id (unique within the incident).
    public var id: String
    /// When it fires.
    public var at: Instant
    /// What it is for.
    public var purpose: Purpose
}

/// A notification to one contact that can still move to its next channel.
public struct PendingNotification: Codable, Sendable, Hashable {
    /// The notification key (prefix of each delivery's idempotency key).
    public var key: String
    /// Contact id.
    public var contact: String
    /// Ordered channels.
    public var channels: [ChannelUse]
    /// Index of the channel used last.
    public var index: Int
    /// When the notification started (channel delays count from here).
    public var startedAt: Instant
    /// The message.
    public var template: String?
    /// The layer or hook it belongs to.
    public var origin: String
    /// Copied contacts.
    public var cc: [String]
    /// The layer (step id) it started in, so a later channel renders the same message (`layer.id`).
    public var layer: String?
    /// The person outside the organisation it reaches, when the incident carried their addresses (nil: a contact).
    public var person: CompiledContact?
    /// Copied people outside the organisation (their addresses come from the incident).
    public var ccPeople: [CompiledContact]?
    /// The name of the alternative of a `choose` layer it started in (`layer.name`; nil: the layer's name).
    public var alternative: String?
    /// Channels of the item used last whose delivery failed (nil: none).
    public var failed: [String]?
    /// Channels of the item used last reported as not answered (nil: none).
    public var unanswered: [String]?
    /// Whether a channel of the item used last was reported answered (nil: not yet).
    public var answered: Bool?
}

extension IncidentState {
    /// A new open incident that has not started its ladder (for stores' tests and tools that build records directly).
    public init(id: String, policy: String, version: String, title: String, dedupKey: String? = nil, fields: [String: String] = [:], triggeredAt: Instant) {
        self.init(
            id: id, policy: policy, version: version, title: title, dedupKey: dedupKey, fields: fields, triggeredAt: triggeredAt, status: .open,
            openScopes: [], resolvedScopes: [], cursor: nil, ladderEnd: nil, pass: 0, timers: [], pending: [], appliedActions: [], stage: nil,
            acknowledgedBy: nil, resolvedBy: nil, outcome: nil, snoozedUntil: nil, sequence: 0)
    }
}
