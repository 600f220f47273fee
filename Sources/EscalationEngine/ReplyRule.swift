import EscalationCore
import EscalationGraph
import Foundation

/// How an answer on a channel becomes an engine event: who sent it, what it asks and whether it may act. The one
/// rule `serve` (a reply received on `POST /v1/inbound/{channel}` or by mail) and `simulate` (a scripted `replies`
/// line) share, so a rehearsal refuses and acts exactly as production does.
public enum ReplyRule {
    /// A reply the rule accepts: the event to hand the engine and what it does, for the timeline (`acknowledged`).
    public struct Decision: Sendable, Hashable {
        /// The event to apply.
        public var event: EngineEvent
        /// What it does, past tense (`acknowledged`, `snoozed for 30 minutes`).
        public var done: String
    }

    /// Why a reply does not act, and what to tell the sender.
    public struct Refusal: Error, Sendable, Hashable {
        /// Which kind of refusal (for metrics and logs).
        public enum Kind: String, Sendable, Hashable {
            /// The sender is not a contact of the channel's organisation.
            case unknownSender = "unknown_sender"
            /// No incident matches the code or reference.
            case unknownIncident = "unknown_incident"
            /// The text is not a command.
            case unknownCommand = "unknown_command"
            /// Understood, but refused (not allowed, already resolved, an outcome the policy lacks).
            case refused
        }

        /// Which kind.
        public var kind: Kind
        /// What the sender is told.
        public var message: String

        /// Creates a refusal.
        public init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// An address compared loosely: case, spaces, dashes, dots, parentheses and a `tel:`/`mailto:` prefix do not
    /// count (dots do in an e-mail address).
    public static func comparable(_ address: String) -> String {
        var text = address.lowercased().trimmingCharacters(in: .whitespaces)
        for prefix in ["tel:", "mailto:"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return text.contains("@") ? text : text.filter { !" -.()".contains($0) }
    }

    /// The contact whose address of `kind` is `address`; nil for an unknown or empty sender.
    public static func sender(_ address: String, kind: String, in graph: RuleGraph) -> CompiledContact? {
        let sender = comparable(address)
        guard !sender.isEmpty else { return nil }
        return graph.contacts.first { $0.addresses[kind].map(comparable) == sender }
    }

    /// The refusal for a sender the organisation does not know.
    public static let unknownSender = Refusal(
        .unknownSender, "Your address is not one this escalation service knows, so nothing was done. Ask your team to add it to your contact.")

    /// The refusal for a command that names no incident (and came without a reference to one).
    public static let noCode = Refusal(.unknownIncident, "Which incident? Put its code first. \(ReplyCommand.help)")

    /// The refusal for a code no open incident has.
    public static func unknownCode(_ code: String) -> Refusal {
        Refusal(.unknownIncident, "No open incident has the code \(code.prefix(8)); nothing was done. Use the code of the latest message.")
    }

    /// Reads the text as a command, with the signals of any of the organisation's policies as bare words.
    public static func command(_ text: String, in graph: RuleGraph) -> Result<ReplyCommand, Refusal> {
        let signals = Set(graph.policies.flatMap { $0.hooks.signals.keys }).sorted()
        switch ReplyCommand.parse(text, signals: signals) {
        case .success(let command): return .success(command)
        case .failure(let problem): return .failure(Refusal(.unknownCommand, "\(problem.message) \(ReplyCommand.help)"))
        }
    }

    /// The incident as the sender is told about it: `4 (Checkout down)`.
    public static func label(_ state: IncidentState) -> String {
        state.replyCode.map { "\($0) (\(state.title))" } ?? state.title
    }

    /// Decides what `command` from `contact` does to the incident in `state` at `now`.
    public static func decide(_ command: ReplyCommand, by contact: CompiledContact, state: IncidentState, graph: RuleGraph, now: Instant)
        -> Result<Decision, Refusal>
    {
        guard state.status != .resolved else {
            return .failure(Refusal(.refused, "Incident \(label(state)) is already resolved; nothing changed."))
        }
        switch command.verb {
        case .acknowledge:
            guard contact.canAcknowledge else { return .failure(Refusal(.refused, "You cannot acknowledge incidents here; nothing changed.")) }
            return .success(Decision(event: .acknowledge(by: contact.id), done: "acknowledged"))
        case .resolve(let outcome):
            let outcomes = graph.policy(state.policy)?.outcomes ?? []
            var chosen: String?
            if let outcome, !outcomes.isEmpty {
                guard let match = outcomes.first(where: { $0.lowercased() == outcome }) else {
                    return .failure(
                        Refusal(.refused, "'\(outcome.prefix(20))' is not an outcome of this incident (\(outcomes.joined(separator: ", "))); nothing changed."))
                }
                chosen = match
            }
            return .success(Decision(event: .resolve(by: contact.id, scope: nil, outcome: chosen), done: "resolved"))
        case .escalate:
            return .success(Decision(event: .escalateNow, done: "escalated"))
        case .snooze(let minutes):
            return .success(Decision(event: .snooze(until: now.adding(seconds: minutes * 60)), done: "snoozed for \(minutes) minutes"))
        case .signal(let name):
            return .success(Decision(event: .signal(name: name, data: ["by": contact.id]), done: "signalled \(name)"))
        }
    }

    /// Why the engine left the incident as it was (it ignores an acknowledge of an acknowledged incident and a snooze
    /// without a running ladder), as a refusal; nil when the command took effect.
    public static func ignored(_ command: ReplyCommand, decision: Decision, before: IncidentState, after: IncidentState) -> Refusal? {
        let why: String? =
            switch command.verb {
            case .acknowledge where before.status != .open: "it was already acknowledged"
            case .snooze where after.snoozedUntil == before.snoozedUntil: "no escalation is running to hold"
            default: nil
            }
        return why.map { Refusal(.refused, "Incident \(label(before)) was not \(decision.done): \($0); nothing changed.") }
    }

    /// The timeline's line for a reply that acted: `acknowledged by jessie via sms reply 4a` (the command as written,
    /// when the reply was text rather than a button or key naming the incident).
    public static func note(_ decision: Decision, by contact: CompiledContact, via: String, text: String, referenced: Bool) -> String {
        let written =
            text.isEmpty || referenced
            ? nil : ReplyCommand.commandLine(of: text).map { String($0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'“”‘’`")).prefix(40)) }
        return "\(decision.done) by \(contact.id) via " + [via, written].compactMap { $0 }.joined(separator: " ")
    }

    /// What the sender is told when the reply acted.
    public static func thanks(_ decision: Decision, before: IncidentState, after: IncidentState, contact: CompiledContact) -> String {
        "\(decision.done.prefix(1).uppercased() + decision.done.dropFirst()) \(label(before)), now \(after.status.rawValue). Thank you, \(contact.name)."
    }

    /// The smallest whole number no incident in `open` (those not resolved) uses as its reply code.
    public static func freeCode(among open: [IncidentState]) -> String {
        freeCode(inUse: Set(open.compactMap(\.replyCode)))
    }

    /// The smallest whole number not among the codes in use.
    public static func freeCode(inUse used: Set<String>) -> String {
        var code = 1
        while used.contains(String(code)) { code += 1 }
        return String(code)
    }
}
