import EscalationChannel
import EscalationCore
import EscalationExecutor
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension EscalationAPI {
    /// `POST /v1/inbound/{channel}`: an answer on a channel (an SMS reply, a keypress, a chat button). The channel's
    /// plugin verifies the provider's signature and reads the answer; the executor maps the sender to a contact and the
    /// text to a command; the plugin formats what the sender is told. `?organisation=ORG` picks the organisation when
    /// several declare the channel.
    func inbound(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let id = try context.parameters.require("channel")
        let candidates = await executor.inboundOrganisations(channel: id)
        let named = request.uri.queryParameters.get("organisation")
        let organisation: String
        if let named {
            guard candidates.contains(named) else { throw APIError(.notFound, "no channel '\(id)' that takes answers in the organisation '\(named)'") }
            organisation = named
        } else if candidates.count == 1, let only = candidates.first {
            organisation = only
        } else if candidates.isEmpty {
            throw APIError(.notFound, "no channel '\(id)' whose plugin takes answers")
        } else {
            throw APIError(.conflict, "several organisations declare the channel '\(id)'; add ?organisation=ORG to the callback URL")
        }
        let channel: any InboundChannel
        do {
            guard let found = try await executor.inboundChannel(organisation: organisation, id: id) else {
                throw APIError(.notFound, "no channel '\(id)' whose plugin takes answers")
            }
            channel = found
        } catch let error as ChannelSetupError {
            logger.error("inbound: the channel cannot be set up", metadata: ["channel": "\(id)", "error": "\(error.description)"])
            throw APIError(.serviceUnavailable, "the channel '\(id)' cannot be set up on this server")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "inbound: the body is larger than \(configuration.maxBodyBytes) bytes")
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName, default: ""] += headers[field.name.canonicalName] == nil ? field.value : ", \(field.value)" }
        let path = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
        let inbound = InboundRequest(
            method: request.method.rawValue, url: configuration.baseURL + path, headers: headers, body: Array(buffer.readableBytesView),
            receivedAt: Self.wallClock())
        switch channel.receive(inbound) {
        case .refused(let status, let reason):
            logger.warning("inbound request refused", metadata: ["channel": "\(id)", "organisation": "\(organisation)", "reason": "\(reason)"])
            await executor.countInbound(channel: id, outcome: "refused_request")
            return JSONResponse.text(HTTPResponse.Status(code: status), "refused: \(reason)\n")
        case .answered(let response):
            return Self.response(response)
        case .delivery(let reference, let externalID, let answer):
            await executor.reportDelivery(externalID: externalID, answer: answer, incident: reference, organisation: organisation, channel: id)
            return Self.response(channel.respond(nil))
        case .reply(let reply):
            let answer = await executor.answer(reply, organisation: organisation, channel: id)
            // The provider waits for the answer (Slack gives up after 3 seconds); the follow-up (an edit of the
            // answered message) runs after it, under the plugin's own timeout.
            let result = answer.result
            Task { await channel.followUp(reply, result: result) }
            return Self.response(channel.respond(answer.text))
        }
    }

    static func response(_ response: InboundResponse) -> Response {
        JSONResponse.text(HTTPResponse.Status(code: response.status), response.body, type: response.contentType)
    }
}
