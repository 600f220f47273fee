import EscalationCore

/// One organisation's whole policy set, merged from its YAML files.
public struct Organisation: Sendable {
    /// The files it was loaded from, in load order.
    public var files: [String] = []
    /// The `organisation:` section; nil when no file declares one.
    public var header: OrganisationHeader?
    /// Contacts by declaration order.
    public var contacts: [Contact] = []
    /// Groups by declaration order.
    public var groups: [ContactGroup] = []
    /// Schedules by declaration order.
    public var schedules: [Schedule] = []
    /// Channel instances by declaration order.
    public var channels: [ChannelConfig] = []
    /// Templates by declaration order.
    public var templates: [MessageTemplate] = []
    /// Policies by declaration order.
    public var policies: [Policy] = []
    /// Route tables by declaration order.
    public var routes: [RouteTable] = []
    /// Items whose declaration the loader reported an error in (dropped or read in part), so checks of the model skip
    /// them instead of reporting follow-on problems.
    public var damaged: Set<ModelItem> = []
    /// The id written under `organisation:`, even when the rest of that section is broken (so problems can be
    /// attributed to the organisation they belong to).
    public var declaredID: String?

    /// Creates an empty organisation.
    public init() {}

    /// The contact with this id.
    public func contact(_ id: String) -> Contact? { contacts.first { $0.id.value == id } }
    /// The group with this id.
    public func group(_ id: String) -> ContactGroup? { groups.first { $0.id.value == id } }
    /// The schedule with this id.
    public func schedule(_ id: String) -> Schedule? { schedules.first { $0.id.value == id } }
    /// The channel with this id.
    public func channel(_ id: String) -> ChannelConfig? { channels.first { $0.id.value == id } }
    /// The template with this id.
    public func template(_ id: String) -> MessageTemplate? { templates.first { $0.id.value == id } }
    /// The policy with this id.
    public func policy(_ id: String) -> Policy? { policies.first { $0.id.value == id } }
    /// The route table with this id.
    public func route(_ id: String) -> RouteTable? { routes.first { $0.id.value == id } }
    /// The calendar with this id.
    public func calendar(_ id: String) -> BusinessCalendar? { header?.calendars.first { $0.id.value == id } }

    /// A display name: the header's id, else the first file.
    public var displayName: String { header?.id.value ?? files.first ?? "(empty)" }
}
