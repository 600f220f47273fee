import EscalationChannel
import EscalationCore
import EscalationEngine
@testable import EscalationExecutor
import EscalationPolicy
import EscalationSimulator
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// Builds an executor over a YAML organisation whose channels all use the recording plugin.
struct Harness {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org, sms: "+1-555-0101" } }
          bob: { name: Bob, addresses: { email: bob@example.org, sms: "+1-555-0102" } }
        channels:
          email: { plugin: recording }
          sms: { plugin: recording }
        templates:
          page: { subject: "Page {{ incident.title }}", body: "Incident {{ incident.id }}" }
        policies:
          outage:
            name: Outage
            layers:
              - id: first
                notify: [{ contact: alice }]
                via: [sms, email]
                template: page
                timeout: 10m
              - id: second
                notify: [{ contact: bob }]
                via: [email]
                template: page
        """

    static func organisation(_ yaml: String = yaml) -> Organisation {
        PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation
    }

    /// An executor whose recording channels write to `log`.
    static func executor(store: any IncidentStore, clock: ManualClock, log: RecordingChannel.Log, yaml: String = yaml) throws -> Executor {
        Executor(
            store: store, policies: PolicySet([organisation(yaml)]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: log.environment(), clock: clock)
    }

    static let start = Instant(seconds: 1_795_000_000)
}

@Suite("Executor")
struct ExecutorTests {
    @Test("a trigger is delivered, a timeout moves to the next layer, an ack stops the ladder")
    func ladder() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock, log: log)
        let triggered = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: "disk")
        #expect(triggered.created)
        #expect(try await executor.dispatchDue() == 1)
        #expect(log.all.map(\.address) == ["+1-555-0101"])
        // The same dedup key joins the open incident.
        let again = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: "disk")
        #expect(!again.created && again.incident.id == triggered.incident.id)
        clock.advance(seconds: 600)
        #expect(try await executor.fireDueTimers() == 1)
        try await executor.dispatchDue()
        #expect(log.all.map(\.address) == ["+1-555-0101", "bob@example.org"])
        let acknowledged = try await executor.handle(incident: triggered.incident.id, event: .acknowledge(by: "bob"))
        #expect(acknowledged.state.status == .acknowledged)
        let timeline = try await executor.timeline(triggered.incident.id).map(\.text)
        #expect(timeline.contains { $0.contains("acknowledged by bob") })
        #expect(timeline.contains { $0.contains("delivered") })
    }

    @Test("a failed delivery falls back to the next channel at once")
    func fallback() async throws {
        let log = RecordingChannel.Log()
        log.fail(address: "+1-555-0101", with: DeliveryFailure(retryable: false, reason: "number disconnected"))
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock, log: log)
        _ = try await executor.trigger(organisation: "acme", policy: "outage", title: "x", fields: [:], dedupKey: nil)
        try await executor.dispatchDue()
        try await executor.dispatchDue()
        #expect(log.all.map(\.address) == ["+1-555-0101", "alice@example.org"])
    }

    @Test("a retryable failure is retried once its backoff has passed on the executor's clock")
    func retryBackoff() async throws {
        let log = RecordingChannel.Log()
        log.fail(address: "+1-555-0101", with: DeliveryFailure(retryable: true, reason: "line busy"))
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock, log: log)
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        #expect(try await executor.dispatchDue() == 1)
        let retry = try #require(try await executor.deliveries(id).first)
        #expect(retry.status == .pending && retry.attempts == 1)
        // The first backoff is 2 s with ±20 % jitter, rounded up to the second.
        #expect((2...3).contains(retry.nextAttempt.seconds(since: Harness.start)), "retry at \(retry.nextAttempt)")
        clock.advance(seconds: 1)
        #expect(try await executor.dispatchDue() == 0)
        clock.set(retry.nextAttempt)
        #expect(try await executor.dispatchDue() == 1)
        #expect(log.all.map(\.address) == ["+1-555-0101", "+1-555-0101"])
        #expect(try await executor.deliveries(id).first?.attempts == 2)
    }

    @Test(
        "state, timers and outbox survive a restart; an interrupted send of unknown outcome is neither resent nor handed to the next channel; one the plugin stopped unfinished is",
        arguments: [false, true])
    func durability(leftRunning: Bool) async throws {
        let log = RecordingChannel.Log()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        var id = ""
        do {
            let store = try SQLiteIncidentStore(path: path)
            let executor = try Harness.executor(store: store, clock: clock, log: log)
            id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
            // Claim the SMS delivery as a dispatcher would, then "crash" before recording its result.
            let claimed = try await store.claimDeliveries(now: clock.now(), limit: 10)
            #expect(claimed.count == 1)
            // With leftRunning, the plugin's work for it outlived the crash (a command still running).
            if leftRunning { log.leaveRunning(claimed.map(\.idempotencyKey)) }
        }
        let reopened = try SQLiteIncidentStore(path: path)
        let stored = try #require(try await reopened.incident(id: id))
        #expect(stored.state.status == .open)
        #expect(try await reopened.timers().count == 1)
        let executor = try Harness.executor(store: reopened, clock: clock, log: log)
        #expect(try await executor.recover() == 1)
        #expect(log.all.isEmpty)  // not resent blindly
        #expect(log.stopped.count == 1)  // the plugin was asked to stop what it left running, before any decision
        try await executor.dispatchDue()
        let deliveries = try await executor.deliveries(id)
        #expect(deliveries.first?.status == .failed)
        if leftRunning {
            // Stopped unfinished, so not sent: the engine fell back to e-mail for alice.
            #expect(log.all.map(\.address) == ["alice@example.org"])
            #expect(deliveries.first?.detail?.contains("stopped what was left running, unfinished") == true)
        } else {
            // It may have reached alice: no second channel, so she is not paged twice; the ladder goes on.
            #expect(log.all.isEmpty)
            #expect(deliveries.first?.detail?.contains("outcome unknown") == true)
            #expect(try await executor.incident(id)?.state.status == .open)
        }
    }

    @Test("timers are re-armed from the store on start, and a fired timer leaves the store with its transition")
    func timersRearmed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        do {
            let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock, log: RecordingChannel.Log())
            _ = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil)
            #expect(try await executor.nextTimer() == Harness.start.adding(seconds: 600))
        }
        let log = RecordingChannel.Log()
        let store = try SQLiteIncidentStore(path: path)
        let executor = try Harness.executor(store: store, clock: clock, log: log)
        try await executor.recover()
        #expect(try await executor.nextTimer() == Harness.start.adding(seconds: 600))
        clock.advance(seconds: 599)
        #expect(try await executor.fireDueTimers() == 0)
        clock.advance(seconds: 1)
        #expect(try await executor.fireDueTimers() == 1)
        #expect(try await store.timers().isEmpty)
        #expect(try await executor.nextTimer() == nil)
        try await executor.dispatchDue()
        #expect(log.all.map(\.address).contains("bob@example.org"))
    }

    @Test("an open incident keeps its policy version across a restart onto changed policies (snapshot in the store)")
    func versionSurvivesRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        var id = ""
        var version = ""
        do {
            let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock, log: RecordingChannel.Log())
            let incident = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident
            (id, version) = (incident.id, incident.state.version)
            try await executor.dispatchDue()
        }
        // Restart on a changed policy: the second layer now pages alice instead of bob.
        let changed = Harness.yaml.replacingOccurrences(of: "notify: [{ contact: bob }]", with: "notify: [{ contact: alice }]")
        let log = RecordingChannel.Log()
        let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock, log: log, yaml: changed)
        try await executor.recover()
        clock.advance(seconds: 600)
        #expect(try await executor.fireDueTimers() == 1)
        try await executor.dispatchDue()
        #expect(log.all.map(\.address) == ["bob@example.org"])
        #expect(try await executor.incident(id)?.state.version == version)
        #expect(try await executor.timeline(id).allSatisfy { !$0.text.contains("no longer available") })
        // A new incident runs on the new version.
        let fresh = try await executor.trigger(organisation: "acme", policy: nil, title: "y", fields: [:], dedupKey: nil).incident
        #expect(fresh.state.version != version)
        // Open incidents are counted by the database (for /metrics).
        #expect(try await executor.openIncidentCount() == 2)
        try await executor.handle(incident: id, event: .resolve(by: "bob", scope: nil, outcome: nil))
        #expect(try await executor.openIncidentCount() == 1)
    }

    @Test("after a restart, an open incident can still deliver through a channel the new policies no longer declare")
    func channelOfOldVersionAfterRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("acme.yaml")
        let registry = try ChannelRegistry([RecordingChannel.self])
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        func executor() throws -> Executor {
            Executor(
                store: try SQLiteIncidentStore(path: path), policies: try PolicySet.load(paths: [folder.path], channels: registry), registry: registry,
                environment: log.environment(), clock: clock)
        }
        try Harness.yaml.write(to: file, atomically: true, encoding: .utf8)
        let id = try await executor().trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        // The new set renames the e-mail channel; the open incident's layer 2 still pages bob through `email`.
        try Harness.yaml.replacingOccurrences(of: "email: { plugin: recording }", with: "mail: { plugin: recording, address: email }")
            .replacingOccurrences(of: "via: [sms, email]", with: "via: [sms, mail]").replacingOccurrences(of: "via: [email]", with: "via: [mail]")
            .write(to: file, atomically: true, encoding: .utf8)
        let restarted = try executor()
        try await restarted.recover()
        clock.advance(seconds: 600)
        try await restarted.fireDueTimers()
        try await restarted.dispatchDue()
        #expect(log.all.map(\.channel).contains("email"))
        let bob = try await restarted.deliveries(id).last
        #expect(bob?.channel == "email" && bob?.status == .delivered, "\(bob?.detail ?? "")")
    }

    @Test("tasks a policy creates are stored with their incident and survive reopening the database")
    func tasksStored() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let yaml = Harness.yaml.replacingOccurrences(
            of: "timeout: 10m", with: "timeout: 10m\n        tasks: [{ title: Check the disk, assignee: { contact: bob } }]")
        #expect(yaml.contains("tasks:"))
        let clock = ManualClock(Harness.start)
        var id = ""
        do {
            let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock, log: RecordingChannel.Log(), yaml: yaml)
            id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        }
        let tasks = try await SQLiteIncidentStore(path: path).tasks(incident: id)
        #expect(tasks.map(\.title) == ["Check the disk"])
        #expect(tasks.first?.assignees == ["bob"])
        #expect(tasks.first?.createdAt == Harness.start)
    }

    @Test("the served loop sleeps until the next timer and is woken by a commit instead of polling", .timeLimit(.minutes(1)))
    func loopWakesOnDemand() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let yaml = Harness.yaml.replacingOccurrences(of: "timeout: 10m", with: "timeout: 2s")
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock, log: log, yaml: yaml)
        let loop = Task { await executor.run() }
        defer { loop.cancel() }
        // Nothing is due: one pass at start, then asleep until the idle limit (30 s), not polling.
        await clock.waitForSleep(until: Harness.start.adding(seconds: 30))
        #expect(await executor.metrics.wakeups == 1)
        #expect(clock.pendingSleeps == [Double(Harness.start.seconds + 30)])
        // The trigger's commit wakes the loop (the clock has not moved): alice's SMS goes out, and the loop then
        // sleeps until the layer's 2 s timeout.
        _ = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil)
        #expect(await log.waitForCalls(1).map(\.address) == ["+1-555-0101"])
        await clock.waitForSleep(until: Harness.start.adding(seconds: 2))
        // At the timer's instant the second layer pages bob.
        clock.advance(seconds: 2)
        #expect(await log.waitForCalls(2).map(\.address) == ["+1-555-0101", "bob@example.org"])
        // Once both results are recorded (drain returns then; the clock never reaches its limit) the ladder is
        // exhausted: the loop sleeps until its idle limit again.
        #expect(await executor.drain(seconds: 3600) == 0)
        await clock.waitForSleep(until: Harness.start.adding(seconds: 32))
        #expect(try await executor.deliveries(nil).map(\.status) == [.delivered, .delivered])
        // Each step woke the loop a few times (the commit, each delivery's result, the timer) but no more.
        let metrics = await executor.metrics
        #expect(metrics.wakeups < 10, "woke \(metrics.wakeups) times")
        #expect(metrics.timersFired == 1)
        #expect(metrics.lagCount == 2)
    }
}

/// A plugin whose deliveries take `Slowness.seconds` on the test's manual clock, and whose descriptor says it needs
/// at most 0.3 s. Each test hands it its `Slowness` through the channel environment.
struct SlowChannel: NotificationChannel {
    /// How long a delivery takes, on which clock.
    struct Slowness: Sendable {
        var seconds: Double
        var clock: ManualClock
    }

    static let descriptor = ChannelDescriptor(id: "slow", summary: "Takes its time before delivering (tests only).", deliveryTimeout: 0.3)
    let slowness: Slowness

    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        guard let slowness = environment.service(Slowness.self) else { throw ChannelSetupError("the slow plugin needs a Slowness in its environment") }
        self.slowness = slowness
    }

    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        await slowness.clock.sleep(seconds: slowness.seconds)
        if Task.isCancelled { return .failed(DeliveryFailure(retryable: true, reason: "cancelled")) }
        return .delivered(DeliveryReceipt(externalID: nil))
    }
}

/// An executor whose `sms` channel uses the slow plugin (with the policy's `timeout:` when given), on a manual clock.
func slowExecutor(
    clock: ManualClock, seconds: Double, log: RecordingChannel.Log = RecordingChannel.Log(), channelTimeout: String? = nil,
    layerTimeout: String = "10m"
) throws -> Executor {
    let timeout = channelTimeout.map { ", timeout: \($0)" } ?? ""
    let yaml = Harness.yaml.replacingOccurrences(of: "sms: { plugin: recording }", with: "sms: { plugin: slow\(timeout) }")
        .replacingOccurrences(of: "timeout: 10m", with: "timeout: \(layerTimeout)")
    return Executor(
        store: InMemoryIncidentStore(), policies: PolicySet([Harness.organisation(yaml)]),
        registry: try ChannelRegistry([RecordingChannel.self, SlowChannel.self]),
        environment: log.environment().adding(SlowChannel.Slowness(seconds: seconds, clock: clock)), clock: clock)
}

@Suite("Delivery timeouts", .timeLimit(.minutes(1)))
struct DeliveryTimeoutTests {
    /// Sends alice's SMS through a plugin taking `seconds`, moves the clock by `advance` once the delivery and its
    /// timeout are both waiting on it, and returns the recorded delivery.
    static func run(seconds: Double, channelTimeout: String?, advance: Double) async throws -> OutboxItem {
        let clock = ManualClock(Harness.start)
        let executor = try slowExecutor(clock: clock, seconds: seconds, channelTimeout: channelTimeout)
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        let dispatch = Task { try await executor.dispatchDue() }
        await clock.waitForSleepers(2)  // the plugin's delivery and its timeout
        clock.advance(by: advance)
        #expect(try await dispatch.value == 1)
        return try #require(try await executor.deliveries(id).first)
    }

    @Test("the plugin's own timeout applies when the channel sets none (not the executor's 10 s)")
    func pluginDefault() async throws {
        let item = try await Self.run(seconds: 5, channelTimeout: nil, advance: 0.3)
        #expect(item.status == .pending && item.attempts == 1)
        #expect(item.detail?.contains("took longer than 0.3s") == true, "\(item.detail ?? "")")
    }

    @Test("a channel's timeout in the policy overrides the plugin's")
    func channelOverride() async throws {
        // 0.6 s is over the plugin's 0.3 s but within the channel's 2 s: delivered.
        let item = try await Self.run(seconds: 0.6, channelTimeout: "2s", advance: 0.6)
        #expect(item.status == .delivered, "\(item.detail ?? "")")
        // And a channel may also be stricter than the executor's default: 1.5 s is over its 1 s.
        let abandoned = try await Self.run(seconds: 1.5, channelTimeout: "1s", advance: 1)
        #expect(abandoned.status == .pending)
        #expect(abandoned.detail?.contains("took longer than 1s") == true, "\(abandoned.detail ?? "")")
    }

    @Test("a delivery that beats its timeout leaves no timeout waiting on the clock")
    func timeoutCancelled() async throws {
        let item = try await Self.run(seconds: 0.6, channelTimeout: "2s", advance: 0.6)
        #expect(item.status == .delivered)
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock, log: RecordingChannel.Log())
        _ = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil)
        #expect(try await executor.dispatchDue() == 1)
        #expect(clock.pendingSleeps.isEmpty, "\(clock.pendingSleeps)")
    }
}

@Suite("Served loop and slow plugins", .timeLimit(.minutes(1)))
struct SlowPluginLoopTests {
    @Test("a slow delivery holds up neither the ladder's timers nor other deliveries in the served loop")
    func slowPluginDoesNotBlock() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let executor = try slowExecutor(clock: clock, seconds: 4, log: log, channelTimeout: "30s", layerTimeout: "1s")
        let loop = Task { await executor.run() }
        defer { loop.cancel() }
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        // Alice's SMS is under way (done at +4 s) and the loop sleeps until the layer's timeout at +1 s.
        await clock.waitForSleep(until: Harness.start.adding(seconds: 4))
        await clock.waitForSleep(until: Harness.start.adding(seconds: 1))
        clock.advance(seconds: 1)
        // Bob was paged by the second layer while alice's SMS is still being sent.
        #expect(await log.waitForCalls(1).map(\.address) == ["bob@example.org"])
        let sms = try await executor.deliveries(id).first
        #expect(sms?.channel == "sms" && sms?.status == .sending)
        // On shutdown the loop stops and the SMS in flight is waited for and recorded, not left half-sent.
        loop.cancel()
        #expect(await loop.value, "the loop ran")
        let drain = Task { await executor.drain(seconds: 10) }
        clock.advance(seconds: 3)
        #expect(await drain.value == 0)
        #expect(try await executor.deliveries(id).first?.status == .delivered)
        #expect(try await executor.deliveries(id).map(\.status) == [.delivered, .delivered])
    }

    @Test("drain waits on the executor's clock: it gives up at its limit, and returns once the last result is recorded")
    func drainOnTheClock() async throws {
        let clock = ManualClock(Harness.start)
        let executor = try slowExecutor(clock: clock, seconds: 4, channelTimeout: "30s")
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        #expect(try await executor.dispatchDue(wait: false) == 1)  // as the served loop starts it
        await clock.waitForSleep(until: Harness.start.adding(seconds: 4))  // the SMS is under way
        #expect(await executor.drain(seconds: 0) == 1)
        let short = Task { await executor.drain(seconds: 2) }
        await clock.waitForSleep(until: Harness.start.adding(seconds: 2))
        clock.advance(seconds: 2)
        #expect(await short.value == 1, "gave up at its limit with the SMS still in flight")
        #expect(try await executor.deliveries(id).first?.status == .sending)
        let long = Task { await executor.drain(seconds: 10) }
        await clock.waitForSleep(until: Harness.start.adding(seconds: 12))
        clock.advance(seconds: 2)
        #expect(await long.value == 0)
        #expect(try await executor.deliveries(id).first?.status == .delivered)
    }

    @Test("a second loop on the same executor returns at once instead of racing the first")
    func secondLoop() async throws {
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock, log: RecordingChannel.Log())
        let first = Task { await executor.run() }
        defer { first.cancel() }
        await clock.waitForSleep(until: Harness.start.adding(seconds: 30))  // the first loop is running (asleep)
        // Cancelled before it starts, so that a second loop (were one allowed) would stop after no passes instead of
        // hanging the test; the answer says which happened.
        let second = Task { await executor.run() }
        second.cancel()
        #expect(await second.value == false, "a second loop ran")
        #expect(await executor.metrics.wakeups == 1)
        first.cancel()
        #expect(await first.value == true)
        // Once the first has stopped, a new loop may run again.
        let third = Task { await executor.run() }
        third.cancel()
        #expect(await third.value == true)
    }
}

@Suite("Timer heap")
struct TimerHeapTests {
    @Test("pops in due order, armed order within an instant; re-arming replaces and disarming removes")
    func order() {
        let t0 = Instant(seconds: 100)
        var heap = TimerHeap()
        heap.arm(StoredTimer(id: "b", incident: "i", at: t0.adding(seconds: 5)))
        heap.arm(StoredTimer(id: "a", incident: "i", at: t0.adding(seconds: 5)))
        heap.arm(StoredTimer(id: "c", incident: "i", at: t0.adding(seconds: 1)))
        heap.arm(StoredTimer(id: "d", incident: "i", at: t0.adding(seconds: 9)))
        heap.arm(StoredTimer(id: "c", incident: "i", at: t0.adding(seconds: 7)))  // re-armed later
        heap.disarm("d")
        #expect(heap.count == 3)
        #expect(heap.popDue(at: t0.adding(seconds: 4)) == nil)
        var order: [String] = []
        while let timer = heap.popDue(at: t0.adding(seconds: 60)) { order.append(timer.id) }
        #expect(order == ["b", "a", "c"])
        #expect(heap.peek() == nil && heap.count == 0)
    }
}
