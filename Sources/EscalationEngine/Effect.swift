import EscalationCore

/// What the engine asks the outside world to do; data only, no I/O.
public enum Effect: Codable, Sendable, Hashable {
    /// Send a message to a contact on a channel.
    case notify(Notification)
    /// Post a message to a channel that is not a person (a room, a status page, a ticket queue).
    case post(Post)
    /// Create a task for a person.
    case createTask(TaskItem)
    /// Call back with `.timerFired(id)` at an instant.
    case scheduleTimer(id: String, at: Instant)
    /// Forget a timer.
    case cancelTimer(id: String)
    /// Switch an action on (e.g. an away message).
    case applyAction(id: String, channel: String, message: RenderedMessage)
    /// Switch an action off.
    case undoAction(id: String, channel: String)
    /// Post a stage's status message, to be taken down at `expiresAt`.
    case postStage(stage: String, channel: String, message: RenderedMessage, expiresAt: Instant?)
    /// Take a stage message down.
    case expireStage(stage: String, channel: String)
    /// A line for the incident's timeline.
    case record(String)

    /// A message to one contact.
    public struct Notification: Codable, Sendable, Hashable {
        /// Recipient contact id.
        public var contact: String
        /// Recipient display name.
        public var name: String
        /// Channel id.
        public var channel: String
        /// The address the channel uses.
        public var address: String?
        /// Copied contacts' addresses on the same channel.
        public var cc: [String]
        /// The message.
        public var message: RenderedMessage
        /// Unique per delivery; forwarded downstream so a retry can be recognised.
        public var idempotencyKey: String
        /// The notification this delivery belongs to (for `.deliveryFailed`).
        public var notificationKey: String
        /// The layer or hook that sent it.
        public var origin: String
        /// Why it was sent now.
        public var reason: String
    }

    /// A message to a channel.
    public struct Post: Codable, Sendable, Hashable {
        /// Channel id.
        public var channel: String
        /// The message.
        public var message: RenderedMessage
        /// Unique per delivery.
        public var idempotencyKey: String
        /// The layer or hook that sent it.
        public var origin: String
    }

    /// A task for a person.
    public struct TaskItem: Codable, Sendable, Hashable {
        /// Title (with the scope item when `per` is used).
        public var title: String
        /// Assignee contact ids.
        public var assignees: [String]
        /// Details.
        public var description: String?
        /// The layer or hook that created it.
        public var origin: String
    }
}

/// A template rendered with the incident's values.
public struct RenderedMessage: Codable, Sendable, Hashable {
    /// Template id.
    public var template: String?
    /// Subject line.
    public var subject: String?
    /// Body.
    public var body: String
}
