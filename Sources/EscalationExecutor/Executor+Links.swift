import EscalationCore
import EscalationEngine

extension Executor {
    /// `effect` with the action links in its message made into URLs (see `Options.actionLinks`).
    static func withLinks(_ effect: Effect, now: Instant, options: Options) -> Effect {
        func linked(_ message: RenderedMessage) -> RenderedMessage {
            var message = message
            let url: (ActionLink) -> String = { link in
                if let make = options.actionLinks { return make(link, now) }
                return options.baseURL.map { "\($0)/v1/incidents/\(link.incident)/acknowledge" } ?? "(acknowledge link)"
            }
            message.subject = message.subject.map { ActionLink.substitute(in: $0, url) }
            message.body = ActionLink.substitute(in: message.body, url)
            return message
        }
        switch effect {
        case .notify(var notification):
            notification.message = linked(notification.message)
            return .notify(notification)
        case .post(var post):
            post.message = linked(post.message)
            return .post(post)
        case .postStage(let stage, let channel, let message, let expiresAt):
            return .postStage(stage: stage, channel: channel, message: linked(message), expiresAt: expiresAt)
        case .applyAction(let id, let channel, let message):
            return .applyAction(id: id, channel: channel, message: linked(message))
        default:
            return effect
        }
    }
}
