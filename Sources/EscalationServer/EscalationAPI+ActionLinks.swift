import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationStore
import Foundation
import HTTPTypes
import Hummingbird

extension EscalationAPI {
    /// The signer of this API's action links (the executor uses the same one, via `Executor.Options.actionLinks`).
    public var linkSigner: ActionLinkSigner { ActionLinkSigner(configuration: configuration) }

    /// A signed acknowledge link for `recipient`, sent at `now`.
    public func acknowledgeLink(incident: String, by recipient: String, now: Instant) -> String {
        linkSigner.url(for: ActionLink(action: .acknowledge, incident: incident, recipient: recipient), now: now)
    }

    /// `GET /v1/ack/TOKEN`: a page that says what the link does, with a button that POSTs it. A GET never acts, so a
    /// chat app's link preview or a mail scanner cannot acknowledge.
    func confirmLink(_ context: BasicRequestContext) async throws -> Response {
        let (signed, incident): (SignedAction, StoredIncident)
        switch try await linkTarget(context) {
        case .answered(let page): return page
        case .open(let link, let found): (signed, incident) = (link, found)
        }
        let action = signed.link.action
        let effect: String
        switch action {
        case .acknowledge: effect = "Acknowledging it as \(signed.actor) stops its escalation."
        case .resolve: effect = "Resolving it as \(signed.actor) ends it: the escalation stops and resolve messages go out."
        case .escalate: effect = "Escalating it as \(signed.actor) pages the next layer now."
        }
        return LinkPage.response(
            .ok, title: "\(action.verb) \(incident.state.title)?", text: "Incident \(incident.id) is \(incident.state.status.rawValue). \(effect)",
            button: action.verb)
    }

    /// `POST /v1/ack/TOKEN` (the button of the confirmation page): acts (acknowledge, resolve or escalate) as the link's recipient.
    func followLink(_ context: BasicRequestContext) async throws -> Response {
        let (signed, incident): (SignedAction, StoredIncident)
        switch try await linkTarget(context) {
        case .answered(let page): return page
        case .open(let link, let found): (signed, incident) = (link, found)
        }
        let id = incident.id
        let action = signed.link.action
        let event: EngineEvent
        switch action {
        case .acknowledge: event = .acknowledge(by: signed.actor)
        case .resolve: event = .resolve(by: signed.actor, scope: nil, outcome: nil)
        case .escalate: event = .escalateNow
        }
        do {
            let updated = try await executor.handle(incident: id, event: event)
            logger.notice("\(action.done) via link", metadata: ["incident": "\(id)", "by": "\(signed.actor)", "organisation": "\(incident.organisation)"])
            do {
                try await executor.note(incident: id, text: "\(action.done) by \(signed.actor) via link")
            } catch {
                logger.error("the link's note could not be put on the timeline", metadata: ["incident": "\(id)", "error": "\(error)"])
            }
            return LinkPage.response(
                .ok, title: action.done.prefix(1).uppercased() + action.done.dropFirst(),
                text: "\(updated.state.title) (\(id)) is \(updated.state.status.rawValue). Thank you, \(signed.actor).")
        } catch let error as ExecutorError {
            return LinkPage.response(.conflict, title: "Not \(action.done)", text: "The incident could not be \(action.done): \(error.description)")
        }
    }

    /// What a link leads to: an open incident to act on, or a page that says why there is nothing to do.
    enum LinkTarget {
        /// Refused, not found, or no longer open: the page to answer with.
        case answered(Response)
        /// A genuine link to an open incident.
        case open(SignedAction, StoredIncident)
    }

    func linkTarget(_ context: BasicRequestContext) async throws -> LinkTarget {
        let token = try context.parameters.require("token")
        let signed: SignedAction
        switch linkSigner.verify(token, now: Self.wallClock()) {
        case .success(let verified): signed = verified
        case .failure(let refusal): return .answered(refused(refusal))
        }
        let id = signed.link.incident
        guard let incident = try await executor.incident(id) else {
            return .answered(LinkPage.response(.notFound, title: "Incident not found", text: "There is no incident \(id) on this server."))
        }
        // A resolve link still works on an acknowledged incident; acknowledge and escalate need an open one.
        let acts = signed.link.action == .resolve ? incident.state.isOpen : incident.state.status == .open
        guard acts else {
            let how = incident.state.status == .resolved ? "resolved" : "acknowledged"
            let who = (incident.state.status == .resolved ? incident.state.resolvedBy : incident.state.acknowledgedBy).map { " by \($0)" } ?? ""
            return .answered(LinkPage.response(.ok, title: "Already \(how)", text: "\(incident.state.title) (\(id)) was already \(how)\(who); nothing changed."))
        }
        return .open(signed, incident)
    }

    func refused(_ refusal: LinkRefusal) -> Response {
        logger.warning("action link refused", metadata: ["reason": "\(refusal.reason)"])
        switch refusal {
        case .malformed:
            return LinkPage.response(.badRequest, title: "Not a valid link", text: "This link is incomplete; copy the whole link from the message.")
        case .badSignature:
            return LinkPage.response(
                .forbidden, title: "Not a valid link",
                text: "This link was altered, or signed with a key this server no longer has. Use the link in the latest message, or acknowledge in the app.")
        case .expired(let signed):
            let when = Instant(seconds: signed.expires).description
            return LinkPage.response(
                .gone, title: "This link has expired", text: "The link to \(signed.link.action.rawValue) \(signed.link.incident) expired at \(when). Use the link in a newer message, or act in the app.")
        }
    }

    static func wallClock() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
}
