import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationStore
import Foundation
import Logging

extension Executor {
    /// Handles deliveries a crash left in flight; none is resent blindly. First each plugin stops what it left running
    /// for them (a command that outlived the server). Then a send on a plugin that forwards the idempotency key is
    /// resent with the same key (before its send deadline); one the plugin stopped unfinished was not sent, so it is
    /// reported failed and the channel fallback takes over; any other has an unknown outcome: it is not resent and no
    /// other channel is tried for it (that could page the person twice) — the ladder goes on at its timeout.
    @discardableResult
    public func recover() async throws -> Int {
        try await armTimers()
        let interrupted = try await store.interruptedDeliveries()
        try await settleInterrupted(interrupted)
        return interrupted.count
    }

    /// Settles deliveries interrupted while sending (by a restart, or a process sharing the store that died, whose
    /// lease expired), by the rules of `recover()`.
    func settleInterrupted(_ interrupted: [OutboxItem]) async throws {
        let stopped = await stopLeftovers(of: interrupted)
        let now = clock.now()
        for var item in interrupted {
            // A plugin that forwards the idempotency key lets the far side drop a duplicate: resend with the same key
            // (before the send deadline) instead of handing over to the fallback, which would page a second time.
            if now < item.deadline, try await isIdempotent(item) {
                item.status = .pending
                item.nextAttempt = now
                item.detail = "interrupted by a restart while sending; resent with the same key (the plugin is idempotent)"
                metrics.deliveries["resent", default: 0] += 1
                try await store.updateDelivery(
                    item, log: [EventLogEntry(incident: item.incident, at: now, kind: "delivery", text: "\(item.channel): \(item.detail ?? "")")])
                wakeup.signal()
                continue
            }
            item.status = .failed
            let unfinished = stopped.contains(item.idempotencyKey)
            item.detail =
                unfinished
                ? "interrupted by a restart while sending; the plugin stopped what was left running, unfinished, so it was not sent"
                : "interrupted by a restart while sending; outcome unknown, so not resent and no other channel tried (it could page twice)"
            metrics.deliveries["interrupted", default: 0] += 1
            try await store.updateDelivery(
                item, log: [EventLogEntry(incident: item.incident, at: clock.now(), kind: "delivery", text: "\(item.channel): \(item.detail ?? "")")])
            if unfinished { try await reportFailure(item) }
        }
    }

    /// Asks each channel's plugin to stop what it left running for interrupted deliveries; the keys it stopped
    /// unfinished. A channel that can no longer be set up stops nothing.
    func stopLeftovers(of items: [OutboxItem]) async -> Set<String> {
        var byChannel: [DeliveryChannel: [String]] = [:]
        for item in items { byChannel[DeliveryChannel(item), default: []].append(item.idempotencyKey) }
        var stopped: Set<String> = []
        for (channel, keys) in byChannel.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            guard let plugin = try? self.channel(organisation: channel.organisation, id: channel.channel) else { continue }
            let found = await plugin.stopInterrupted(keys)
            if !found.isEmpty {
                logger.warning(
                    "stopped what a crash left running", metadata: ["channel": "\(channel.channel)", "deliveries": "\(found.count)"])
            }
            stopped.formUnion(found)
        }
        return stopped
    }

    /// Whether a delivery's channel uses a plugin that forwards the idempotency key (looked up in the incident's own
    /// policy version when the running set no longer declares the channel).
    func isIdempotent(_ item: OutboxItem) async throws -> Bool {
        if channelConfig(organisation: item.organisation, id: item.channel) == nil, let incident = try await store.incident(id: item.incident) {
            _ = try await graph(organisation: incident.organisation, version: incident.state.version)
        }
        guard let config = channelConfig(organisation: item.organisation, id: item.channel), let plugin = registry.plugin(config.plugin) else {
            return false
        }
        return plugin.descriptor.capabilities.contains(.idempotency)
    }

    func reportFailure(_ item: OutboxItem) async throws {
        guard let effect = try? JSONDecoder().decode(Effect.self, from: Data(item.effect.utf8)), case .notify(let notification) = effect else {
            return
        }
        try await handle(incident: item.incident, event: .deliveryFailed(key: notification.notificationKey, channel: notification.channel))
    }

    /// Delivers every due outbox item once (concurrently); returns how many were attempted. With `wait` false (the
    /// served loop) it returns once the deliveries are started, and each records its own result when it ends, so a
    /// slow plugin holds up neither timers nor other deliveries; at most `maxInFlight` run at once, and at most
    /// `maxInFlightPerChannel` per channel of an organisation: only what can start is claimed, and the items of a full
    /// channel stay pending, so a channel whose sends hang holds its own slots only.
    @discardableResult
    public func dispatchDue(limit: Int = 50, wait: Bool = true) async throws -> Int {
        let now = clock.now()
        let budget =
            wait
            ? DeliveryBudget(total: limit)
            : DeliveryBudget(
                total: min(limit, options.maxInFlight - inFlight), perChannel: max(1, options.maxInFlightPerChannel),
                inFlight: health.paced(inFlightByChannel, perChannel: max(1, options.maxInFlightPerChannel)))
        guard budget.total > 0 else { return 0 }
        let items = try await store.claimDeliveries(now: now, budget: budget)
        var work: [(OutboxItem, Effect, (any NotificationChannel)?, String?)] = []
        for var item in items {
            guard let queued = try? JSONDecoder().decode(Effect.self, from: Data(item.effect.utf8)) else {
                dueSince[item.idempotencyKey] = nil
                item.status = .failed
                item.detail = "the queued effect cannot be read"
                try await store.updateDelivery(item)
                continue
            }
            // Links are made at each attempt (the queued effect holds placeholders, never a signed link).
            let effect = Self.withLinks(queued, now: now, options: options)
            if case .notify(let notification) = effect, !limiter.allow(contact: notification.contact, now: now) {
                item.status = .pending
                item.nextAttempt = now.adding(seconds: 60)
                try await store.updateDelivery(item)
                metrics.deliveries["throttled", default: 0] += 1
                continue
            }
            if item.attempts == 0 {
                let due = dueSince.removeValue(forKey: item.idempotencyKey) ?? Double(item.nextAttempt.seconds)
                metrics.observeLag(max(0, clock.preciseNow() - due))
            }
            do {
                work.append((item, effect, try channel(organisation: item.organisation, id: item.channel), nil))
            } catch {
                work.append((item, effect, nil, error.description))
            }
        }
        var receipts: [String: DeliveryReceipt] = [:]
        for (item, effect, _, _) in work {
            if case .expireStage(let stage, _) = effect { receipts[item.idempotencyKey] = try await receipt(incident: item.incident, stage: stage) }
            if case .undoAction(let action, _) = effect { receipts[item.idempotencyKey] = try await receipt(incident: item.incident, action: action) }
        }
        let found = receipts
        guard wait else {
            inFlight += work.count
            for (item, _, _, _) in work { inFlightByChannel[DeliveryChannel(item), default: 0] += 1 }
            for (item, effect, plugin, setupError) in work {
                start(item, effect: effect, plugin: plugin, setupError: setupError, receipt: found[item.idempotencyKey])
            }
            return work.count
        }
        let deliveries = work.map { item, effect, plugin, setupError in
            (item, delivery(item, effect: effect, plugin: plugin, setupError: setupError, receipt: found[item.idempotencyKey]))
        }
        let results = await withTaskGroup(of: (String, DeliveryResult).self) { group in
            for (item, deliver) in deliveries {
                group.addTask { (item.idempotencyKey, await deliver()) }
            }
            var collected: [String: DeliveryResult] = [:]
            for await (key, result) in group { collected[key] = result }
            return collected
        }
        for (item, _) in deliveries {
            guard let result = results[item.idempotencyKey] else { continue }
            try await record(result, for: item)
        }
        return deliveries.count
    }

    /// Cancels every delivery the served loop started that is still running (on shutdown, once `drain` has waited
    /// long enough): each ends as an abandoned attempt, recorded for a retry, and a plugin that honours
    /// cancellation stops its work. Returns how many were cancelled.
    @discardableResult
    public func cancelInFlight() -> Int {
        let tasks = Array(inFlightTasks.values)
        for task in tasks { task.cancel() }
        return tasks.count
    }

    /// Records the result of a delivery the served loop started, and wakes the loop when that may give it work (and
    /// `drain`): a retry to schedule, or a slot freed that items were waiting for.
    func finish(_ result: DeliveryResult, for item: OutboxItem) async {
        inFlightTasks[item.idempotencyKey] = nil
        let channel = DeliveryChannel(item)
        let wasDegraded = health.isDegraded(channel)
        let perChannel = max(1, options.maxInFlightPerChannel)
        // The slots (the channel's and the loop's) are given back as soon as the plugin has answered: they bound the
        // sends running, and recording the result is the store's work, not the channel's (the next page need not wait
        // for the group commit that records this one). Until it is recorded the delivery counts in `recording`, so
        // `drain` still returns only after every result is in the store.
        let wasFull = inFlight >= options.maxInFlight || health.paced(inFlightByChannel, perChannel: perChannel)[channel, default: 0] >= perChannel
        inFlight -= 1
        let left = inFlightByChannel[channel, default: 1] - 1
        inFlightByChannel[channel] = left > 0 ? left : nil
        recording += 1
        // Slots were all taken (in all, or on this channel): items may be waiting for the one this frees.
        if wasFull { wakeup.signal() }
        var retry = true
        do {
            retry = try await record(result, for: item).status == .pending
        } catch {
            // The item stays `sending`; the next start reports it as interrupted (not resent blindly).
            logger.error("recording a delivery failed", metadata: ["delivery": "\(item.idempotencyKey)", "incident": "\(item.incident)", "error": "\(error)"])
        }
        recording -= 1
        if retry || wasDegraded != health.isDegraded(channel) { wakeup.signal() }
        settled.signal()
    }

    /// The channels whose slots in the served loop are all taken (their due items wait for one of their sends to end).
    var fullChannels: Set<DeliveryChannel> {
        let perChannel = max(1, options.maxInFlightPerChannel)
        return Set(health.paced(inFlightByChannel, perChannel: perChannel).filter { $0.value >= perChannel }.keys)
    }

    /// The degraded channels (`organisation/channel` → why), for `/healthz` and `/metrics`.
    public var degradedChannels: [String: String] {
        Dictionary(uniqueKeysWithValues: health.degraded.map { ("\($0.key.organisation)/\($0.key.channel)", $0.value) })
    }

    /// Notes an attempt's outcome in the channel's health; logs a channel becoming degraded or recovering.
    func noteHealth(_ result: DeliveryResult, for item: OutboxItem) {
        let channel = DeliveryChannel(item)
        let change: ChannelHealth.Change
        switch result {
        case .delivered: change = health.note(channel, delivered: true, retryableFailure: nil)
        case .failed(let failure): change = health.note(channel, delivered: false, retryableFailure: failure.retryable ? failure.reason : nil)
        }
        // Built only when a line is logged (a change of health is rare; most results leave it as it was).
        func metadata() -> Logger.Metadata { ["organisation": "\(item.organisation)", "channel": "\(item.channel)"] }
        switch change {
        case .degraded:
            logger.warning(
                "channel degraded: \(health.threshold) sends in a row failed or timed out; one send at a time until one is delivered",
                metadata: metadata())
        case .recovered: logger.notice("channel recovered: a send was delivered", metadata: metadata())
        case .none: break
        }
    }

    static func describe(seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.1fs", seconds)
    }

    /// How long one delivery on a channel may take: the channel's `timeout:` in the policy, else the plugin's own
    /// default, else the executor's.
    func deliveryTimeout(organisation: String, channel: String, plugin: (any NotificationChannel)?) -> Double {
        if let configured = channelConfig(organisation: organisation, id: channel)?.timeoutSeconds { return Double(configured) }
        return plugin?.deliveryTimeout ?? options.deliveryTimeout
    }

    /// Saves a delivery's result (and hands a failure or an answer to the engine); the item as saved.
    @discardableResult
    func record(_ result: DeliveryResult, for original: OutboxItem) async throws -> OutboxItem {
        let now = clock.now()
        let retry = RetryPolicy(maxAttempts: options.maxAttempts, backoffSeconds: options.backoffSeconds)
        let (item, line) = retry.after(result, item: original, now: now, jitter: Double.random(in: 0.8...1.2))
        noteHealth(result, for: original)
        metrics.deliveries[item.status == .pending ? "retry" : item.status.rawValue, default: 0] += 1
        try await store.updateDelivery(item, log: [EventLogEntry(incident: item.incident, at: now, kind: "delivery", text: line)])
        // Built only when the line is logged (a level such as `serve --log-level warning` leaves `info` out).
        func metadata() -> Logger.Metadata {
            [
                "incident": "\(item.incident)", "channel": "\(item.channel)", "delivery": "\(item.idempotencyKey)", "attempts": "\(item.attempts)",
                "status": "\(item.status.rawValue)",
            ]
        }
        switch item.status {
        case .delivered: logger.info("delivered", metadata: metadata())
        case .failed: logger.warning("delivery failed: \(item.detail ?? "")", metadata: metadata())
        default: logger.notice("delivery will be retried: \(item.detail ?? "")", metadata: metadata())
        }
        if item.status == .failed { try await reportFailure(item) }
        if item.status == .delivered, case .delivered(let receipt) = result, let answer = receipt.answer { try await reportAnswer(answer, item) }
        return item
    }

    /// Hands a plugin's report that a notification was answered, or not, to the engine (posts and stages have none).
    func reportAnswer(_ answer: DeliveryAnswer, _ item: OutboxItem) async throws {
        guard let effect = try? JSONDecoder().decode(Effect.self, from: Data(item.effect.utf8)), case .notify(let notification) = effect else {
            return
        }
        try await handle(
            incident: item.incident,
            event: .deliveryAnswered(key: notification.notificationKey, channel: notification.channel, answered: answer == .answered))
    }

    func receipt(incident: String, stage: String) async throws -> DeliveryReceipt? {
        try await receipt(incident: incident) { effect in
            if case .postStage(let posted, _, _, _) = effect { return posted == stage }
            return false
        }
    }

    func receipt(incident: String, action: String) async throws -> DeliveryReceipt? {
        try await receipt(incident: incident) { effect in
            if case .applyAction(let applied, _, _) = effect { return applied == action }
            return false
        }
    }

    func receipt(incident: String, where matches: (Effect) -> Bool) async throws -> DeliveryReceipt? {
        for item in try await store.deliveries(incident: incident).reversed() where item.status == .delivered {
            if let effect = try? JSONDecoder().decode(Effect.self, from: Data(item.effect.utf8)), matches(effect) {
                return DeliveryReceipt(externalID: item.detail)
            }
        }
        return nil
    }

    /// A channel's compiled declaration (see `PolicyVersions.channel`).
    func channelConfig(organisation: String, id: String) -> CompiledChannel? { versions.channel(organisation: organisation, id: id) }

    /// The plugin instance for a channel of an organisation (cached).
    func channel(organisation: String, id: String) throws(ChannelSetupError) -> any NotificationChannel {
        let key = "\(organisation)/\(id)"
        if let cached = channelCache[key] { return cached }
        guard let config = channelConfig(organisation: organisation, id: id) else {
            throw ChannelSetupError("channel '\(id)' is not declared in '\(organisation)' (not in the running policies, nor in one an earlier reload replaced)")
        }
        guard let plugin = registry.plugin(config.plugin) else {
            throw ChannelSetupError("channel '\(id)' uses the plugin '\(config.plugin)', which is not installed (installed: \(registry.ids.joined(separator: ", ")))")
        }
        let location = config.source ?? SourceLocation(file: organisation, line: 0, column: 0)
        let instance = try plugin.init(settings: ChannelSettings(channel: id, value: config.settings, location: location), environment: environment)
        channelCache[key] = instance
        return instance
    }

    static func message(for effect: Effect, item: OutboxItem) -> (ChannelMessage, String?) {
        var message = ChannelMessage(idempotencyKey: item.idempotencyKey, incidentID: item.incident, body: "")
        switch effect {
        case .notify(let n):
            message.kind = .notify
            message.subject = n.message.subject
            message.body = n.message.body
            message.template = n.message.template
            message.cc = n.cc
            message.metadata = ["contact": n.contact, "origin": n.origin]
            return (message, n.address)
        case .post(let p):
            message.kind = .post
            message.subject = p.message.subject
            message.body = p.message.body
            message.template = p.message.template
            message.metadata = ["origin": p.origin]
        case .postStage(let stage, _, let rendered, let expires):
            message.kind = .stage
            message.subject = rendered.subject
            message.body = rendered.body
            message.template = rendered.template
            message.expiresAt = expires
            message.metadata = ["stage": stage]
        case .applyAction(let id, _, let rendered):
            message.kind = .action
            message.subject = rendered.subject
            message.body = rendered.body
            message.template = rendered.template
            message.metadata = ["action": id]
        case .undoAction(let id, _):
            message.kind = .action
            message.metadata = ["action": id]
        case .expireStage(let stage, _):
            message.kind = .stage
            message.metadata = ["stage": stage]
        default: break
        }
        return (message, nil)
    }

    static func perform(_ effect: Effect, item: OutboxItem, plugin: any NotificationChannel, receipt: DeliveryReceipt?) async -> DeliveryResult {
        let (message, address) = message(for: effect, item: item)
        switch effect {
        case .undoAction: return await plugin.undo(message, receipt: receipt)
        case .expireStage:
            guard let receipt else { return .failed(DeliveryFailure(retryable: false, reason: "no delivered stage message to take down")) }
            return await plugin.expire(message, receipt: receipt)
        default: return await plugin.deliver(message, to: address)
        }
    }

    /// Runs `work`, returning nil if it takes longer than `seconds` on `clock`; the work is then cancelled (a plugin
    /// that honours cancellation stops) and not awaited. When the work wins, the timeout's sleep is cancelled.
    static func withTimeout(
        _ seconds: Double, clock: any ExecutorClock, _ work: @escaping @Sendable () async -> DeliveryResult
    ) async -> DeliveryResult? {
        let race = TimeoutRace()
        // Cancelling the caller (shutdown) ends the race like a timeout: the work is cancelled, so a plugin that
        // honours cancellation stops (the exec plugin kills its command's process group).
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.set(continuation)
                // The wall clock's shared deadline timers when it has them; else a task sleeping on the clock.
                if let cancelTimer = clock.timer(after: seconds, { race.finish(nil) }) {
                    race.started(work: Task { race.finish(await work()) }, cancelTimer: cancelTimer)
                    return
                }
                let timer = Task {
                    await clock.sleep(seconds: seconds)
                    if !Task.isCancelled { race.finish(nil) }
                }
                race.started(work: Task { race.finish(await work()) }, cancelTimer: { timer.cancel() })
            }
        } onCancel: {
            race.finish(nil)
        }
    }

    /// Runs the executor until cancelled: fires due timers and delivers due outbox items, then sleeps until the
    /// next timer or delivery is due, or until a commit wakes it (never longer than `idleSeconds`).
    /// Only one loop runs per executor; a second call returns false at once (true: this call ran the loop).
    @discardableResult
    public func run(idleSeconds: Int = 30) async -> Bool {
        guard !running else { return false }
        running = true
        defer { running = false }
        // Another process's commit (a shared store's notification) wakes the loop like one of ours.
        let listener = shared.map { shared in Task { [wakeup] in for await _ in shared.workNotifications() { wakeup.signal() } } }
        defer { listener?.cancel() }
        let idleSeconds = shared.map { min(idleSeconds, max(1, $0.leaseSeconds / 2)) } ?? idleSeconds
        while !Task.isCancelled {
            var wake: Instant
            do {
                let turn = try await serveTurn()
                // Overdue timers left by the batch: the next turn starts at once, after new events got their turn.
                if turn.timersLeft {
                    metrics.wakeups += 1
                    await Task.yield()
                    continue
                }
                wake = try await nextWake(idleSeconds: idleSeconds)
            } catch {
                if Task.isCancelled || error is CancellationError { break }
                logger.error("executor step failed; trying again in 1s", metadata: ["error": "\(error)"])
                wake = clock.now().adding(seconds: 1)
            }
            metrics.wakeups += 1
            sleepingUntil = wake
            await wakeup.wait(until: wake, clock: clock)
            sleepingUntil = nil
        }
        return true
    }

    /// What one turn of the served loop did.
    public struct Turn: Sendable {
        /// Timers fired (at most `Options.timerBatch`).
        public var fired: Int
        /// Deliveries started.
        public var dispatched: Int
        /// Whether overdue timers are left for the next turn.
        public var timersLeft: Bool
    }

    /// One turn of the served loop: fires at most `Options.timerBatch` due timers, then starts the due deliveries
    /// (without waiting for them). Many overdue timers (a restart) are so worked through in batches interleaved with
    /// dispatch and new events, each timer still leaving the store in the transaction of its transition.
    @discardableResult
    public func serveTurn() async throws -> Turn {
        if let shared { try await takeOverExpired(shared) }
        let fired = try await fireDueTimers(limit: max(1, options.timerBatch))
        let dispatched = try await dispatchDue(wait: false)
        return Turn(fired: fired, dispatched: dispatched, timersLeft: timerDue())
    }

    /// Waits (up to `seconds`) for the deliveries the served loop started to finish and be recorded; call after
    /// stopping `run()` on shutdown, so a routine restart does not leave sends half-done (they would be reported as
    /// interrupted, and the fallback would page again). Returns how many were still running at the limit.
    /// The limit is measured on the executor's clock; it returns as soon as the last result is recorded.
    @discardableResult
    public func drain(seconds: Double) async -> Int {
        guard inFlight + recording > 0 else { return 0 }
        let clock = clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clock.sleep(seconds: seconds) }
            group.addTask { await self.settle() }
            await group.next()
            group.cancelAll()
        }
        return inFlight + recording
    }

    /// Returns once no delivery started by the served loop is unrecorded, or when the task is cancelled.
    func settle() async {
        while inFlight + recording > 0, !Task.isCancelled { await settled.wait() }
    }

    /// When the loop must next run: the earliest timer or pending delivery, else after `idleSeconds`.
    func nextWake(idleSeconds: Int) async throws -> Instant {
        let idle = clock.now().adding(seconds: idleSeconds)
        // With every delivery slot taken, a finishing delivery wakes the loop; due items wait for it. So do the items
        // of a channel whose own slots are all taken (they are not due for this loop until one of its sends ends).
        let delivery = inFlight < options.maxInFlight ? try await store.nextDeliveryDue(excluding: fullChannels) : nil
        let candidates = [try await nextTimer(), delivery, idle]
        return candidates.compactMap { $0 }.min() ?? idle
    }

    /// The number of open incidents (for metrics).
    public func openIncidentCount() async throws -> Int {
        try await store.openIncidentCount()
    }
}

/// Resumes a continuation once, with whichever result comes first: the work's, or nil from the timeout, which
/// then cancels the work (and the work's result cancels the timeout).
final class TimeoutRace: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<DeliveryResult?, Never>?
    private var work: Task<Void, Never>?
    private var cancelTimer: (@Sendable () -> Void)?
    private var done = false

    func set(_ continuation: CheckedContinuation<DeliveryResult?, Never>) { lock.withLock { self.continuation = continuation } }

    /// Hands over the work's task and the function that cancels the timeout (both cancelled at once if the race is
    /// already over).
    func started(work: Task<Void, Never>, cancelTimer: @escaping @Sendable () -> Void) {
        let over: Bool = lock.withLock {
            if !done { (self.work, self.cancelTimer) = (work, cancelTimer) }
            return done
        }
        if over {
            work.cancel()
            cancelTimer()
        }
    }

    /// Resumes with `result` unless already resumed, cancelling the loser; returns whether this call won.
    @discardableResult
    func finish(_ result: DeliveryResult?) -> Bool {
        let (pending, work, cancelTimer) = lock.withLock {
            defer { (continuation, self.work, self.cancelTimer, done) = (nil, nil, nil, true) }
            return (continuation, self.work, self.cancelTimer)
        }
        guard let pending else { return false }
        if result == nil { work?.cancel() } else { cancelTimer?() }
        pending.resume(returning: result)
        return true
    }
}
