import EscalationCompiler
import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationPolicy
import Foundation
import Testing

/// Builds small organisations from YAML text.
enum Org {
    /// The shared top of every test organisation: UTC, an office calendar (Mon–Fri 09:00–17:00, 2026-03-16 a
    /// holiday), five people, a shared list, channels and templates.
    static let header = """
        organisation:
          id: acme
          name: Acme
          timezone: UTC
          default_calendar: office
          calendars:
            office:
              hours:
                - days: [mon, tue, wed, thu, fri]
                  from: "09:00"
                  to: "17:00"
              holidays:
                - 2026-03-16
        contacts:
          ann: { name: Ann, addresses: { phone: "+1-555-0001", email: ann@example.org, slack: "@ann" } }
          bob: { name: Bob, addresses: { phone: "+1-555-0002", email: bob@example.org, slack: "@bob" } }
          cat: { name: Cat, addresses: { phone: "+1-555-0003", email: cat@example.org, slack: "@cat" } }
          dan:
            name: Dan
            addresses: { phone: "+1-555-0004", email: dan@example.org, slack: "@dan" }
            preferences:
              - channel: slack
              - channel: sms
                after: 2m
              - channel: email
                after: 5m
          eve:
            name: Eve
            addresses: { email: eve@example.org, slack: "@eve" }
            preferences:
              - channel: phone
              - channel: email
                after: 3m
        channels:
          phone: { plugin: voice }
          sms: { plugin: sms, address: phone }
          email: { plugin: email }
          slack: { plugin: slack }
          banner: { plugin: statuspage }
          pbx: { plugin: pbx }
        templates:
          page:
            subject: "Page: {{ incident.title }}"
            body: "layer={{ layer.id }} to={{ recipient.id }}"
          note:
            body: "note outcome={{ incident.outcome }} status={{ incident.status }}"
          banner:
            body: "status {{ incident.status }}"
          away:
            body: "away"

        """

    /// Loads and compiles the header (`org.yaml`) with `yaml` (`policies.yaml`); fails the test on load errors.
    static func graph(_ yaml: String, header: Bool = true, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RuleGraph {
        let files = (header ? [(path: "org.yaml", text: Self.header)] : []) + [(path: "policies.yaml", text: yaml)]
        let loaded = PolicyLoader().load(files: files)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        try #require(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
        return GraphCompiler().compile(loaded.organisation)
    }
}

/// An instant written as a UTC local time, `2026-03-06T18:00`.
func instant(_ text: String) -> Instant {
    guard let value = Instant.parse(text, zone: ZonedTime.utc) else { preconditionFailure("bad instant \(text)") }
    return value
}

extension Instant {
    /// This instant plus some minutes.
    func plus(_ minutes: Int) -> Instant { adding(seconds: minutes * 60) }
}

/// Drives one incident through the engine by hand, keeping the pending timers the effects ask for.
struct Driver {
    let engine: Engine
    var state: IncidentState?
    var now: Instant
    /// Pending timers: id → instant.
    var timers: [String: Instant] = [:]
    /// Scheduling order, to break ties between timers due at one instant.
    var order: [String: Int] = [:]
    var counter = 0
    /// Every step: when, what, the effects and the state after it.
    var log: [(at: Instant, event: EngineEvent, effects: [Effect], state: IncidentState?)] = []

    init(_ graph: RuleGraph, start: Instant) {
        engine = Engine(graph: graph)
        now = start
    }

    /// Applies an event at `at` (default: now), after firing the timers due strictly before `at` (so, as in the
    /// simulator, an action at an instant comes before the timers due at that instant). Time never goes backwards.
    @discardableResult
    mutating func send(_ event: EngineEvent, at: Instant? = nil) -> [Effect] {
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

    @discardableResult
    mutating func trigger(_ policy: String, fields: [String: String] = [:], title: String = "Something broke") -> [Effect] {
        send(.trigger(id: "inc", policy: policy, title: title, fields: fields, dedupKey: nil))
    }

    /// The earliest pending timer (ties: the one scheduled first).
    var nextTimer: (id: String, at: Instant)? {
        timers.min { ($0.value, order[$0.key] ?? 0) < ($1.value, order[$1.key] ?? 0) }.map { ($0.key, $0.value) }
    }

    /// Fires the earliest pending timer at its instant.
    @discardableResult
    mutating func fireNext() -> [Effect]? {
        guard let next = nextTimer else { return nil }
        // A timer the engine scheduled in the past fires now (the property tests report it).
        return send(.timerFired(id: next.id), at: max(next.at, now))
    }

    /// Fires every timer due up to and including `instant`, in time order, then moves the clock to `instant`.
    /// Returns the effects produced, each with its instant.
    @discardableResult
    mutating func run(until instant: Instant, maxFirings: Int = 10_000) -> [(at: Instant, effect: Effect)] {
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
    var allEffects: [(at: Instant, effect: Effect)] {
        log.flatMap { entry in entry.effects.map { (entry.at, $0) } }
    }
}

extension Array where Element == Effect {
    var notifications: [Effect.Notification] {
        compactMap { if case .notify(let value) = $0 { return value }; return nil }
    }
    var posts: [Effect.Post] {
        compactMap { if case .post(let value) = $0 { return value }; return nil }
    }
    var tasks: [Effect.TaskItem] {
        compactMap { if case .createTask(let value) = $0 { return value }; return nil }
    }
    var scheduled: [(id: String, at: Instant)] {
        compactMap { if case .scheduleTimer(let id, let at) = $0 { return (id, at) }; return nil }
    }
    var cancelled: [String] {
        compactMap { if case .cancelTimer(let id) = $0 { return id }; return nil }
    }
    var applied: [String] {
        compactMap { if case .applyAction(let id, _, _) = $0 { return id }; return nil }
    }
    var undone: [String] {
        compactMap { if case .undoAction(let id, _) = $0 { return id }; return nil }
    }
    var stages: [(stage: String, channel: String, message: RenderedMessage, expiresAt: Instant?)] {
        compactMap {
            if case .postStage(let stage, let channel, let message, let expiresAt) = $0 { return (stage, channel, message, expiresAt) }
            return nil
        }
    }
    var expired: [String] {
        compactMap { if case .expireStage(let stage, _) = $0 { return stage }; return nil }
    }
    var records: [String] {
        compactMap { if case .record(let text) = $0 { return text }; return nil }
    }
    /// `contact@channel` for each notification, in order.
    var sent: [String] { notifications.map { "\($0.contact)@\($0.channel)" } }
}

extension Array where Element == (at: Instant, effect: Effect) {
    var effects: [Effect] { map(\.effect) }
}
