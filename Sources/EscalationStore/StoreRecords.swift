import EscalationCore
import EscalationEngine
import Foundation

/// An incident as stored: its engine state and where it came from.
public struct StoredIncident: Codable, Sendable, Hashable {
    /// Incident id.
    public var id: String
    /// Organisation id.
    public var organisation: String
    /// The engine state (policy, version snapshot, status, timers, …).
    public var state: IncidentState
    /// Created.
    public var createdAt: Instant
    /// Last changed.
    public var updatedAt: Instant

    /// Creates a record.
    public init(id: String, organisation: String, state: IncidentState, createdAt: Instant, updatedAt: Instant) {
        self.id = id
        self.organisation = organisation
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One line of an incident's event log (events in, effects out).
public struct EventLogEntry: Codable, Sendable, Hashable {
    /// Sequence number (store-wide, increasing).
    public var sequence: Int64
    /// Incident id.
    public var incident: String
    /// When.
    public var at: Instant
    /// `event`, `effect` or `delivery`.
    public var kind: String
    /// A readable line.
    public var text: String
    /// The event or effect as JSON, for replay and audit.
    public var payload: String?

    /// Creates an entry (the store assigns the sequence).
    public init(sequence: Int64 = 0, incident: String, at: Instant, kind: String, text: String, payload: String? = nil) {
        self.sequence = sequence
        self.incident = incident
        self.at = at
        self.kind = kind
        self.text = text
        self.payload = payload
    }
}

/// A timer that must survive restarts.
public struct StoredTimer: Codable, Sendable, Hashable {
    /// Timer id (unique).
    public var id: String
    /// Incident id.
    public var incident: String
    /// When it fires.
    public var at: Instant

    /// Creates a timer record.
    public init(id: String, incident: String, at: Instant) {
        self.id = id
        self.incident = incident
        self.at = at
    }
}

/// One delivery waiting in the outbox, being sent, or finished.
public struct OutboxItem: Codable, Sendable, Hashable {
    /// Where a delivery is.
    public enum Status: String, Codable, Sendable {
        /// Waiting for its next attempt.
        case pending
        /// Claimed by a dispatcher (a send may be under way).
        case sending
        /// Accepted by the far side.
        case delivered
        /// Gave up (non-retryable failure, attempts used up, or interrupted past its deadline).
        case failed
    }

    /// Unique per delivery; forwarded to the plugin.
    public var idempotencyKey: String
    /// Incident id.
    public var incident: String
    /// Organisation id.
    public var organisation: String
    /// The engine effect to deliver, as JSON (notify, post, stage, action, undo, expire).
    public var effect: String
    /// Channel id.
    public var channel: String
    /// Status.
    public var status: Status
    /// Attempts made.
    public var attempts: Int
    /// Earliest next attempt.
    public var nextAttempt: Instant
    /// After this instant the delivery is not tried again (and a claimed one is not resent blindly).
    public var deadline: Instant
    /// The last failure reason, or the receipt's external id.
    public var detail: String?
    /// When it was queued.
    public var createdAt: Instant

    /// Creates an outbox item.
    public init(
        idempotencyKey: String, incident: String, organisation: String, effect: String, channel: String, status: Status = .pending,
        attempts: Int = 0, nextAttempt: Instant, deadline: Instant, detail: String? = nil, createdAt: Instant
    ) {
        self.idempotencyKey = idempotencyKey
        self.incident = incident
        self.organisation = organisation
        self.effect = effect
        self.channel = channel
        self.status = status
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.deadline = deadline
        self.detail = detail
        self.createdAt = createdAt
    }
}

/// Everything one engine transition changes, committed in one transaction.
public struct StoreChange: Sendable {
    /// The incident after the transition.
    public var incident: StoredIncident
    /// Log lines to append.
    public var log: [EventLogEntry]
    /// Timers to add.
    public var addTimers: [StoredTimer]
    /// Timer ids to remove.
    public var removeTimers: [String]
    /// Deliveries to queue.
    public var outbox: [OutboxItem]
    /// Tasks the transition created (checklist items for people).
    public var tasks: [StoredTask] = []
    /// The compiled policy an incident starts on, saved with its trigger so it runs on it even after a restart.
    public var snapshot: PolicySnapshot?
    /// A threshold whose pending events the new incident consumes.
    public var consumePending: PendingEvent.Key?

    /// Creates a change.
    public init(incident: StoredIncident, log: [EventLogEntry], addTimers: [StoredTimer], removeTimers: [String], outbox: [OutboxItem]) {
        self.incident = incident
        self.log = log
        self.addTimers = addTimers
        self.removeTimers = removeTimers
        self.outbox = outbox
    }
}

/// A compiled policy version as it was when an incident started on it (kept once per organisation and version).
public struct PolicySnapshot: Sendable, Hashable {
    /// Organisation id.
    public var organisation: String
    /// The policy version hash.
    public var version: String
    /// The compiled graph as JSON (opaque to the store).
    public var document: String

    /// Creates a snapshot.
    public init(organisation: String, version: String, document: String) {
        self.organisation = organisation
        self.version = version
        self.document = document
    }
}

/// A task a policy created for people (a checklist item), kept with its incident.
public struct StoredTask: Codable, Sendable, Hashable {
    /// Incident id.
    public var incident: String
    /// Title.
    public var title: String
    /// Assignee contact ids (empty: anyone).
    public var assignees: [String]
    /// Details.
    public var description: String?
    /// The layer or hook that created it.
    public var origin: String
    /// When it was created.
    public var createdAt: Instant

    /// Creates a task record.
    public init(incident: String, title: String, assignees: [String], description: String?, origin: String, createdAt: Instant) {
        self.incident = incident
        self.title = title
        self.assignees = assignees
        self.description = description
        self.origin = origin
        self.createdAt = createdAt
    }
}
