import EscalationChannel
import EscalationEngine

/// What became of an answer on a channel: the text to send back and whether it acted.
public struct InboundAnswer: Sendable, Hashable {
    /// How an answer ended, for logs and `/metrics`.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// The command was carried out.
        case acted
        /// The sender is not a contact of the channel's organisation.
        case unknownSender = "unknown_sender"
        /// No incident matches the code or reference.
        case unknownIncident = "unknown_incident"
        /// The text is not a command.
        case unknownCommand = "unknown_command"
        /// Understood, but refused (not allowed, already resolved, an outcome the policy lacks).
        case refused
    }

    /// How it ended.
    public var outcome: Outcome
    /// What to tell the sender.
    public var text: String
    /// The incident acted on or named, if any.
    public var incident: String?
    /// What was done, when it acted (`acknowledged`).
    public var action: String?
    /// The display name of the contact who answered, when the sender is known.
    public var by: String?
    /// The incident's status afterwards, when one was named.
    public var status: String?

    /// Creates an answer.
    public init(_ outcome: Outcome, _ text: String, incident: String? = nil, by: String? = nil, status: String? = nil) {
        self.outcome = outcome
        self.text = text
        self.incident = incident
        self.by = by
        self.status = status
    }

    /// The answer for a refusal of the reply rule.
    public init(refusal: ReplyRule.Refusal, incident: String? = nil, by: String? = nil, status: String? = nil) {
        let outcome = Outcome(rawValue: refusal.kind.rawValue) ?? .refused
        self.init(outcome, refusal.message, incident: incident, by: by, status: status)
    }

    /// What a plugin's `followUp` is told.
    public var result: InboundResult {
        InboundResult(acted: outcome == .acted, action: action, by: by, status: status, text: text)
    }
}
