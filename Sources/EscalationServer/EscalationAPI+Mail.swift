import EscalationChannel
import EscalationCore
import EscalationExecutor
import Logging

extension EscalationAPI {
    /// A message the SMTP listener received (`serve --smtp-listen`): every channel whose plugin takes replies by mail
    /// reads it; when it answers a channel's thread, that channel takes it (its organisation must know the sender);
    /// otherwise the first channel whose organisation knows the sender (the code in the text names the incident); else
    /// the answer is "unknown sender". The verdict is the SMTP answer:
    /// 250 once read (acted on or not: the plugin may answer a known sender by mail; the reason is logged), 550 when
    /// no channel takes it or its plugin refuses it (a From that is not the envelope sender).
    public func mail(_ data: [UInt8], from: String, to: [String], peer: String) async -> (code: Int, text: String) {
        let candidates = await executor.mailChannels()
        guard !candidates.isEmpty else { return (550, "no channel here takes replies by e-mail") }
        let request = InboundRequest(
            method: "SMTP", url: "smtp://\(peer)",
            headers: ["x-smtp-mail-from": from.isEmpty ? "<>" : "<\(from)>", "x-smtp-rcpt-to": to.map { "<\($0)>" }.joined(separator: ", "), "x-smtp-peer": peer],
            body: data, receivedAt: Self.wallClock())
        var readers: [(organisation: String, id: String, channel: any InboundChannel, reply: InboundReply, known: Bool)] = []
        for (organisation, id) in candidates {
            let channel: any InboundChannel
            do {
                guard let found = try await executor.inboundChannel(organisation: organisation, id: id) else { continue }
                channel = found
            } catch {
                logger.error("inbound mail: the channel cannot be set up", metadata: ["channel": "\(id)", "organisation": "\(organisation)", "error": "\(error)"])
                continue
            }
            switch channel.receive(request) {
            case .refused(_, let reason):
                logger.warning("inbound mail refused", metadata: ["channel": "\(id)", "organisation": "\(organisation)", "reason": "\(reason)", "peer": "\(peer)"])
                await executor.countInbound(channel: id, outcome: "refused_request")
                return (550, "refused: \(reason)")
            case .answered(let response):
                logger.info("inbound mail taken, nothing to act on", metadata: ["channel": "\(id)", "reason": "\(response.body)", "peer": "\(peer)"])
                return (250, response.body.isEmpty ? "taken" : response.body)
            case .delivery:
                return (250, "taken")
            case .reply(let reply):
                let known = await executor.knows(sender: reply.from, organisation: organisation, channel: id)
                readers.append((organisation, id, channel, reply, known))
            }
        }
        // A reply in a channel's thread is about that channel's incident: only the channels that found their own thread
        // in it may take it (so another organisation's contact cannot answer it by code in their own); else any.
        let threaded = readers.filter { $0.reply.reference != nil }
        let pool = threaded.isEmpty ? readers : threaded
        guard let chosen = pool.first(where: { $0.known }) ?? pool.first else { return (550, "no channel here takes replies by e-mail") }
        let answer = await executor.answer(chosen.reply, organisation: chosen.organisation, channel: chosen.id)
        let (channel, reply, result) = (chosen.channel, chosen.reply, answer.result)
        Task { await channel.followUp(reply, result: result) }
        return (250, "\(answer.outcome.rawValue): \(answer.text)")
    }
}
