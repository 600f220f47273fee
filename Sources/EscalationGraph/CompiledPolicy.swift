import EscalationCore

/// One policy compiled to a graph: nodes for steps, edges labelled with what moves along them.
public struct CompiledPolicy: Codable, Sendable {
    /// Policy id.
    public var id: String
    /// Display name.
    public var name: String
    /// A content hash of the compiled policy (ignoring source positions); snapshotted onto incidents.
    public var version: String
    /// Where the policy is declared.
    public var source: SourceLocation?
    /// Field → accepted values; all must hold.
    public var match: [String: [String]]
    /// Higher wins among matches.
    public var priority: Int
    /// Open only after several events.
    public var threshold: CompiledThreshold?
    /// Declared fields.
    public var fields: [CompiledField]
    /// The calendar business durations in this policy use by default (inherited from the organisation).
    public var calendar: String?
    /// Longest acceptable time to reach someone who can acknowledge, in seconds.
    public var targetAckSeconds: Int?
    /// Allowed outcomes.
    public var outcomes: [String]
    /// The list field whose items must each resolve.
    public var resolvePer: String?
    /// Signals that stop the ladder.
    public var until: [String]
    /// The node the ladder starts at.
    public var entry: String
    /// Nodes, in ladder order.
    public var nodes: [GraphNode]
    /// Edges, in ladder order.
    public var edges: [GraphEdge]
    /// Periodic messages while open.
    public var reminders: CompiledReminders?
    /// Status messages.
    public var stages: [CompiledStage]
    /// Actions applied at trigger and undone on resolve.
    public var actions: [CompiledAction]
    /// Steps on acknowledge, resolve and signals.
    public var hooks: CompiledHooks
    /// Timers beside the ladder (nil when there are none, so older graphs and versions read the same).
    public var deadlines: [CompiledDeadline]?
    /// How later events join an open incident as reports (nil: they are duplicates).
    public var correlate: CompiledCorrelation?
    /// Named watchdogs (nil when there are none).
    public var watchdogs: [CompiledReminders]?

    /// Creates a value from its parts.
    public init(
        id: String, name: String, version: String, source: SourceLocation? = nil, match: [String: [String]], priority: Int, threshold: CompiledThreshold? = nil, fields: [CompiledField], calendar: String? = nil, targetAckSeconds: Int? = nil,
        outcomes: [String], resolvePer: String? = nil, until: [String], entry: String, nodes: [GraphNode], edges: [GraphEdge], reminders: CompiledReminders? = nil, stages: [CompiledStage], actions: [CompiledAction], hooks: CompiledHooks
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.source = source
        self.match = match
        self.priority = priority
        self.threshold = threshold
        self.fields = fields
        self.calendar = calendar
        self.targetAckSeconds = targetAckSeconds
        self.outcomes = outcomes
        self.resolvePer = resolvePer
        self.until = until
        self.entry = entry
        self.nodes = nodes
        self.edges = edges
        self.reminders = reminders
        self.stages = stages
        self.actions = actions
        self.hooks = hooks
    }

    /// The node with this id.
    public func node(_ id: String) -> GraphNode? { nodes.first { $0.id == id } }
    /// Edges leaving a node.
    public func edges(from id: String) -> [GraphEdge] { edges.filter { $0.from == id } }
    /// The declared field with this name.
    public func field(_ name: String) -> CompiledField? { fields.first { $0.name == name } }
}

/// A declared incident field.
public struct CompiledField: Codable, Sendable, Hashable {
    /// Name (dotted).
    public var name: String
    /// Type name (`string`, `time`, `contact`, `list`, …).
    public var type: String
    /// Whether a trigger needs it.
    public var required: Bool
    /// What the reporter supplies.
    public var description: String?
    /// Allowed values of an enum.
    public var values: [String]

    /// The address kind an `address` / `address-list` field holds (nil for other types).
    public var addressKind: String?

    /// Creates a value from its parts.
    public init(name: String, type: String, required: Bool, description: String? = nil, values: [String], addressKind: String? = nil) {
        self.addressKind = addressKind
        self.name = name
        self.type = type
        self.required = required
        self.description = description
        self.values = values
    }
}

/// Open after `count` events within `withinSeconds`, unless an event matches `unless`.
public struct CompiledThreshold: Codable, Sendable, Hashable {
    /// Events needed.
    public var count: Int
    /// Window in seconds.
    public var withinSeconds: Int
    /// Events that open at once.
    public var unless: [String: [String]]

    /// Creates a value from its parts.
    public init(count: Int, withinSeconds: Int, unless: [String: [String]]) {
        self.count = count
        self.withinSeconds = withinSeconds
        self.unless = unless
    }
}

/// A node of the policy graph.
public struct GraphNode: Codable, Sendable {
    /// What a node does.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The incident triggered.
        case start
        /// A `when` condition: true and false edges leave it.
        case branch
        /// A layer that notifies people (and may add tasks and posts).
        case notify
        /// A layer that only adds tasks.
        case task
        /// Waiting for a timer (a timeout or an anchored instant).
        case wait
        /// Running the ladder again, a bounded number of times.
        case `repeat`
        /// A status message posted at a stage.
        case stage
        /// An action applied at trigger and undone on resolve.
        case action
        /// The ladder has stopped (acknowledged, resolved, stopped by a signal, or exhausted).
        case end
    }

    /// Stable id, e.g. `layer:first`, `layer:first/wait`, `end:acknowledged`.
    public var id: String
    /// The kind.
    public var kind: Kind
    /// The layer this node belongs to.
    public var layer: String?
    /// Where it comes from in the YAML.
    public var source: SourceLocation?
    /// What a notify/task node does.
    public var step: CompiledStep?
    /// The condition of a branch node.
    public var condition: CompiledCondition?
    /// The timer of a wait node.
    public var wait: CompiledWait?
    /// A repeat node's bound.
    public var repeatRule: CompiledRepeat?

    /// Creates a value from its parts.
    public init(id: String, kind: Kind, layer: String? = nil, source: SourceLocation? = nil, step: CompiledStep? = nil, condition: CompiledCondition? = nil, wait: CompiledWait? = nil, repeatRule: CompiledRepeat? = nil) {
        self.id = id
        self.kind = kind
        self.layer = layer
        self.source = source
        self.step = step
        self.condition = condition
        self.wait = wait
        self.repeatRule = repeatRule
    }
}

/// An edge of the policy graph and what moves along it.
public struct GraphEdge: Codable, Sendable, Hashable {
    /// What moves along an edge.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Immediately.
        case next
        /// When a timer fires.
        case timer
        /// When someone acknowledges.
        case acknowledge
        /// When a named signal arrives.
        case signal
        /// When the incident resolves.
        case resolve
        /// The branch condition holds.
        case conditionTrue = "condition_true"
        /// The branch condition does not hold.
        case conditionFalse = "condition_false"
        /// A repeat has used up its passes.
        case exhausted
    }

    /// Source node id.
    public var from: String
    /// Target node id.
    public var to: String
    /// What moves along it.
    public var kind: Kind
    /// Detail for pictures: the timer (`15m`, `session.start + 15m`), the signal name.
    public var detail: String?

    /// Creates a value from its parts.
    public init(from: String, to: String, kind: Kind, detail: String? = nil) {
        self.from = from
        self.to = to
        self.kind = kind
        self.detail = detail
    }
}

/// A compiled step: who, how, what.
public struct CompiledStep: Codable, Sendable, Hashable {
    /// Step id (layers always have one).
    public var id: String?
    /// Display name.
    public var name: String?
    /// Runs only if this holds when it starts (hook steps; layers use a branch node).
    public var condition: CompiledCondition?
    /// Who is told.
    public var targets: [CompiledTarget]
    /// Ordered channels; empty means each contact's preferences.
    public var channels: [ChannelUse]
    /// Copied recipients.
    public var cc: [CompiledTarget]
    /// The message template.
    public var template: String?
    /// Tasks.
    public var tasks: [CompiledTask]
    /// Messages to channels that are not people's addresses.
    public var posts: [CompiledPost]
    /// The name of this alternative of a `choose` layer (nil for other steps; `name` is then the layer's).
    public var alternative: String?

    /// Creates a value from its parts.
    public init(id: String? = nil, name: String? = nil, condition: CompiledCondition? = nil, targets: [CompiledTarget], channels: [ChannelUse], cc: [CompiledTarget], template: String? = nil, tasks: [CompiledTask], posts: [CompiledPost]) {
        self.id = id
        self.name = name
        self.condition = condition
        self.targets = targets
        self.channels = channels
        self.cc = cc
        self.template = template
        self.tasks = tasks
        self.posts = posts
    }
}

/// A target: `contact`, `group`, `schedule` or `field`, and the id or field name.
public struct CompiledTarget: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Kind.
    public var kind: String
    /// Referenced id or field name.
    public var ref: String
    /// Further address fields of the same person (`address` targets only; nil when none).
    public var also: [String]?

    /// Creates a value from its parts.
    public init(kind: String, ref: String, also: [String]? = nil) {
        self.kind = kind
        self.ref = ref
        self.also = also
    }
    /// `group:leads`, `address:client_phone+client_email`.
    public var description: String { "\(kind):\(([ref] + (also ?? [])).joined(separator: "+"))" }
    /// The address fields an `address` target reads.
    public var addressFields: [String] { kind == "address" ? [ref] + (also ?? []) : [] }
}

/// A task for a person.
public struct CompiledTask: Codable, Sendable, Hashable {
    /// Title.
    public var title: String
    /// Assignee.
    public var assignee: CompiledTarget?
    /// Details.
    public var description: String?
    /// One task per item of this list field.
    public var per: String?

    /// Creates a value from its parts.
    public init(title: String, assignee: CompiledTarget? = nil, description: String? = nil, per: String? = nil) {
        self.title = title
        self.assignee = assignee
        self.description = description
        self.per = per
    }
}

/// A message to a channel.
public struct CompiledPost: Codable, Sendable, Hashable {
    /// Channel id.
    public var channel: String
    /// Template id.
    public var template: String
    /// A channel route picking the channel by a field's value (`channel` is then the route id).
    public var route: String?

    /// Creates a value from its parts.
    public init(channel: String, template: String) {
        self.channel = channel
        self.template = template
    }
}

/// A `when` condition.
public struct CompiledCondition: Codable, Sendable, Hashable {
    /// Inside this calendar's open hours.
    public var during: String?
    /// Outside this calendar's open hours.
    public var outside: String?
    /// Field equalities.
    public var fields: [String: [String]]
    /// Resolution outcomes.
    public var outcome: [String]
    /// Signals received or stages posted so far that must all have happened (nil: none asked).
    public var seen: [String]?

    /// Creates a value from its parts.
    public init(during: String? = nil, outside: String? = nil, fields: [String: [String]], outcome: [String]) {
        self.during = during
        self.outside = outside
        self.fields = fields
        self.outcome = outcome
    }
}

/// A timer: a wall duration, a business duration on a calendar, or an instant anchored to a field.
public struct CompiledWait: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The kind of timer.
    public enum Kind: String, Codable, Sendable {
        case duration, business, anchor
    }

    /// Kind.
    public var kind: Kind
    /// Wall seconds (duration), or open seconds beyond `businessDays` (business).
    public var seconds: Int
    /// Whole business days (business).
    public var businessDays: Int
    /// The calendar a business timer counts on.
    public var calendar: String?
    /// The `time` field of an anchor.
    public var field: String?
    /// The anchor's offset in seconds.
    public var offsetSeconds: Int

    /// Creates a value from its parts.
    public init(kind: Kind, seconds: Int, businessDays: Int, calendar: String? = nil, field: String? = nil, offsetSeconds: Int) {
        self.kind = kind
        self.seconds = seconds
        self.businessDays = businessDays
        self.calendar = calendar
        self.field = field
        self.offsetSeconds = offsetSeconds
    }

    /// `15m`, `1 business day`, `session.start + 15m`.
    public var description: String {
        switch kind {
        case .duration: return PolicyDuration.compact(seconds) ?? "0s"
        case .business:
            return PolicyDuration(businessDays: businessDays, businessSeconds: seconds).description
        case .anchor:
            guard let text = PolicyDuration.compact(abs(offsetSeconds)) else { return field ?? "?" }
            return "\(field ?? "?") \(offsetSeconds < 0 ? "-" : "+") \(text)"
        }
    }
}

/// A repeat bound.
public struct CompiledRepeat: Codable, Sendable, Hashable {
    /// Extra passes.
    public var times: Int
    /// Pause before each pass.
    public var after: CompiledWait

    /// Creates a value from its parts.
    public init(times: Int, after: CompiledWait) {
        self.times = times
        self.after = after
    }
}

/// Reminders while open.
public struct CompiledReminders: Codable, Sendable, Hashable {
    /// Interval.
    public var every: CompiledWait
    /// What to send.
    public var step: CompiledStep
    /// Events that restart the interval (`update` or signal names); nil: plain reminders on a clock.
    public var resetOn: [String]?
    /// The watchdog's id (nil for the policy's `reminders`).
    public var id: String?

    /// Creates a value from its parts.
    public init(every: CompiledWait, step: CompiledStep, resetOn: [String]? = nil) {
        self.resetOn = resetOn
        self.every = every
        self.step = step
    }
}

/// A stage message.
public struct CompiledStage: Codable, Sendable, Hashable {
    /// Id.
    public var id: String
    /// `trigger`, `acknowledge`, `signal` or `resolve`.
    public var on: String
    /// Signal name for `on: signal`.
    public var signal: String?
    /// Channel.
    public var channel: String
    /// Template.
    public var template: String
    /// Taken down after this many seconds.
    public var expiresSeconds: Int?
    /// Posted only if this stage was posted earlier in the incident (nil: always).
    public var ifPosted: String?
    /// Fields that must have a value when the stage is entered (nil: none).
    public var requires: [String]?
    /// A channel route picking the channel by a field's value (`channel` is then the route id).
    public var route: String?

    /// Creates a value from its parts.
    public init(
        id: String, on: String, signal: String? = nil, channel: String, template: String, expiresSeconds: Int? = nil, ifPosted: String? = nil,
        requires: [String]? = nil
    ) {
        self.requires = requires
        self.ifPosted = ifPosted
        self.id = id
        self.on = on
        self.signal = signal
        self.channel = channel
        self.template = template
        self.expiresSeconds = expiresSeconds
    }
}

/// An action applied at trigger.
public struct CompiledAction: Codable, Sendable, Hashable {
    /// Id.
    public var id: String
    /// Channel.
    public var channel: String
    /// Template.
    public var template: String
    /// Undone when the incident resolves.
    public var undoOnResolve: Bool

    /// Creates a value from its parts.
    public init(id: String, channel: String, template: String, undoOnResolve: Bool) {
        self.id = id
        self.channel = channel
        self.template = template
        self.undoOnResolve = undoOnResolve
    }
}

/// Hook steps.
public struct CompiledHooks: Codable, Sendable, Hashable {
    /// When the incident opens (nil when there are none, so older graphs and versions read the same).
    public var trigger: [CompiledStep]?
    /// On acknowledge.
    public var acknowledge: [CompiledStep]
    /// On resolve.
    public var resolve: [CompiledStep]
    /// On each named signal.
    public var signals: [String: [CompiledStep]]
    /// Each time one `resolve_per` item resolves while others stay open (nil when there are none).
    public var scopeResolved: [CompiledStep]?
    /// Each time a later event joins the incident as a report (nil when there are none).
    public var report: [CompiledStep]?

    /// Creates a value from its parts.
    public init(acknowledge: [CompiledStep], resolve: [CompiledStep], signals: [String: [CompiledStep]], trigger: [CompiledStep]? = nil) {
        self.trigger = trigger
        self.acknowledge = acknowledge
        self.resolve = resolve
        self.signals = signals
    }
}

/// A timer beside the ladder: when `wait` comes (counted from the trigger, or anchored to a field) it runs `step`
/// and/or raises `signal`. An acknowledgement does not cancel it; resolving does.
public struct CompiledDeadline: Codable, Sendable, Hashable {
    /// Id.
    public var id: String
    /// When it fires: a `duration` from the trigger or an `anchor`.
    public var wait: CompiledWait
    /// What it does (may notify nobody when it only raises a signal).
    public var step: CompiledStep
    /// The signal it raises.
    public var signal: String?
    /// Signals that cancel it while it is pending (nil: none).
    public var until: [String]?

    /// A deadline.
    public init(id: String, wait: CompiledWait, step: CompiledStep, signal: String?) {
        self.id = id
        self.wait = wait
        self.step = step
        self.signal = signal
    }
}
