import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationPolicy
import EscalationStore
import Foundation

/// Runs real escalations: engine transitions committed with their effects, durable timers, and an outbox
/// delivered through channel plugins with timeouts, retries and fallback. A crash at any point loses nothing.
public actor Executor {
    /// Tuning knobs.
    public struct Options: Sendable {
        /// Longest a plugin may take for one delivery, unless the channel's `timeout:` or the plugin's default says otherwise.
        public var deliveryTimeout: Double = 10
        /// Attempts before a retryable failure becomes final.
        public var maxAttempts: Int = 5
        /// After this long a queued delivery is given up (and an interrupted one is never resent).
        public var sendDeadlineSeconds: Int = 600
        /// First retry delay; doubles each attempt, with jitter.
        public var backoffSeconds: Double = 2
        /// At most this many deliveries per contact per minute; more wait.
        public var perContactPerMinute: Int = 10
        /// Base URL for links in messages.
        public var baseURL: String?
        /// Deliveries the served loop runs at once.
        public var maxInFlight: Int = 100
        /// Default options.
        public init() {}
    }

    let store: any IncidentStore
    var policies: PolicySet
    /// Graphs of earlier policy versions, so open incidents keep the version they started with.
    var retired: [String: RuleGraph] = [:]
    let registry: ChannelRegistry
    let environment: ChannelEnvironment
    let clock: any ExecutorClock
    let options: Options
    var channelCache: [String: any NotificationChannel] = [:]
    var recentDeliveries: [String: [Instant]] = [:]
    var counter = 0
    /// Pending timers in memory, mirroring the store's; filled from the store by `armTimers()`.
    var timerHeap = TimerHeap()
    var timersArmed = false
    /// Wakes `run()` when a commit arms a timer or queues a delivery.
    let wakeup = Wakeup()
    /// Wakes `drain` when a delivery the served loop started has been recorded.
    let settled = Wakeup()
    /// When each queued delivery became due (precise wall time), for the dispatch lag metric.
    var dueSince: [String: Double] = [:]
    /// Policy versions known to be saved in the store.
    var snapshotted: Set<String> = []
    /// Keys held by `exclusively`, and who waits for them.
    var busy: Set<String> = []
    var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// Organisation models replaced by reloads, newest first (for channels an open incident's version still uses).
    var retiredOrganisations: [String: [Organisation]] = [:]
    /// Whether `run()` is running (it may run once).
    var running = false
    /// Deliveries the served loop started and whose results are not recorded yet.
    var inFlight = 0
    /// Counters for `/metrics`.
    public internal(set) var metrics = ExecutorMetrics()

    /// Creates an executor; call `recover()` before serving.
    public init(
        store: any IncidentStore, policies: PolicySet, registry: ChannelRegistry, environment: ChannelEnvironment,
        clock: any ExecutorClock = SystemClock(), options: Options = Options()
    ) {
        self.store = store
        self.policies = policies
        self.registry = registry
        self.environment = environment
        self.clock = clock
        self.options = options
    }

    // MARK: - Policies

    /// Replaces the running policies; graphs of versions still used by open incidents stay available.
    public func reload(_ set: PolicySet) {
        for entry in policies.entries.values {
            for policy in entry.graph.policies { retired["\(entry.graph.organisation)/\(policy.version)"] = entry.graph }
            // The newest few replaced models are kept (for their channels); older ones are dropped.
            retiredOrganisations[entry.graph.organisation, default: []].insert(entry.organisation, at: 0)
            retiredOrganisations[entry.graph.organisation] = Array(retiredOrganisations[entry.graph.organisation, default: []].prefix(20))
        }
        policies = set
        channelCache.removeAll()
    }

    /// Loads, lints and compiles the policies at `paths` and runs them; on any error nothing changes and the
    /// diagnostics (file:line:col) come back. Open incidents keep the version they started with.
    /// Files are read and compiled off the actor, so incidents keep moving meanwhile.
    public nonisolated func reload(paths: [String]) async -> String? {
        do {
            let set = try PolicySet.load(paths: paths, channels: registry)
            await reload(set)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The organisations served.
    public var organisations: [String] { policies.entries.keys.sorted() }

    /// The graph an incident runs on: its own version, from the running set, from earlier reloads, or from the
    /// snapshot saved with its trigger (after a restart). `note` says when none is left and the current one is used.
    func graph(organisation: String, version: String) async throws -> (graph: RuleGraph, note: String?)? {
        if let current = policies.entries[organisation]?.graph, current.policies.contains(where: { $0.version == version }) {
            return (current, nil)
        }
        let key = "\(organisation)/\(version)"
        if let earlier = retired[key] { return (earlier, nil) }
        var missing = "no snapshot"
        if let snapshot = try await store.policySnapshot(organisation: organisation, version: version) {
            do {
                let saved = try JSONDecoder().decode(SnapshotDocument.self, from: Data(snapshot.document.utf8))
                retired[key] = saved.graph
                // Its channel declarations serve its deliveries when a later set no longer declares them.
                if !saved.sources.isEmpty {
                    let model = PolicyLoader().load(files: saved.sources.map { (path: $0.path, text: $0.text) }).organisation
                    retiredOrganisations[organisation, default: []].append(model)
                }
                return (saved.graph, nil)
            } catch {
                missing = "its snapshot cannot be read: \(error)"
            }
        }
        guard let current = policies.entries[organisation]?.graph else { return nil }
        return (current, "policy version \(version) is no longer available (\(missing)); continuing on the running policies")
    }

    /// What a snapshot holds: the compiled graph, and the files it was compiled from.
    struct SnapshotDocument: Codable {
        var graph: RuleGraph
        var sources: [PolicySource]
    }

    /// The snapshot to save with a trigger, unless this version was saved already.
    func snapshot(of entry: PolicySet.Entry, version: String) async throws -> PolicySnapshot? {
        let graph = entry.graph
        let key = "\(graph.organisation)/\(version)"
        guard !snapshotted.contains(key) else { return nil }
        if try await store.policySnapshot(organisation: graph.organisation, version: version) != nil {
            snapshotted.insert(key)
            return nil
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let document = SnapshotDocument(graph: graph, sources: entry.sources)
        return PolicySnapshot(organisation: graph.organisation, version: version, document: String(decoding: try encoder.encode(document), as: UTF8.self))
    }

    func engine(for graph: RuleGraph) -> Engine { Engine(graph: graph, links: Engine.Links(baseURL: options.baseURL)) }

    // MARK: - Requests

    /// The result of a trigger: the incident and whether it is new (false when deduplicated).
    public struct Triggered: Sendable {
        /// The incident.
        public var incident: StoredIncident
        /// False when an open incident with the same dedup key took the event.
        public var created: Bool
    }

    /// Opens an incident (or returns the open one with the same dedup key).
    public func trigger(
        organisation: String, policy: String?, title: String?, fields: [String: String], dedupKey: String?
    ) async throws -> Triggered {
        // Two triggers with one dedup key must not both open an incident.
        guard let dedupKey else { return try await openIncident(organisation: organisation, policy: policy, title: title, fields: fields, dedupKey: nil) }
        return try await exclusively("dedup/\(organisation)/\(dedupKey)") {
            try await openIncident(organisation: organisation, policy: policy, title: title, fields: fields, dedupKey: dedupKey)
        }
    }

    func openIncident(
        organisation: String, policy: String?, title: String?, fields: [String: String], dedupKey: String?
    ) async throws -> Triggered {
        guard let entry = policies.entries[organisation] else {
            throw ExecutorError(.notFound, "no organisation '\(organisation)'; served: \(organisations.joined(separator: ", "))")
        }
        if let dedupKey, let open = try await store.openIncident(organisation: organisation, dedupKey: dedupKey) {
            try await store.append([EventLogEntry(incident: open.id, at: clock.now(), kind: "event", text: "trigger deduplicated (dedup key \(dedupKey))")])
            metrics.events += 1
            return Triggered(incident: open, created: false)
        }
        let policyID = try route(entry.graph, policy: policy, fields: fields)
        let engine = engine(for: entry.graph)
        let problems = engine.validate(policy: policyID, fields: fields)
        if !problems.isEmpty { throw ExecutorError(.invalid, problems.joined(separator: "; ")) }
        counter += 1
        let now = clock.now()
        let id = "\(organisation)-\(String(now.seconds, radix: 36))-\(counter)-\(UInt16.random(in: 0...UInt16.max))"
        let event = EngineEvent.trigger(id: id, policy: policyID, title: title ?? "Incident via \(policyID)", fields: fields, dedupKey: dedupKey)
        let transition = engine.handle(event, state: nil, now: now)
        guard let state = transition.state else {
            throw ExecutorError(.invalid, transition.effects.description)
        }
        let incident = StoredIncident(id: id, organisation: organisation, state: state, createdAt: now, updatedAt: now)
        let snapshot = try await snapshot(of: entry, version: state.version)
        try await commit(incident: incident, event: event, effects: transition.effects, now: now, snapshot: snapshot)
        if let snapshot { snapshotted.insert("\(snapshot.organisation)/\(snapshot.version)") }
        return Triggered(incident: incident, created: true)
    }

    /// The policy for an incident: the named one, else the best `match` (priority, then order).
    func route(_ graph: RuleGraph, policy: String?, fields: [String: String]) throws -> String {
        let ids = graph.policies.map(\.id)
        if let policy {
            guard graph.policy(policy) != nil else {
                throw ExecutorError(.notFound, "no policy '\(policy)'\(policy.didYouMean(ids)) in '\(graph.organisation)'; policies: \(ids.joined(separator: ", "))")
            }
            return policy
        }
        let matching = graph.policies.filter { candidate in
            candidate.match.allSatisfy { field, values in fields[field].map(values.contains) ?? false }
        }
        guard let best = matching.max(by: { $0.priority < $1.priority }),
            let first = matching.first(where: { $0.priority == best.priority })
        else {
            throw ExecutorError(.invalid, "no policy of '\(graph.organisation)' matches these fields; name one (policies: \(ids.joined(separator: ", ")))")
        }
        return first.id
    }

    /// Applies an event to an incident.
    @discardableResult
    public func handle(incident id: String, event: EngineEvent) async throws -> StoredIncident {
        try await handle(incident: id, event: event, firedTimer: nil)
    }

    /// Applies an event; a fired timer is removed from the store in the same transaction as its transition.
    /// One event at a time per incident: the read, the engine step and the commit are not interleaved with another
    /// event for the same incident (an acknowledge racing a timer would otherwise overwrite one another).
    func handle(incident id: String, event: EngineEvent, firedTimer: StoredTimer?) async throws -> StoredIncident {
        try await exclusively("incident/\(id)") {
            guard var incident = try await store.incident(id: id) else { throw ExecutorError(.notFound, "no incident '\(id)'") }
            guard let (graph, note) = try await graph(organisation: incident.organisation, version: incident.state.version) else {
                throw ExecutorError(.notFound, "the organisation '\(incident.organisation)' of incident '\(id)' is no longer served")
            }
            let now = clock.now()
            let transition = engine(for: graph).handle(event, state: incident.state, now: now)
            guard let state = transition.state else {
                if let firedTimer { try await store.removeTimer(id: firedTimer.id) }
                return incident
            }
            incident.state = state
            incident.updatedAt = now
            let notes = note.map { [EventLogEntry(incident: id, at: now, kind: "effect", text: $0)] } ?? []
            try await commit(incident: incident, event: event, effects: transition.effects, now: now, firedTimer: firedTimer, notes: notes)
            return incident
        }
    }

    /// Runs `body` while no other call holds `key` (callers wait their turn, in order).
    func exclusively<T: Sendable>(_ key: String, _ body: () async throws -> T) async throws -> T {
        while busy.contains(key) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in waiting[key, default: []].append(continuation) }
        }
        busy.insert(key)
        defer {
            busy.remove(key)
            if var queue = waiting[key], !queue.isEmpty {
                queue.removeFirst().resume()
                waiting[key] = queue.isEmpty ? nil : queue
            }
        }
        return try await body()
    }

    /// The incident with this id.
    public func incident(_ id: String) async throws -> StoredIncident? { try await store.incident(id: id) }

    /// Incidents of an organisation, newest first.
    public func incidents(organisation: String?, limit: Int = 100) async throws -> [StoredIncident] {
        try await store.incidents(organisation: organisation, limit: limit)
    }

    /// An incident's timeline.
    public func timeline(_ id: String) async throws -> [EventLogEntry] { try await store.log(incident: id) }

    /// An incident's tasks.
    public func tasks(_ id: String) async throws -> [StoredTask] { try await store.tasks(incident: id) }

    /// An incident's deliveries.
    public func deliveries(_ id: String?) async throws -> [OutboxItem] { try await store.deliveries(incident: id) }

    // MARK: - Commit

    func commit(
        incident: StoredIncident, event: EngineEvent, effects: [Effect], now: Instant, firedTimer: StoredTimer? = nil, snapshot: PolicySnapshot? = nil,
        notes: [EventLogEntry] = []
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var log = [
            EventLogEntry(
                incident: incident.id, at: now, kind: "event", text: Self.describe(event),
                payload: (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) })
        ] + notes
        var add: [StoredTimer] = []
        var remove: [String] = firedTimer.map { [$0.id] } ?? []
        var outbox: [OutboxItem] = []
        var tasks: [StoredTask] = []
        let deadline = now.adding(seconds: options.sendDeadlineSeconds)
        func queue(_ effect: Effect, key: String, channel: String) {
            let json = (try? encoder.encode(effect)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            outbox.append(
                OutboxItem(
                    idempotencyKey: key, incident: incident.id, organisation: incident.organisation, effect: json, channel: channel,
                    nextAttempt: now, deadline: deadline, createdAt: now))
        }
        for effect in effects {
            switch effect {
            case .scheduleTimer(let id, let at): add.append(StoredTimer(id: id, incident: incident.id, at: at))
            case .cancelTimer(let id):
                remove.append(id)
                add.removeAll { $0.id == id }
            case .notify(let notification): queue(effect, key: notification.idempotencyKey, channel: notification.channel)
            case .post(let post): queue(effect, key: post.idempotencyKey, channel: post.channel)
            case .postStage(let stage, let channel, _, _): queue(effect, key: "\(incident.id)/stage/\(stage)/\(incident.state.sequence)", channel: channel)
            case .applyAction(let id, let channel, _): queue(effect, key: "\(incident.id)/action/\(id)", channel: channel)
            case .undoAction(let id, let channel): queue(effect, key: "\(incident.id)/undo/\(id)", channel: channel)
            case .expireStage(let stage, let channel): queue(effect, key: "\(incident.id)/expire/\(stage)/\(incident.state.sequence)", channel: channel)
            case .createTask(let task):
                tasks.append(
                    StoredTask(
                        incident: incident.id, title: task.title, assignees: task.assignees, description: task.description, origin: task.origin,
                        createdAt: now))
                log.append(
                    EventLogEntry(
                        incident: incident.id, at: now, kind: "task",
                        text: "task '\(task.title)' for \(task.assignees.isEmpty ? "anyone" : task.assignees.joined(separator: ", ")) (\(task.origin))"))
            case .record(let text): log.append(EventLogEntry(incident: incident.id, at: now, kind: "effect", text: text))
            }
        }
        var change = StoreChange(incident: incident, log: log, addTimers: add, removeTimers: remove, outbox: outbox)
        change.snapshot = snapshot
        change.tasks = tasks
        try await store.commit(change)
        metrics.events += 1
        for id in remove { timerHeap.disarm(id) }
        for timer in add { timerHeap.arm(timer) }
        // A delivery queued by a fired timer has been due since the timer's instant, not since now.
        let due = firedTimer.map { Double($0.at.seconds) } ?? clock.preciseNow()
        for item in outbox { dueSince[item.idempotencyKey] = due }
        if !add.isEmpty || !outbox.isEmpty { wakeup.signal() }
    }

    static func describe(_ event: EngineEvent) -> String {
        switch event {
        case .trigger(_, let policy, let title, _, let dedupKey):
            return "triggered '\(title)' (policy \(policy)\(dedupKey.map { ", dedup key \($0)" } ?? ""))"
        case .acknowledge(let by): return "acknowledged by \(by)"
        case .resolve(let by, let scope, let outcome):
            return "resolved by \(by)\(scope.map { " (scope \($0))" } ?? "")\(outcome.map { " (outcome \($0))" } ?? "")"
        case .signal(let name, _): return "signal \(name)"
        case .updateFields(let fields): return "fields updated: \(fields.keys.sorted().joined(separator: ", "))"
        case .snooze(let until): return "snoozed until \(until)"
        case .escalateNow: return "escalated by hand"
        case .timerFired(let id): return "timer \(id) fired"
        case .deliveryFailed(let key, let channel): return "delivery \(key) on \(channel) failed"
        }
    }

    // MARK: - Timers

    /// Loads the store's pending timers into the in-memory heap (once; `recover()` does it on start).
    func armTimers() async throws {
        guard !timersArmed else { return }
        let stored = try await store.timers()
        if !timersArmed {
            for timer in stored where !timerHeap.contains(timer.id) { timerHeap.arm(timer) }
            timersArmed = true
        }
    }

    /// Fires every timer due at the clock's now, earliest first (armed order within an instant); returns how many fired.
    @discardableResult
    public func fireDueTimers() async throws -> Int {
        try await armTimers()
        let now = clock.now()
        var fired = 0
        var failed: [StoredTimer] = []
        while let timer = timerHeap.popDue(at: now) {
            do {
                if let incident = try await store.incident(id: timer.incident), incident.state.timers.contains(where: { $0.id == timer.id }) {
                    metrics.observeTimerLag(max(0, clock.preciseNow() - Double(timer.at.seconds)))
                    _ = try await handle(incident: timer.incident, event: .timerFired(id: timer.id), firedTimer: timer)
                    fired += 1
                } else {
                    try await store.removeTimer(id: timer.id)
                }
            } catch {
                // It is still in the store; try again shortly rather than forget it until a restart.
                FileHandle.standardError.write(Data("escalate: timer \(timer.id) of incident \(timer.incident) failed: \(error); retrying in 5s\n".utf8))
                failed.append(StoredTimer(id: timer.id, incident: timer.incident, at: now.adding(seconds: 5)))
            }
        }
        for timer in failed { timerHeap.arm(timer) }
        return fired
    }

    /// The next timer instant, if any.
    public func nextTimer() async throws -> Instant? {
        try await armTimers()
        return timerHeap.peek()?.at
    }
}
