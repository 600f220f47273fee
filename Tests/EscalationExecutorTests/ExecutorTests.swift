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

    static func executor(store: any IncidentStore, clock: ManualClock, yaml: String = yaml) throws -> Executor {
        Executor(
            store: store, policies: PolicySet([organisation(yaml)]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: ChannelEnvironment([:]), clock: clock)
    }

    static let start = Instant(seconds: 1_795_000_000)
}

@Suite("Executor", .serialized)
struct ExecutorTests {
    @Test("a trigger is delivered, a timeout moves to the next layer, an ack stops the ladder")
    func ladder() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock)
        let triggered = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: "disk")
        #expect(triggered.created)
        #expect(try await executor.dispatchDue() == 1)
        #expect(RecordingChannel.log.all.map(\.address) == ["+1-555-0101"])
        // The same dedup key joins the open incident.
        let again = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: "disk")
        #expect(!again.created && again.incident.id == triggered.incident.id)
        clock.advance(seconds: 600)
        #expect(try await executor.fireDueTimers() == 1)
        try await executor.dispatchDue()
        #expect(RecordingChannel.log.all.map(\.address) == ["+1-555-0101", "bob@example.org"])
        let acknowledged = try await executor.handle(incident: triggered.incident.id, event: .acknowledge(by: "bob"))
        #expect(acknowledged.state.status == .acknowledged)
        let timeline = try await executor.timeline(triggered.incident.id).map(\.text)
        #expect(timeline.contains { $0.contains("acknowledged by bob") })
        #expect(timeline.contains { $0.contains("delivered") })
    }

    @Test("a failed delivery falls back to the next channel at once")
    func fallback() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        RecordingChannel.log.fail(address: "+1-555-0101", with: DeliveryFailure(retryable: false, reason: "number disconnected"))
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock)
        _ = try await executor.trigger(organisation: "acme", policy: "outage", title: "x", fields: [:], dedupKey: nil)
        try await executor.dispatchDue()
        try await executor.dispatchDue()
        #expect(RecordingChannel.log.all.map(\.address) == ["+1-555-0101", "alice@example.org"])
    }

    @Test("state, timers and outbox survive a restart; an interrupted send is not resent but reported as failed")
    func durability() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        var id = ""
        do {
            let store = try SQLiteIncidentStore(path: path)
            let executor = try Harness.executor(store: store, clock: clock)
            id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
            // Claim the SMS delivery as a dispatcher would, then "crash" before recording its result.
            #expect(try await store.claimDeliveries(now: clock.now(), limit: 10).count == 1)
        }
        let reopened = try SQLiteIncidentStore(path: path)
        let stored = try #require(try await reopened.incident(id: id))
        #expect(stored.state.status == .open)
        #expect(try await reopened.timers().count == 1)
        let executor = try Harness.executor(store: reopened, clock: clock)
        #expect(try await executor.recover() == 1)
        #expect(RecordingChannel.log.all.isEmpty)  // not resent blindly
        try await executor.dispatchDue()
        // The engine fell back to e-mail for alice.
        #expect(RecordingChannel.log.all.map(\.address) == ["alice@example.org"])
        let deliveries = try await executor.deliveries(id)
        #expect(deliveries.first?.status == .failed)
        #expect(deliveries.first?.detail?.contains("interrupted") == true)
    }

    @Test("timers are re-armed from the store on start, and a fired timer leaves the store with its transition")
    func timersRearmed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        do {
            let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock)
            _ = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil)
            #expect(try await executor.nextTimer() == Harness.start.adding(seconds: 600))
        }
        RecordingChannel.log = RecordingChannel.Log()
        let store = try SQLiteIncidentStore(path: path)
        let executor = try Harness.executor(store: store, clock: clock)
        try await executor.recover()
        #expect(try await executor.nextTimer() == Harness.start.adding(seconds: 600))
        clock.advance(seconds: 599)
        #expect(try await executor.fireDueTimers() == 0)
        clock.advance(seconds: 1)
        #expect(try await executor.fireDueTimers() == 1)
        #expect(try await store.timers().isEmpty)
        #expect(try await executor.nextTimer() == nil)
        try await executor.dispatchDue()
        #expect(RecordingChannel.log.all.map(\.address).contains("bob@example.org"))
    }

    @Test("an open incident keeps its policy version across a restart onto changed policies (snapshot in the store)")
    func versionSurvivesRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        var id = ""
        var version = ""
        do {
            let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock)
            let incident = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident
            (id, version) = (incident.id, incident.state.version)
            try await executor.dispatchDue()
        }
        // Restart on a changed policy: the second layer now pages alice instead of bob.
        let changed = Harness.yaml.replacingOccurrences(of: "notify: [{ contact: bob }]", with: "notify: [{ contact: alice }]")
        RecordingChannel.log = RecordingChannel.Log()
        let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock, yaml: changed)
        try await executor.recover()
        clock.advance(seconds: 600)
        #expect(try await executor.fireDueTimers() == 1)
        try await executor.dispatchDue()
        #expect(RecordingChannel.log.all.map(\.address) == ["bob@example.org"])
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
        func executor() throws -> Executor {
            Executor(
                store: try SQLiteIncidentStore(path: path), policies: try PolicySet.load(paths: [folder.path], channels: registry), registry: registry,
                environment: ChannelEnvironment([:]), clock: clock)
        }
        let clock = ManualClock(Harness.start)
        try Harness.yaml.write(to: file, atomically: true, encoding: .utf8)
        let id = try await executor().trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        // The new set renames the e-mail channel; the open incident's layer 2 still pages bob through `email`.
        try Harness.yaml.replacingOccurrences(of: "email: { plugin: recording }", with: "mail: { plugin: recording, address: email }")
            .replacingOccurrences(of: "via: [sms, email]", with: "via: [sms, mail]").replacingOccurrences(of: "via: [email]", with: "via: [mail]")
            .write(to: file, atomically: true, encoding: .utf8)
        RecordingChannel.log = RecordingChannel.Log()
        let restarted = try executor()
        try await restarted.recover()
        clock.advance(seconds: 600)
        try await restarted.fireDueTimers()
        try await restarted.dispatchDue()
        #expect(RecordingChannel.log.all.map(\.channel).contains("email"))
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
            let executor = try Harness.executor(store: try SQLiteIncidentStore(path: path), clock: clock, yaml: yaml)
            id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        }
        let tasks = try await SQLiteIncidentStore(path: path).tasks(incident: id)
        #expect(tasks.map(\.title) == ["Check the disk"])
        #expect(tasks.first?.assignees == ["bob"])
        #expect(tasks.first?.createdAt == Harness.start)
    }

    @Test("the served loop sleeps until the next timer and is woken by a commit instead of polling")
    func loopWakesOnDemand() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        let yaml = Harness.yaml.replacingOccurrences(of: "timeout: 10m", with: "timeout: 2s")
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([Harness.organisation(yaml)]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: ChannelEnvironment([:]), clock: SystemClock())
        let loop = Task { await executor.run() }
        defer { loop.cancel() }
        for _ in 0..<100 where await executor.metrics.wakeups == 0 { try await Task.sleep(nanoseconds: 50_000_000) }
        try await Task.sleep(nanoseconds: 300_000_000)
        let idleWakeups = await executor.metrics.wakeups
        #expect(idleWakeups == 1)  // one pass at start, then asleep: nothing is due
        _ = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil)
        var addresses: [String] = []
        for _ in 0..<100 where addresses.count < 2 {
            try await Task.sleep(nanoseconds: 100_000_000)
            addresses = RecordingChannel.log.all.compactMap(\.address)
        }
        #expect(addresses == ["+1-555-0101", "bob@example.org"])
        // Let both results be recorded (each wakes the loop once more), then settle.
        for _ in 0..<50 where try await executor.deliveries(nil).contains(where: { $0.status != .delivered }) {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        // Each step woke the loop a few times (the commit, the delivery's result, the timer) but no more: polling
        // every 200 ms would have woken it at least 10 times in these two seconds.
        let active = await executor.metrics.wakeups
        #expect(active < 10, "woke \(active) times")
        // Nothing is due any more (the ladder is exhausted): the loop sleeps, however long we wait.
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let metrics = await executor.metrics
        #expect(metrics.wakeups == active, "woke \(metrics.wakeups - active) times while nothing was due")
        #expect(metrics.timersFired == 1)
        #expect(metrics.lagCount == 2)
    }
}

/// A plugin that takes `SlowChannel.seconds` to deliver and says, in its descriptor, that it needs at most 0.3 s.
struct SlowChannel: NotificationChannel {
    nonisolated(unsafe) static var seconds: Double = 5
    static let descriptor = ChannelDescriptor(id: "slow", summary: "Sleeps before delivering (tests only).", deliveryTimeout: 0.3)
    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {}
    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        try? await Task.sleep(nanoseconds: UInt64(Self.seconds * 1e9))
        return .delivered(DeliveryReceipt(externalID: nil))
    }
}

@Suite("Delivery timeouts", .serialized)
struct DeliveryTimeoutTests {
    static func run(channelTimeout: String?) async throws -> OutboxItem {
        let timeout = channelTimeout.map { ", timeout: \($0)" } ?? ""
        let yaml = Harness.yaml.replacingOccurrences(of: "sms: { plugin: recording }", with: "sms: { plugin: slow\(timeout) }")
        let clock = ManualClock(Harness.start)
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([Harness.organisation(yaml)]),
            registry: try ChannelRegistry([RecordingChannel.self, SlowChannel.self]), environment: ChannelEnvironment([:]), clock: clock)
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        try await executor.dispatchDue()
        return try #require(try await executor.deliveries(id).first)
    }

    @Test("the plugin's own timeout applies when the channel sets none (not the executor's 10 s)")
    func pluginDefault() async throws {
        let item = try await Self.run(channelTimeout: nil)
        #expect(item.status == .pending && item.attempts == 1)
        #expect(item.detail?.contains("took longer than 0.3s") == true, "\(item.detail ?? "")")
    }

    @Test("a channel's timeout in the policy overrides the plugin's")
    func channelOverride() async throws {
        SlowChannel.seconds = 0.6
        defer { SlowChannel.seconds = 5 }
        // 0.6 s is over the plugin's 0.3 s but within the channel's 2 s: delivered.
        let item = try await Self.run(channelTimeout: "2s")
        #expect(item.status == .delivered, "\(item.detail ?? "")")
        // And a channel may also be stricter than the executor's default: 1.5 s is over its 1 s.
        SlowChannel.seconds = 1.5
        let abandoned = try await Self.run(channelTimeout: "1s")
        #expect(abandoned.status == .pending)
        #expect(abandoned.detail?.contains("took longer than 1s") == true, "\(abandoned.detail ?? "")")
    }
}

@Suite("Served loop and slow plugins", .serialized)
struct SlowPluginLoopTests {
    @Test("a slow delivery holds up neither the ladder's timers nor other deliveries in the served loop")
    func slowPluginDoesNotBlock() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        SlowChannel.seconds = 4
        defer { SlowChannel.seconds = 5 }
        let yaml = Harness.yaml.replacingOccurrences(of: "sms: { plugin: recording }", with: "sms: { plugin: slow, timeout: 30s }")
            .replacingOccurrences(of: "timeout: 10m", with: "timeout: 1s")
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([Harness.organisation(yaml)]),
            registry: try ChannelRegistry([RecordingChannel.self, SlowChannel.self]), environment: ChannelEnvironment([:]), clock: SystemClock())
        let loop = Task { await executor.run() }
        defer { loop.cancel() }
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        var addresses: [String?] = []
        for _ in 0..<30 where addresses.isEmpty {
            try await Task.sleep(nanoseconds: 100_000_000)
            addresses = RecordingChannel.log.all.map(\.address)
        }
        // Bob was paged by the second layer while alice's SMS (4 s) is still being sent.
        #expect(addresses == ["bob@example.org"])
        let sms = try await executor.deliveries(id).first
        #expect(sms?.channel == "sms" && sms?.status == .sending)
        // On shutdown the loop stops and the SMS in flight is waited for and recorded, not left half-sent.
        loop.cancel()
        #expect(await executor.drain(seconds: 10) == 0)
        #expect(try await executor.deliveries(id).first?.status == .delivered)
        // A second loop on the same executor returns at once instead of racing the first.
        let first = Task { await executor.run() }
        defer { first.cancel() }
        try await Task.sleep(nanoseconds: 200_000_000)
        await Task { await executor.run() }.value
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
