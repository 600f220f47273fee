import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationStore
import Foundation
import Logging
import Synchronization

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
        /// Turns an action link the engine wrote (`{{ incident.ack_url }}`) into a URL when a message is sent, at the
        /// send's instant (e.g. a signed, expiring link). Without it the link is `BASE/v1/incidents/ID/acknowledge`.
        public var actionLinks: (@Sendable (_ link: ActionLink, _ now: Instant) -> String)?
        /// Overdue timers the served loop fires in one turn before it dispatches due deliveries and lets new events in;
        /// after a restart with thousands of timers overdue, the first pages go out after one batch, not after all.
        public var timerBatch: Int = 50
        /// Deliveries the served loop runs at once, in all (five channels' worth, so that four channels whose sends
        /// hang still leave a channel's worth to the others).
        public var maxInFlight: Int = 200
        /// Deliveries the served loop runs at once per channel of an organisation, so that one channel whose sends hang
        /// cannot take the slots of the others (its further items wait, pending, for one of its own to finish). A page
        /// claimed with its trigger holds its slot from before the trigger's group commit until its plugin answers, so
        /// in a burst the slots cover the triggers committing together as well as the sends running (`BurstSlotsTests`;
        /// with 20, a burst from 32 clients left pages pending for the served loop's own, fsynced claim).
        public var maxInFlightPerChannel: Int = 40
        /// Default options.
        public init() {}
    }

    let store: any IncidentStore
    /// The store as one several processes share, if it is: cast once here, not on every use (a trigger asked about
    /// seven times, each a dynamic cast of the existential, about 1 % of a trigger's CPU).
    let shared: (any SharedIncidentStore)?
    /// The running policies and earlier versions open incidents still use.
    var versions: PolicyVersions
    let registry: ChannelRegistry
    let environment: ChannelEnvironment
    let clock: any ExecutorClock
    let options: Options
    /// Where the executor says what it did and what went wrong (injected; tests read it with an in-memory handler).
    let logger: Logger
    var channelCache: [String: any NotificationChannel] = [:]
    /// Deliveries per contact per minute.
    var limiter: RateLimiter
    var counter = 0
    /// Pending timers in memory, mirroring the store's; filled from the store by `armTimers()`.
    var timerHeap = TimerHeap()
    var timersArmed = false
    /// With a shared store: whether the last claim took a full batch of due timers (more may be due).
    var claimedTimersLeft = false
    /// With a shared store: when the served loop last looked for work of processes whose leases expired.
    var lastTakeover: Double?
    /// Wakes `run()` when a commit arms a timer or queues a delivery.
    let wakeup = Wakeup()
    /// While `run()` sleeps: the instant it sleeps until (nil while it works out its next turn). A commit whose timers
    /// are all later, and that queues nothing, need not wake it.
    var sleepingUntil: Instant?
    /// Wakes `drain` when a delivery the served loop started has been recorded.
    let settled = Wakeup()
    /// When each queued delivery became due (precise wall time), for the dispatch lag metric.
    var dueSince: [String: Double] = [:]
    /// One holder per key: an incident's events, a dedup key's triggers, a threshold's count.
    let locks = KeyedLock()
    /// Whether `run()` is running (it may run once).
    var running = false
    /// Deliveries the served loop started whose plugin has not answered yet (bounded by `Options.maxInFlight`).
    var inFlight = 0
    /// Deliveries whose plugin has answered and whose result is not recorded yet (`drain` waits for them too).
    var recording = 0
    /// Sends running per channel of an organisation, until their plugin answers (no entry: none).
    var inFlightByChannel: [DeliveryChannel: Int] = [:]
    /// Reply codes held by open incidents, per organisation (see `freeReplyCode`; only with a store of this process).
    var replyCodes: [String: Set<String>] = [:]
    /// Per organisation, a code at or below the lowest free one (every smaller code is in use).
    var replyCodeFloor: [String: Int] = [:]
    /// Per organisation, the open incidents holding each dedup key (see `mayHoldDedupKey`; only with a store of this process).
    var openDedupKeys: [String: [String: [String]]] = [:]
    /// Per organisation whose open incidents are being read: the dedup keys committed meanwhile, replayed onto the read.
    var dedupJournal: [String: [DedupNote]] = [:]
    /// Engines by organisation and policy versions (see `engine(for:)`).
    var engines: [String: Engine] = [:]
    /// Which channels keep failing (degraded channels run one send at a time).
    var health = ChannelHealth()
    /// The served loop's running deliveries by idempotency key (cancelled on shutdown).
    var inFlightTasks: [String: Task<Void, Never>] = [:]
    /// With a store of this process: each organisation's recent change events as read from the store, and the
    /// instant they were read from (see `recentChanges`); dropped when a change event is recorded.
    var changeEvents: [String: (since: Instant, events: [PendingEvent])] = [:]
    /// Per organisation whose kept change events are none: the start of the window they cover (see `knownQuiet`).
    let quietChanges = Mutex<[String: Instant]>([:])
    /// Change events recorded so far per organisation, so a read that raced a recording is not kept.
    var changeRecordings: [String: Int] = [:]
    /// Counters for `/metrics`.
    public internal(set) var metrics = ExecutorMetrics()

    /// Creates an executor; call `recover()` before serving.
    public init(
        store: any IncidentStore, policies: PolicySet, registry: ChannelRegistry, environment: ChannelEnvironment,
        clock: any ExecutorClock = SystemClock(), options: Options = Options(), logger: Logger = Logger(label: "escalate.executor")
    ) {
        self.logger = logger
        self.store = store
        self.shared = store as? any SharedIncidentStore
        self.versions = PolicyVersions(policies)
        self.registry = registry
        self.environment = environment
        self.clock = clock
        self.options = options
        self.limiter = RateLimiter(perMinute: options.perContactPerMinute)
    }

    // MARK: - Policies

    /// Replaces the running policies; graphs of versions still used by open incidents stay available.
    public func reload(_ set: PolicySet) {
        versions.reload(set)
        channelCache.removeAll()
        // A reload may change contacts or channels under unchanged policy versions: engines are made afresh.
        engines.removeAll()
    }

    /// The organisations served.
    public var organisations: [String] { versions.organisations }

    /// Whether a served organisation has a policy with this id (in its running version).
    public func policyExists(organisation: String, policy: String) -> Bool { versions.current(organisation)?.policy(policy) != nil }

    /// The graph an incident runs on: its own version, from the running set, from earlier reloads, or from the
    /// snapshot saved with its trigger (after a restart). `note` says when none is left and the current one is used.
    func graph(organisation: String, version: String) async throws -> (graph: RuleGraph, note: String?)? {
        if let known = versions.graph(organisation: organisation, version: version) { return (known, nil) }
        var missing = "no snapshot"
        if let snapshot = try await store.policySnapshot(organisation: organisation, version: version) {
            do {
                let saved = try PolicySnapshot.graph(from: snapshot.document)
                versions.remember(snapshot: saved, version: version)
                return (saved, nil)
            } catch {
                missing = "its snapshot cannot be read: \(error)"
            }
        }
        guard let current = versions.current(organisation) else { return nil }
        return (current, "policy version \(version) is no longer available (\(missing)); continuing on the running policies")
    }

    /// The snapshot to save with a trigger (the compiled graph as JSON), unless this version was saved already.
    func snapshot(of graph: RuleGraph, version: String) async throws -> PolicySnapshot? {
        guard !versions.isSaved(organisation: graph.organisation, version: version) else { return nil }
        if try await store.policySnapshot(organisation: graph.organisation, version: version) != nil {
            versions.markSaved(organisation: graph.organisation, version: version)
            return nil
        }
        return PolicySnapshot(organisation: graph.organisation, version: version, document: try PolicySnapshot.document(for: graph))
    }

    /// The engine over a graph, kept per organisation and policy versions (an engine indexes its graph when made).
    func engine(for graph: RuleGraph) -> Engine {
        let key = graph.organisation + "\u{0}" + graph.policies.map(\.version).joined(separator: ",")
        if let cached = engines[key] { return cached }
        let engine = Engine(graph: graph, links: Engine.Links(baseURL: options.baseURL))
        if engines.count >= 64 { engines.removeAll() }
        engines[key] = engine
        return engine
    }

    // MARK: - Requests

    /// The result of a trigger that opened or joined an incident.
    public struct Triggered: Sendable {
        /// The incident.
        public var incident: StoredIncident
        /// False when an open incident with the same dedup key took the event.
        public var created: Bool
        /// True when the open incident took the event as a report appended to it (its policy correlates).
        public var appended: Bool = false
    }

    /// What became of a trigger event: an incident opened or joined, or a count towards the policy's threshold.
    public enum Reception: Sendable {
        /// An incident was opened (or an open one with the same dedup key took the event).
        case opened(Triggered)
        /// The event was recorded towards the threshold of `policy` and opened nothing yet.
        case counted(policy: String, admission: Admission)
    }

    /// Opens an incident or joins the open one with the same dedup key; an event that the policy's threshold holds
    /// back is refused with a `conflict` (use `receive` to accept such events).
    public func trigger(
        organisation: String, policy: String?, title: String?, fields: [String: String], dedupKey: String?
    ) async throws -> Triggered {
        switch try await receive(organisation: organisation, policy: policy, title: title, fields: fields, dedupKey: dedupKey) {
        case .opened(let triggered): return triggered
        case .counted(let policy, let admission):
            throw ExecutorError(.conflict, "the event counted towards the threshold of '\(policy)': \(admission)")
        }
    }

    /// Takes a trigger event: opens an incident, joins the open one with the same dedup key, or records the event
    /// towards the policy's threshold. Routing and the threshold are decided by `PolicyRouter`, as in `simulate`
    /// and `route`.
    public func receive(
        organisation: String, policy: String?, title: String?, fields: [String: String], dedupKey: String?
    ) async throws -> Reception {
        guard let graph = versions.current(organisation) else {
            throw ExecutorError(.notFound, "no organisation '\(organisation)'; served: \(organisations.joined(separator: ", "))")
        }
        let router = PolicyRouter(graph: graph)
        let policyID: String
        switch router.choose(policy: policy, fields: fields) {
        case .success(let id): policyID = id
        case .failure(let failure): throw ExecutorError(failure.cause == .unknownPolicy ? .notFound : .invalid, failure.description)
        }
        // A policy that correlates on a field joins events by its value: that is their dedup key.
        let dedupKey = graph.policy(policyID)?.correlate?.derivedKey(policy: policyID, fields: fields) ?? dedupKey
        // Two triggers with one dedup key must not both open an incident; events counting towards one threshold are
        // counted one at a time. Triggers with neither run without waiting for each other.
        let keys = [
            dedupKey.map { "dedup/\(organisation)/\($0)" },
            graph.policy(policyID)?.threshold == nil ? nil : "threshold/\(organisation)/\(policyID)",
        ].compactMap { $0 }
        return try await exclusively(keys) {
            try await openIncident(graph: graph, policy: policyID, title: title, fields: fields, dedupKey: dedupKey)
        }
    }

    func openIncident(graph: RuleGraph, policy policyID: String, title: String?, fields: [String: String], dedupKey: String?) async throws -> Reception {
        let organisation = graph.organisation
        if let dedupKey, try await mayHoldDedupKey(organisation: organisation, key: dedupKey),
            let open = try await store.openIncident(organisation: organisation, dedupKey: dedupKey)
        {
            if graph.policy(open.state.policy)?.correlate != nil {
                // The engine appends the report (list fields grow, `on: report` runs) over the incident's own snapshot.
                let updated = try await handle(incident: open.id, event: .report(fields: fields))
                metrics.events += 1
                logger.info("report appended", metadata: ["incident": "\(open.id)", "organisation": "\(organisation)"])
                return .opened(Triggered(incident: updated, created: false, appended: true))
            }
            try await store.append([EventLogEntry(incident: open.id, at: clock.now(), kind: "event", text: "trigger deduplicated (dedup key \(dedupKey))")])
            metrics.events += 1
            return .opened(Triggered(incident: open, created: false))
        }
        let engine = engine(for: graph)
        let problems = engine.validate(policy: policyID, fields: fields)
        if !problems.isEmpty { throw ExecutorError(.invalid, problems.joined(separator: "; ")) }
        let now = clock.now()
        var consumed: PendingEvent.Key?
        if let threshold = graph.policy(policyID)?.threshold {
            let key = PendingEvent.Key(organisation: organisation, policy: policyID)
            let earlier = try await store.pendingEvents(key, since: now.adding(seconds: -threshold.withinSeconds))
            let admission = PolicyRouter(graph: graph).admit(policy: policyID, fields: fields, earlier: earlier.map(\.at), now: now)
            guard admission.opens else {
                try await store.addPendingEvent(PendingEvent(key: key, at: now, title: title, fields: fields, dedupKey: dedupKey))
                logger.info("event counted towards a threshold", metadata: ["organisation": "\(organisation)", "policy": "\(policyID)", "state": "\(admission)"])
                metrics.events += 1
                return .counted(policy: policyID, admission: admission)
            }
            if !earlier.isEmpty { consumed = key }
        }
        counter += 1
        let id = "\(organisation)-\(String(now.seconds, radix: 36))-\(counter)-\(UInt32.random(in: 0...UInt32.max))"
        let open = { (replyCode: String) async throws -> StoredIncident in
            var fields = fields
            fields[IncidentState.replyCodeField] = replyCode
            let event = EngineEvent.trigger(id: id, policy: policyID, title: title ?? "Incident via \(policyID)", fields: fields, dedupKey: dedupKey)
            let transition = engine.handle(event, state: nil, now: now)
            guard let state = transition.state else {
                throw ExecutorError(.invalid, transition.effects.description)
            }
            let incident = StoredIncident(id: id, organisation: organisation, state: state, createdAt: now, updatedAt: now)
            let commit = { () async throws in
                let snapshot = try await self.snapshot(of: graph, version: state.version)
                try await self.commit(incident: incident, event: event, effects: transition.effects, now: now, snapshot: snapshot, consumePending: consumed)
                if let snapshot { self.versions.markSaved(organisation: snapshot.organisation, version: snapshot.version) }
            }
            if self.shared == nil, !self.versions.isSaved(organisation: organisation, version: state.version) {
                // Without the organisation's lock, the first triggers of a policy version would each encode and write its
                // snapshot: one of them does, and the others wait for its commit and then find the version saved.
                let key = "policy-snapshot/\(organisation)/\(state.version)"
                await self.locks.acquire(key)
                defer { self.locks.release(key) }
                try await commit()
            } else {
                try await commit()
            }
            return incident
        }
        let incident: StoredIncident
        if shared == nil {
            // A store of this process: the code is reserved in memory (no other incident can take it until it is given
            // back) and the commit runs without the organisation's lock, so the triggers of one organisation arriving
            // together share the store's group commit instead of each waiting for the previous one's fsync.
            let replyCode = try await reserveReplyCode(organisation: organisation)
            do {
                incident = try await open(replyCode)
            } catch {
                releaseReplyCode(replyCode, organisation: organisation)
                throw error
            }
        } else {
            // A shared store: another process may take a code at any time, so the code is chosen and committed under
            // one lock per organisation (held across processes), and two incidents never share one.
            incident = try await exclusively("reply-codes/\(organisation)") { try await open(try await freeReplyCode(organisation: organisation)) }
        }
        logger.info("incident opened", metadata: ["incident": "\(id)", "organisation": "\(organisation)", "policy": "\(policyID)"])
        return .opened(Triggered(incident: incident, created: true))
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
            if case .signal(let name, let data) = event {
                let problems = engine(for: graph).signalProblems(name, data: data, state: incident.state)
                if !problems.isEmpty { throw ExecutorError(.invalid, problems.joined(separator: "; ")) }
            }
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
        try await exclusively([key], body)
    }

    /// Runs `body` holding every key, taken in the order given (callers use one order, so none deadlock).
    func exclusively<T: Sendable>(_ keys: [String], _ body: () async throws -> T) async throws -> T {
        for key in keys { await locks.acquire(key) }
        defer { for key in keys.reversed() { locks.release(key) } }
        // A shared store holds the keys across processes too, in one transaction the body's store calls join.
        if let shared { return try await shared.exclusively(keys, isolation: self, body) }
        return try await body()
    }

    /// Whether the store can write now (`/readyz`); throws its error when it cannot.
    public func probeStore() async throws { try await store.probeWrite() }

    /// The incident with this id.
    public func incident(_ id: String) async throws -> StoredIncident? { try await store.incident(id: id) }

    /// The open incident of an organisation with a dedup key, found through the store's index (however many are newer).
    public func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        try await store.openIncident(organisation: organisation, dedupKey: dedupKey)
    }

    /// One page of incidents, newest first, with the next page's cursor.
    public func incidents(_ query: IncidentQuery) async throws -> IncidentPage { try await store.incidents(query) }

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

    /// Commits a transition: the committer's store change, then the timer service and the loop are told.
    func commit(
        incident: StoredIncident, event: EngineEvent, effects: [Effect], now: Instant, firedTimer: StoredTimer? = nil, snapshot: PolicySnapshot? = nil,
        notes: [EventLogEntry] = [], consumePending: PendingEvent.Key? = nil
    ) async throws {
        var change = try Committer(sendDeadlineSeconds: options.sendDeadlineSeconds).change(
            incident: incident, event: event, effects: effects, now: now, firedTimer: firedTimer, notes: notes)
        change.snapshot = snapshot
        change.consumePending = consumePending
        // Deliveries that can start at once are claimed in this transaction (one fsync fewer than a claim of their own).
        let claimed = claimImmediate(&change, effects: effects, now: now)
        do {
            try await store.commit(change)
        } catch {
            releaseImmediate(claimed, now: now)
            throw error
        }
        noteReplyCode(of: change.incident)
        noteDedupKey(of: change.incident)
        metrics.events += 1
        // With a shared store the timers are claimed from it (another process may fire them), not kept in memory.
        if shared == nil {
            for id in change.removeTimers { timerHeap.disarm(id) }
            for timer in change.addTimers { timerHeap.arm(timer) }
        }
        // A delivery queued by a fired timer has been due since the timer's instant, not since now.
        let due = firedTimer.map { Double($0.at.seconds) } ?? clock.preciseNow()
        startImmediate(claimed, due: due)
        let queued = change.outbox.filter { $0.status == .pending }
        for item in queued { dueSince[item.idempotencyKey] = due }
        if !queued.isEmpty || change.addTimers.contains(where: { timer in sleepingUntil.map { timer.at < $0 } ?? true }) { wakeup.signal() }
    }

    // MARK: - Timers

    /// Loads the store's pending timers into the in-memory heap (once; `recover()` does it on start).
    func armTimers() async throws {
        guard !timersArmed, shared == nil else { return }
        let stored = try await store.timers()
        if !timersArmed {
            for timer in stored where !timerHeap.contains(timer.id) { timerHeap.arm(timer) }
            timersArmed = true
        }
    }

    /// Fires the timers due at the clock's now, at most `limit` of them, taken earliest first (armed order within an
    /// instant; the rest stay armed for the next call; a stale one, removed without firing, counts too); each incident's
    /// in that order, different incidents' at once. Returns how many fired.
    @discardableResult
    public func fireDueTimers(limit: Int = .max) async throws -> Int {
        if let shared { return try await fireClaimedTimers(shared, limit: limit) }
        try await armTimers()
        let now = clock.now()
        var due: [StoredTimer] = []
        while due.count < limit, let timer = timerHeap.popDue(at: now) { due.append(timer) }
        // Timers of different incidents fire at once, so their transitions share the store's group commit (timers due
        // at one instant, such as the layers of incidents opened within the same second, no longer queue behind each
        // other's fsync); each incident's own timers fire in order.
        var incidents: [String] = []
        var byIncident: [String: [StoredTimer]] = [:]
        for timer in due {
            if byIncident[timer.incident] == nil { incidents.append(timer.incident) }
            byIncident[timer.incident, default: []].append(timer)
        }
        guard incidents.count > 1 else { return await fireInOrder(due, now: now) }
        return await withTaskGroup(of: Int.self) { group in
            for incident in incidents {
                let timers = byIncident[incident] ?? []
                group.addTask { await self.fireInOrder(timers, now: now) }
            }
            var fired = 0
            for await count in group { fired += count }
            return fired
        }
    }

    /// Fires one incident's due timers in order; a timer that fails is armed again 5 s later. How many fired.
    private func fireInOrder(_ timers: [StoredTimer], now: Instant) async -> Int {
        var fired = 0
        for timer in timers {
            do {
                if try await fire(timer) { fired += 1 }
            } catch {
                // It is still in the store; try again shortly rather than forget it until a restart.
                logger.error(
                    "timer failed; retrying in 5s",
                    metadata: ["timer": "\(timer.id)", "incident": "\(timer.incident)", "error": "\(error)"])
                timerHeap.arm(StoredTimer(id: timer.id, incident: timer.incident, at: now.adding(seconds: 5)))
            }
        }
        return fired
    }

    /// Fires one due timer in the transaction of its transition; a timer its incident no longer holds (cancelled,
    /// resolved) just leaves the store. Whether it fired.
    func fire(_ timer: StoredTimer) async throws -> Bool {
        guard let incident = try await store.incident(id: timer.incident), incident.state.timers.contains(where: { $0.id == timer.id }) else {
            try await store.removeTimer(id: timer.id)
            return false
        }
        _ = try await handle(incident: timer.incident, event: .timerFired(id: timer.id), firedTimer: timer)
        // How late the timer's transition reached the disk (it is fired once committed).
        metrics.observeTimerLag(max(0, clock.preciseNow() - Double(timer.at.seconds)))
        return true
    }

    /// Whether a timer is due at the clock's now (overdue ones left by a batch).
    func timerDue() -> Bool {
        if shared != nil { return claimedTimersLeft }
        guard let next = timerHeap.peek() else { return false }
        return next.at <= clock.now()
    }

    /// The next timer instant, if any.
    public func nextTimer() async throws -> Instant? {
        if let shared { return try await shared.nextTimerDue() }
        try await armTimers()
        return timerHeap.peek()?.at
    }
}
