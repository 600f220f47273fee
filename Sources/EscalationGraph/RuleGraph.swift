import EscalationCore

/// An organisation compiled for evaluation: everything the engine reads, with references resolved and
/// defaults inherited. Encodes to the stable JSON that `escalate compile` prints (keys sorted).
public struct RuleGraph: Codable, Sendable {
    /// The organisation id.
    public var organisation: String
    /// The organisation's display name.
    public var name: String
    /// The organisation's IANA timezone.
    public var timezone: String
    /// The calendar business durations use when nothing closer names one.
    public var defaultCalendar: String?
    /// Business-hours calendars.
    public var calendars: [CompiledCalendar]
    /// Contacts (addresses included).
    public var contacts: [CompiledContact]
    /// Groups.
    public var groups: [CompiledGroup]
    /// On-call schedules.
    public var schedules: [CompiledSchedule]
    /// Channel instances: id, plugin, the address kind they read, settings (secrets only as `${env:…}`) and timeout.
    public var channels: [CompiledChannel]
    /// Templates.
    public var templates: [CompiledTemplate]
    /// Policies, each a graph of nodes and edges.
    public var policies: [CompiledPolicy]
    /// Route tables (nil when there are none, so older graphs read the same).
    public var routes: [CompiledRoute]?

    /// Creates a value from its parts.
    public init(
        organisation: String, name: String, timezone: String, defaultCalendar: String? = nil, calendars: [CompiledCalendar], contacts: [CompiledContact], groups: [CompiledGroup], schedules: [CompiledSchedule], channels: [CompiledChannel],
        templates: [CompiledTemplate], policies: [CompiledPolicy], routes: [CompiledRoute]? = nil
    ) {
        self.routes = routes
        self.organisation = organisation
        self.name = name
        self.timezone = timezone
        self.defaultCalendar = defaultCalendar
        self.calendars = calendars
        self.contacts = contacts
        self.groups = groups
        self.schedules = schedules
        self.channels = channels
        self.templates = templates
        self.policies = policies
    }

    /// The policy with this id.
    public func policy(_ id: String) -> CompiledPolicy? { policies.first { $0.id == id } }
    /// The calendar with this id.
    public func calendar(_ id: String) -> CompiledCalendar? { calendars.first { $0.id == id } }
    /// The schedule with this id.
    public func schedule(_ id: String) -> CompiledSchedule? { schedules.first { $0.id == id } }
    /// The contact with this id.
    public func contact(_ id: String) -> CompiledContact? { contacts.first { $0.id == id } }
    /// The group with this id.
    public func group(_ id: String) -> CompiledGroup? { groups.first { $0.id == id } }
    /// The channel with this id.
    public func channel(_ id: String) -> CompiledChannel? { channels.first { $0.id == id } }
    /// The template with this id.
    public func template(_ id: String) -> CompiledTemplate? { templates.first { $0.id == id } }
    /// The route table with this id.
    public func route(_ id: String) -> CompiledRoute? { routes?.first { $0.id == id } }

    /// The targets a `route` target picks for an incident's fields (nil when the route is unknown or has no row).
    public func routeTargets(_ target: CompiledTarget, fields: [String: String]) -> [CompiledTarget]? {
        route(target.ref)?.targets(fields: fields)
    }
}

/// A contact as the engine sees it.
public struct CompiledContact: Codable, Sendable, Hashable {
    /// Id.
    public var id: String
    /// Display name.
    public var name: String
    /// Whether the contact can acknowledge (a person) or is a shared address.
    public var canAcknowledge: Bool
    /// Address kind → address.
    public var addresses: [String: String]
    /// Ordered channels with delays, used when a step names none.
    public var preferences: [ChannelUse]

    /// Creates a value from its parts.
    public init(id: String, name: String, canAcknowledge: Bool, addresses: [String: String], preferences: [ChannelUse]) {
        self.id = id
        self.name = name
        self.canAcknowledge = canAcknowledge
        self.addresses = addresses
        self.preferences = preferences
    }
}

/// A group as the engine sees it.
public struct CompiledGroup: Codable, Sendable, Hashable {
    /// Id.
    public var id: String
    /// Display name.
    public var name: String
    /// Member contact ids.
    public var members: [String]

    /// Creates a value from its parts.
    public init(id: String, name: String, members: [String]) {
        self.id = id
        self.name = name
        self.members = members
    }
}

/// A channel instance: everything the executor needs to build its plugin, so it never reads the YAML again.
public struct CompiledChannel: Codable, Sendable, Hashable {
    /// Id.
    public var id: String
    /// Plugin id.
    public var plugin: String
    /// The contact address kind it reads.
    public var addressKind: String
    /// Plugin settings as written (`${env:NAME}` references stay references; lint refuses plaintext secrets).
    public var settings: SettingValue?
    /// Longest one delivery may take, in seconds (nil: the plugin's default, else the executor's).
    public var timeoutSeconds: Int?
    /// Where the channel is declared (for plugin setup errors).
    public var source: SourceLocation?

    /// A compiled channel.
    public init(
        id: String, plugin: String, addressKind: String, settings: SettingValue? = nil, timeoutSeconds: Int? = nil,
        source: SourceLocation? = nil
    ) {
        self.id = id
        self.plugin = plugin
        self.addressKind = addressKind
        self.settings = settings
        self.timeoutSeconds = timeoutSeconds
        self.source = source
    }
}

/// A template as the engine sees it.
public struct CompiledTemplate: Codable, Sendable, Hashable {
    /// Id.
    public var id: String
    /// Subject line.
    public var subject: String?
    /// Body.
    public var body: String

    /// Creates a value from its parts.
    public init(id: String, subject: String? = nil, body: String) {
        self.id = id
        self.subject = subject
        self.body = body
    }
}

/// One item in an ordered list of channels, used `afterSeconds` into the notification, or when the previous item fails,
/// or (with `unansweredSeconds`) when the previous item fails or is not answered within that long. A group (`all`)
/// sends on each of its channels at once.
public struct ChannelUse: Codable, Sendable, Hashable {
    /// Channel id (a group's first channel).
    public var channel: String
    /// Delay from the start of the notification, in seconds.
    public var afterSeconds: Int
    /// A group's channels, all used at once; nil for one channel.
    public var all: [String]?
    /// Used when the previous item is not answered within this many seconds of being sent (or fails); nil: no such wait.
    public var unansweredSeconds: Int?

    /// A channel used after a delay; a group with `all`; waiting on an answer with `unansweredSeconds`.
    public init(channel: String, afterSeconds: Int, all: [String]? = nil, unansweredSeconds: Int? = nil) {
        self.channel = channel
        self.afterSeconds = afterSeconds
        self.all = all
        self.unansweredSeconds = unansweredSeconds
    }
}
