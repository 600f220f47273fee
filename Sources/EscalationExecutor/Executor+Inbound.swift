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

    /// Every (organisation, channel) whose plugin takes replies by e-mail (the `mail` capability), for the SMTP listener.
    public func mailChannels() -> [(organisation: String, channel: String)] {
        organisations.flatMap { organisation in
            (versions.current(organisation)?.channels ?? []).compactMap { config in
                guard let plugin = registry.plugin(config.plugin), plugin is any InboundChannel.Type,
                    plugin.descriptor.capabilities.contains(.mail)
                else { return nil }
                return (organisation, config.id)
            }
        }
    }

    /// Whether `address` is one of the organisation's contacts by the channel's address kind.
    public func knows(sender address: String, organisation: String, channel id: String) -> Bool {
        guard let graph = versions.current(organisation), let config = graph.channel(id) else { return false }
        return ReplyRule.sender(address, kind: config.addressKind, in: graph) != nil
    }

    /// The plugin instance of an organisation's channel, when its plugin takes answers.
    public func inboundChannel(organisation: String, id: String) throws(ChannelSetupError) -> (any InboundChannel)? {
        guard versions.current(organisation)?.channel(id) != nil else { return nil }
        return try channel(organisation: organisation, id: id) as? any InboundChannel
    }

    /// Acts on a verified answer that came on `channel` of `organisation`: the sender must be one of its contacts
    /// (by the channel's address kind), the reference or the code must name one of its open incidents, and the text
    /// must be a command (`ReplyRule`, which rehearsals share). Anything else acts on nothing and says why; every act
    /// is noted on the incident's timeline, and the inbound as the plugin gave it (secrets stripped) is kept with it.
    public func answer(_ reply: InboundReply, organisation: String, channel id: String) async -> InboundAnswer {
        let answer = await interpret(reply, organisation: organisation, channel: id)
        metrics.inbound["\(id)/\(answer.outcome.rawValue)", default: 0] += 1
        let meta: Logger.Metadata = [
            "organisation": "\(organisation)", "channel": "\(id)", "from": "\(Self.masked(reply.from))", "outcome": "\(answer.outcome.rawValue)",
            "incident": "\(answer.incident ?? "-")",
        ]
        if answer.outcome == .acted { logger.notice("inbound answer acted on", metadata: meta) } else { logger.warning("inbound answer refused", metadata: meta) }
        if let incident = answer.incident {
            let raw = reply.raw ?? "from \(Self.masked(reply.from)): \(reply.text.prefix(2_000))" + (reply.reference.map { " (about \($0))" } ?? "")
            let entry = EventLogEntry(
                incident: incident, at: clock.now(), kind: "inbound", text: "\(reply.via) from \(Self.masked(reply.from)): \(answer.outcome.rawValue)",
                payload: String(raw.prefix(16_384)))
            do { try await store.append([entry]) } catch {
                logger.error("inbound answer: could not be kept with the incident", metadata: ["incident": "\(incident)", "error": "\(error)"])
            }
        }
        return answer
    }

    /// A provider's news of a delivery on `channel` (a call's status callback): the delivery of `incident` whose receipt
    /// is `externalID` was answered or not, handed to the engine as the plugin's immediate answer would have been (so
    /// an `unanswered:` channel follows at once). Unknown incidents and deliveries are counted and logged, never act.
    @discardableResult
    public func reportDelivery(externalID: String, answer: DeliveryAnswer, incident: String?, organisation: String, channel id: String) async -> Bool {
        let meta: Logger.Metadata = ["organisation": "\(organisation)", "channel": "\(id)", "incident": "\(incident ?? "-")", "answer": "\(answer.rawValue)"]
        do {
            guard let incident, let stored = try await store.incident(id: incident), stored.organisation == organisation,
                let item = try await store.deliveries(incident: incident).last(where: { $0.channel == id && $0.status == .delivered && $0.detail == externalID })
            else {
                metrics.inbound["\(id)/unknown_delivery", default: 0] += 1
                logger.warning("delivery status for no delivery of this server", metadata: meta)
                return false
            }
            try await reportAnswer(answer, item)
            metrics.inbound["\(id)/delivery_\(answer.rawValue)", default: 0] += 1
            logger.info("delivery status reported", metadata: meta)
            return true
        } catch {
            logger.error("delivery status could not be recorded", metadata: meta.merging(["error": "\(error)"]) { $1 })
            return false
        }
    }

    /// Counts an inbound request that ended before it was read (refused by its plugin), for `/metrics`.
    public func countInbound(channel id: String, outcome: String) {
        metrics.inbound["\(id)/\(outcome)", default: 0] += 1
    }

    /// An address with all but its last two characters hidden, for logs.
    public static func masked(_ address: String) -> String {
        address.count <= 2 ? String(repeating: "*", count: address.count) : String(repeating: "*", count: address.count - 2) + address.suffix(2)
    }

    func interpret(_ reply: InboundReply, organisation: String, channel id: String) async -> InboundAnswer {
        guard let graph = versions.current(organisation), let config = graph.channel(id) else {
            return InboundAnswer(.unknownSender, "This channel takes no answers here; nothing was done.")
        }
        guard let contact = ReplyRule.sender(reply.from, kind: config.addressKind, in: graph) else {
            return InboundAnswer(refusal: ReplyRule.unknownSender)
        }
        let command: ReplyCommand
        switch ReplyRule.command(reply.text, in: graph) {
        case .success(let parsed): command = parsed
        case .failure(let refusal): return InboundAnswer(refusal: refusal, by: contact.name)
        }
        let incident: StoredIncident
        do {
            if let reference = reply.reference, !reference.isEmpty {
                guard let found = try await store.incident(id: reference), found.organisation == organisation else {
                    return InboundAnswer(.unknownIncident, "That message is about an incident this service no longer has; nothing was done.", by: contact.name)
                }
                incident = found
            } else if let code = command.code {
                guard let found = try await openIncident(organisation: organisation, replyCode: code) else {
                    return InboundAnswer(refusal: ReplyRule.unknownCode(code), by: contact.name)
                }
                incident = found
            } else {
                return InboundAnswer(refusal: ReplyRule.noCode, by: contact.name)
            }
        } catch {
            logger.error("inbound answer: the store could not be read", metadata: ["error": "\(error)"])
            return InboundAnswer(.refused, "The escalation service cannot act right now; please try again or use the app.")
        }
        let label = ReplyRule.label(incident.state)
        let decision: ReplyRule.Decision
        switch ReplyRule.decide(command, by: contact, state: incident.state, graph: graph, now: clock.now()) {
        case .success(let decided): decision = decided
        case .failure(let refusal):
            return InboundAnswer(refusal: refusal, incident: incident.id, by: contact.name, status: incident.state.status.rawValue)
        }
        do {
            let updated = try await handle(incident: incident.id, event: decision.event)
            if let refusal = ReplyRule.ignored(command, decision: decision, before: incident.state, after: updated.state) {
                return InboundAnswer(refusal: refusal, incident: incident.id, by: contact.name, status: updated.state.status.rawValue)
            }
            try await note(incident: incident.id, text: ReplyRule.note(decision, by: contact, via: reply.via, text: reply.text, referenced: reply.reference != nil))
            var answer = InboundAnswer(
                .acted, ReplyRule.thanks(decision, before: incident.state, after: updated.state, contact: contact), incident: incident.id)
            (answer.action, answer.by, answer.status) = (decision.done, contact.name, updated.state.status.rawValue)
            return answer
        } catch let error as ExecutorError {
            return InboundAnswer(.refused, "Incident \(label) was not \(decision.done): \(error.description)", incident: incident.id, by: contact.name)
        } catch {
            logger.error("inbound answer: the incident could not be changed", metadata: ["incident": "\(incident.id)", "error": "\(error)"])
            return InboundAnswer(.refused, "The escalation service cannot act right now; please try again or use the app.", incident: incident.id)
        }
    }
}
