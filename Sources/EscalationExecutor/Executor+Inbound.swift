import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationStore
import Foundation
import Logging

extension Executor {
    /// The organisations that declare a channel `id` whose plugin takes answers (`InboundChannel`).
    public func inboundOrganisations(channel id: String) -> [String] {
        organisations.filter { organisation in
            guard let config = versions.current(organisation)?.channel(id), let plugin = registry.plugin(config.plugin) else { return false }
            return plugin is any InboundChannel.Type
        }
    }

    /// The plugin instance of an organisation's channel, when its plugin takes answers.
    public func inboundChannel(organisation: String, id: String) throws(ChannelSetupError) -> (any InboundChannel)? {
        guard versions.current(organisation)?.channel(id) != nil else { return nil }
        return try channel(organisation: organisation, id: id) as? any InboundChannel
    }

    /// Acts on a verified answer that came on `channel` of `organisation`: the sender must be one of its contacts
    /// (by the channel's address kind), the reference or the code must name one of its open incidents, and the text
    /// must be a command. Anything else acts on nothing and says why; every act is noted on the incident's timeline.
    public func answer(_ reply: InboundReply, organisation: String, channel id: String) async -> InboundAnswer {
        let answer = await interpret(reply, organisation: organisation, channel: id)
        metrics.inbound["\(id)/\(answer.outcome.rawValue)", default: 0] += 1
        let meta: Logger.Metadata = [
            "organisation": "\(organisation)", "channel": "\(id)", "from": "\(Self.masked(reply.from))", "outcome": "\(answer.outcome.rawValue)",
            "incident": "\(answer.incident ?? "-")",
        ]
        if answer.outcome == .acted { logger.notice("inbound answer acted on", metadata: meta) } else { logger.warning("inbound answer refused", metadata: meta) }
        return answer
    }

    /// Counts an inbound request that ended before it was read (refused by its plugin), for `/metrics`.
    public func countInbound(channel id: String, outcome: String) {
        metrics.inbound["\(id)/\(outcome)", default: 0] += 1
    }

    /// An address with all but its last two characters hidden, for logs.
    public static func masked(_ address: String) -> String {
        address.count <= 2 ? String(repeating: "*", count: address.count) : String(repeating: "*", count: address.count - 2) + address.suffix(2)
    }

    /// An address compared loosely: case, spaces, dashes, dots, parentheses and a `tel:`/`mailto:` prefix do not count.
    static func comparable(_ address: String) -> String {
        var text = address.lowercased().trimmingCharacters(in: .whitespaces)
        for prefix in ["tel:", "mailto:"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return text.contains("@") ? text : text.filter { !" -.()".contains($0) }
    }

    func interpret(_ reply: InboundReply, organisation: String, channel id: String) async -> InboundAnswer {
        guard let graph = versions.current(organisation), let config = graph.channel(id) else {
            return InboundAnswer(.unknownSender, "This channel takes no answers here; nothing was done.")
        }
        let sender = Self.comparable(reply.from)
        guard !sender.isEmpty, let contact = graph.contacts.first(where: { $0.addresses[config.addressKind].map(Self.comparable) == sender }) else {
            return InboundAnswer(.unknownSender, "Your address is not one this escalation service knows, so nothing was done. Ask your team to add it to your contact.")
        }
        let signals = Set(graph.policies.flatMap { $0.hooks.signals.keys }).sorted()
        let command: ReplyCommand
        switch ReplyCommand.parse(reply.text, signals: signals) {
        case .success(let parsed): command = parsed
        case .failure(let problem): return InboundAnswer(.unknownCommand, "\(problem.message) \(ReplyCommand.help)")
        }
        let incident: StoredIncident
        do {
            if let reference = reply.reference, !reference.isEmpty {
                guard let found = try await store.incident(id: reference), found.organisation == organisation else {
                    return InboundAnswer(.unknownIncident, "That message is about an incident this service no longer has; nothing was done.")
                }
                incident = found
            } else if let code = command.code {
                guard let found = try await openIncident(organisation: organisation, replyCode: code) else {
                    return InboundAnswer(.unknownIncident, "No open incident has the code \(code); nothing was done. Use the code of the latest message.")
                }
                incident = found
            } else {
                return InboundAnswer(.unknownIncident, "Which incident? Put its code first. \(ReplyCommand.help)")
            }
        } catch {
            logger.error("inbound answer: the store could not be read", metadata: ["error": "\(error)"])
            return InboundAnswer(.refused, "The escalation service cannot act right now; please try again or use the app.")
        }
        let label = incident.state.replyCode.map { "\($0) (\(incident.state.title))" } ?? incident.state.title
        guard incident.state.status != .resolved else {
            return InboundAnswer(.refused, "Incident \(label) is already resolved; nothing changed.", incident: incident.id)
        }
        let event: EngineEvent
        let done: String
        switch command.verb {
        case .acknowledge:
            guard contact.canAcknowledge else {
                return InboundAnswer(.refused, "You cannot acknowledge incidents here; nothing changed.", incident: incident.id)
            }
            (event, done) = (.acknowledge(by: contact.id), "acknowledged")
        case .resolve(let outcome):
            let outcomes = graph.policy(incident.state.policy)?.outcomes ?? []
            var chosen: String?
            if let outcome, !outcomes.isEmpty {
                guard let match = outcomes.first(where: { $0.lowercased() == outcome }) else {
                    return InboundAnswer(.refused, "'\(outcome.prefix(20))' is not an outcome of this incident (\(outcomes.joined(separator: ", "))); nothing changed.", incident: incident.id)
                }
                chosen = match
            }
            (event, done) = (.resolve(by: contact.id, scope: nil, outcome: chosen), "resolved")
        case .escalate:
            (event, done) = (.escalateNow, "escalated")
        case .snooze(let minutes):
            (event, done) = (.snooze(until: clock.now().adding(seconds: minutes * 60)), "snoozed for \(minutes) minutes")
        case .signal(let name):
            (event, done) = (.signal(name: name, data: ["by": contact.id]), "signalled \(name)")
        }
        do {
            let updated = try await handle(incident: incident.id, event: event)
            // The engine ignores an acknowledge of an acknowledged incident and a snooze without a running ladder.
            let ignored: String? =
                switch command.verb {
                case .acknowledge where incident.state.status != .open: "it was already acknowledged"
                case .snooze where updated.state.snoozedUntil == incident.state.snoozedUntil: "no escalation is running to hold"
                default: nil
                }
            if let ignored {
                return InboundAnswer(.refused, "Incident \(label) was not \(done): \(ignored); nothing changed.", incident: incident.id)
            }
            let how = [reply.via, reply.text.isEmpty || reply.reference != nil ? nil : ReplyCommand.commandLine(of: reply.text).map { String($0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'“”‘’`")).prefix(40)) }]
                .compactMap { $0 }.joined(separator: " ")
            try await note(incident: incident.id, text: "\(done) by \(contact.id) via \(how)")
            return InboundAnswer(.acted, "\(done.prefix(1).uppercased() + done.dropFirst()) \(label), now \(updated.state.status.rawValue). Thank you, \(contact.name).", incident: incident.id)
        } catch let error as ExecutorError {
            return InboundAnswer(.refused, "Incident \(label) was not \(done): \(error.description)", incident: incident.id)
        } catch {
            logger.error("inbound answer: the incident could not be changed", metadata: ["incident": "\(incident.id)", "error": "\(error)"])
            return InboundAnswer(.refused, "The escalation service cannot act right now; please try again or use the app.", incident: incident.id)
        }
    }
}
