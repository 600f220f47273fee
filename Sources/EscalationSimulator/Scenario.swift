import EscalationCore
import EscalationEngine

/// A rehearsal: which policy, which incident, when it starts, what people do and which deliveries fail.
public struct Scenario: Sendable {
    /// The policy id.
    public var policy: String
    /// Incident id used in the run.
    public var incidentID: String
    /// Incident title.
    public var title: String
    /// Incident fields.
    public var fields: [String: String]
    /// When the incident triggers.
    public var start: Instant
    /// Scripted actions.
    public var script: [ScriptedAction]
    /// Deliveries that fail.
    public var failures: [FailureRule]
    /// Deliveries reported answered at once (a call picked up).
    public var answered: [FailureRule] = []
    /// Deliveries reported not answered at once (a call that rang out). A delivery in neither list reports nothing.
    public var unanswered: [FailureRule] = []
    /// How long to simulate after the start, in seconds.
    public var horizonSeconds: Int
    /// Offsets (seconds from the start) of further trigger events with the same fields; they matter for a policy
    /// with a `threshold`, which opens at the event that reaches its count.
    public var reports: [Int] = []
    /// Fields each report brings beyond the incident's (aligned with `reports`; empty: the same fields). After the
    /// incident opened, a policy that correlates appends them; one that does not takes the report as a duplicate.
    public var reportFields: [[String: String]] = []

    /// Creates a scenario.
    public init(
        policy: String, incidentID: String = "SIM-1", title: String? = nil, fields: [String: String], start: Instant,
        script: [ScriptedAction] = [], failures: [FailureRule] = [], horizonSeconds: Int = 6 * 3_600
    ) {
        self.policy = policy
        self.incidentID = incidentID
        self.title = title ?? "Rehearsal of \(policy)"
        self.fields = fields
        self.start = start
        self.script = script
        self.failures = failures
        self.horizonSeconds = horizonSeconds
    }
}

/// When a scripted action happens: an offset from the start, an instant, an offset from a time field, or
/// an offset after the actor is first notified.
public enum ScriptTime: Sendable, Hashable, CustomStringConvertible {
    /// `+20m`.
    case offset(Int)
    /// `2026-11-22T10:00`.
    case instant(Instant)
    /// `session.start + 10m`.
    case field(String, Int)
    /// `5m after notified`.
    case afterNotified(Int)

    /// As written.
    public var description: String {
        switch self {
        case .offset(let seconds): return "+\(PolicyDuration.compact(seconds) ?? "0m")"
        case .instant(let instant): return instant.description
        case .field(let name, let offset):
            return offset == 0 ? name : "\(name) \(offset < 0 ? "-" : "+") \(PolicyDuration.compact(abs(offset)) ?? "0m")"
        case .afterNotified(let seconds): return "\(PolicyDuration.compact(seconds) ?? "0m") after notified"
        }
    }
}

/// One scripted responder action, e.g. `jessie acks at +20m`.
public struct ScriptedAction: Sendable, Hashable {
    /// What happens.
    public enum Kind: Sendable, Hashable {
        /// `WHO acks`.
        case acknowledge(by: String)
        case resolve(by: String, scope: String?, outcome: String?)
        case signal(String, data: [String: String])
        case escalate
        case update([String: String])
        case snooze(by: String, seconds: Int)
        /// `alice replies "1a" via sms`: an answer on a channel, read by the rule `serve` applies (`ReplyRule`).
        case reply(by: String, text: String, channel: String)
    }

    /// What happens.
    public var kind: Kind
    /// When.
    public var time: ScriptTime
    /// As written, for timelines.
    public var text: String

    /// Creates an action.
    public init(kind: Kind, time: ScriptTime, text: String) {
        self.kind = kind
        self.time = time
        self.text = text
    }
}

/// Deliveries a rule applies to (one that fails, or is answered or not): a channel, optionally only to one contact
/// (`sms to pat`, `email`).
public struct FailureRule: Sendable, Hashable {
    /// Channel id.
    public var channel: String
    /// Contact id, or nil for everyone.
    public var contact: String?

    /// Creates a rule.
    public init(channel: String, contact: String?) {
        self.channel = channel
        self.contact = contact
    }

    /// Whether a delivery matches.
    public func matches(_ notification: Effect.Notification) -> Bool {
        notification.channel == channel && (contact == nil || contact == notification.contact)
    }
}
