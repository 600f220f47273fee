/// What a plugin is and what it can do; also its documentation and the source of its settings tests.
public struct ChannelDescriptor: Sendable {
    /// Things a plugin may support beyond plain delivery.
    public enum Capability: String, Sendable, CaseIterable, Codable {
        /// Replies land in one thread (e-mail In-Reply-To, Slack thread_ts).
        case threading
        /// Copies to other recipients.
        case cc
        /// Forwards the idempotency key to the far side.
        case idempotency
        /// Messages can be updated in place.
        case update
        /// Messages can be taken down.
        case expiry
        /// Actions can be undone.
        case undo
        /// Delivers without a recipient's address (to a room, page, queue or command its settings name), so it can
        /// take `post`, stage and action messages; plugins without it (SMS, voice, e-mail) need a person's address.
        case posts
        /// Reports whether the recipient answered (`DeliveryReceipt.answer`: a call picked up or not), so a policy's
        /// `unanswered:` channel can follow an unanswered delivery.
        case answers
        /// Takes replies by e-mail: `serve --smtp-listen` hands it every message its SMTP listener accepts (as an
        /// `InboundRequest` with method `SMTP`), so the plugin must conform to `InboundChannel`.
        case mail
    }

    /// One setting the plugin reads.
    public struct Setting: Sendable {
        /// The type of value a setting takes; lint checks it where it is written (an `${env:NAME}` reference stands
        /// for any scalar, checked when it is resolved).
        public enum Kind: String, Sendable, CaseIterable {
            /// One scalar value as text.
            case text
            /// A whole number.
            case integer
            /// A TCP port, 1 to 65535.
            case port
            /// An `http://` or `https://` URL.
            case url
            /// `true` or `false`.
            case boolean
            /// A duration such as `10s` or `2m`.
            case duration
            /// A list of scalars.
            case list
            /// A map of names to values.
            case map
        }

        /// Key in `settings:`.
        public var name: String
        /// The type of value it takes.
        public var kind: Kind
        /// Whether it must be present.
        public var required: Bool
        /// Whether it is a secret (must be a `${env:NAME}` reference).
        public var secret: Bool
        /// What it is.
        public var summary: String

        /// Describes a setting.
        public init(_ name: String, required: Bool = false, secret: Bool = false, kind: Kind = .text, _ summary: String) {
            self.name = name
            self.kind = kind
            self.required = required
            self.secret = secret
            self.summary = summary
        }
    }

    /// The plugin id policies use in `plugin:`.
    public var id: String
    /// One line about it.
    public var summary: String
    /// What it supports.
    public var capabilities: Set<Capability>
    /// Its settings.
    public var settings: [Setting]
    /// YAML settings maps that must validate clean.
    public var validExamples: [String]
    /// YAML settings maps that must not.
    public var invalidExamples: [String]
    /// How long one delivery may take before the executor gives up on it (retryable); nil for the executor's default.
    /// A channel's `timeout:` in the policy overrides it.
    public var deliveryTimeout: Double?

    /// Creates a descriptor.
    public init(
        id: String, summary: String, capabilities: Set<Capability> = [], settings: [Setting] = [], validExamples: [String] = [],
        invalidExamples: [String] = [], deliveryTimeout: Double? = nil
    ) {
        self.id = id
        self.summary = summary
        self.capabilities = capabilities
        self.settings = settings
        self.validExamples = validExamples
        self.invalidExamples = invalidExamples
        self.deliveryTimeout = deliveryTimeout
    }
}
