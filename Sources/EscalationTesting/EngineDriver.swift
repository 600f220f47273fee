import EscalationCore
import EscalationEngine
import EscalationGraph

/// Drives one incident through the engine by hand, keeping the pending timers the effects ask for.
public struct EngineDriver {
    /// The engine.
    public let engine: Engine
    /// The incident (nil before the trigger).
    public var state: IncidentState?
    /// The virtual clock.
    public var now: Instant
    /// Pending timers: id → instant.
    public var timers: [String: Instant] = [:]
    /// Scheduling order, to break ties between timers due at one instant.
    public var order: [String: Int] = [:]
    /// How many timers were scheduled.
    public var counter = 0
    /// Every step: when, what, the effects and the state after it.
    public var log: [(at: Instant, event: EngineEvent, effects: [Effect], state: IncidentState?)] = []

    /// A driver over a graph, its clock at `start`.
    public init(_ graph: RuleGraph, start: Instant) {
        engine = Engine(graph: graph)
        now = start
    }

    /// Applies an event at `at` (default: now), after firing the timers due strictly before `at` (so, as in the
    /// simulator, an action at an instant comes before the timers due at that instant). Time never goes backwards.
    @discardableResult
    public mutating func send(_ event: EngineEvent, at: Instant? = nil) -> [Effect] {
        if let at {
            precondition(at >= now, "time went backwards")
            if case .timerFired = event {} else { run(until: at.adding(seconds: -1)) }
            now = at
        }
        if case .timerFired(let id) = event { timers[id] = nil }
        let transition = engine.handle(event, state: state, now: now)
        state = transition.state
        for effect in transition.effects {
            switch effect {
            case .scheduleTimer(let id, let at):
                timers[id] = at
                counter += 1
                order[id] = counter
            case .cancelTimer(let id):
                timers[id] = nil
            default: break
            }
        }
        log.append((now, event, transition.effects, transition.state))
        return transition.effects
    }

    /// Triggers incident `inc` on a policy.
    @discardableResult
    public mutating func trigger(_ policy: String, fields: [String: String] = [:], title: String = "Something broke") -> [Effect] {
        send(.trigger(id: "inc", policy: policy, title: title, fields: fields, dedupKey: nil))
    }

    /// The earliest pending timer (ties: the one scheduled first).
    public var nextTimer: (id: String, at: Instant)? {
        timers.min { ($0.value, order[$0.key] ?? 0) < ($1.value, order[$1.key] ?? 0) }.map { ($0.key, $0.value) }
    }

    /// Fires the earliest pending timer at its instant.
    @discardableResult
    public mutating func fireNext() -> [Effect]? {
        guard let next = nextTimer else { return nil }
        // A timer the engine scheduled in the past fires now (the property tests report it).
        return send(.timerFired(id: next.id), at: max(next.at, now))
    }

    /// Fires every timer due up to and including `instant`, in time order, then moves the clock to `instant`.
    /// Returns the effects produced, each with its instant.
    @discardableResult
    public mutating func run(until instant: Instant, maxFirings: Int = 10_000) -> [(at: Instant, effect: Effect)] {
        var produced: [(at: Instant, effect: Effect)] = []
        for _ in 0..<maxFirings {
            guard let next = nextTimer, next.at <= instant else { break }
            let at = next.at
            produced += (fireNext() ?? []).map { (at, $0) }
        }
        if instant > now { now = instant }
        return produced
    }

    /// Every effect so far with its instant.
    public var allEffects: [(at: Instant, effect: Effect)] {
        log.flatMap { entry in entry.effects.map { (entry.at, $0) } }
    }
}

/// Effects of one kind, for assertions.
extension Array where Element == Effect {
    /// The notifications among the effects.
    public var notifications: [Effect.Notification] {
        compactMap { if case .notify(let value) = $0 { return value }; return nil }
    }
    /// The posts among the effects.
    public var posts: [Effect.Post] {
        compactMap { if case .post(let value) = $0 { return value }; return nil }
    }
    /// The tasks among the effects.
    public var tasks: [Effect.TaskItem] {
        compactMap { if case .createTask(let value) = $0 { return value }; return nil }
    }
    /// The scheduled among the effects.
    public var scheduled: [(id: String, at: Instant)] {
        compactMap { if case .scheduleTimer(let id, let at) = $0 { return (id, at) }; return nil }
    }
    /// The cancelled among the effects.
    public var cancelled: [String] {
        compactMap { if case .cancelTimer(let id) = $0 { return id }; return nil }
    }
    /// The applied among the effects.
    public var applied: [String] {
        compactMap { if case .applyAction(let id, _, _) = $0 { return id }; return nil }
    }
    /// The undone among the effects.
    public var undone: [String] {
        compactMap { if case .undoAction(let id, _) = $0 { return id }; return nil }
    }
    /// The stages among the effects.
    public var stages: [(stage: String, channel: String, message: RenderedMessage, expiresAt: Instant?)] {
        compactMap {
            if case .postStage(let stage, let channel, let message, let expiresAt) = $0 { return (stage, channel, message, expiresAt) }
            return nil
        }
    }
    /// The expired among the effects.
    public var expired: [String] {
        compactMap { if case .expireStage(let stage, _) = $0 { return stage }; return nil }
    }
    /// The records among the effects.
    public var records: [String] {
        compactMap { if case .record(let text) = $0 { return text }; return nil }
    }
    /// `contact@channel` for each notification, in order.
    public var sent: [String] { notifications.map { "\($0.contact)@\($0.channel)" } }
}

/// Timed effects.
extension Array where Element == (at: Instant, effect: Effect) {
    /// The effects without their instants.
    public var effects: [Effect] { map(\.effect) }
}
