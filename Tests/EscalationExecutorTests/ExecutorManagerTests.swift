import EscalationChannel
import EscalationCore
import EscalationEngine
@testable import EscalationExecutor
import EscalationGraph
import EscalationPipeline
import EscalationStore
import Foundation
import Testing

/// The executor's managers, each on its own: the committer (effects → one store change), the retry policy, the
/// rate limiter, the keyed lock and the policy versions.
@Suite("Executor managers")
struct ExecutorManagerTests {
    static let graph = PolicyPipeline().run(files: [(path: "acme.yaml", text: Harness.yaml)]).graph

    @Test("the committer turns a trigger into one change: the event logged, the layer's page queued with its deadline, its timeout armed")
    func committerTrigger() throws {
        let engine = Engine(graph: Self.graph)
        let event = EngineEvent.trigger(id: "acme-1", policy: "outage", title: "Disk full", fields: [:], dedupKey: nil)
        let transition = engine.handle(event, state: nil, now: Harness.start)
        let state = try #require(transition.state)
        let incident = StoredIncident(id: "acme-1", organisation: "acme", state: state, createdAt: Harness.start, updatedAt: Harness.start)
        let change = try Committer(sendDeadlineSeconds: 600).change(incident: incident, event: event, effects: transition.effects, now: Harness.start)
        #expect(change.log.first?.kind == "event")
        #expect(change.log.first?.text == "triggered 'Disk full' (policy outage)")
        #expect(change.log.first?.payload?.contains("\"trigger\"") == true)
        #expect(change.outbox.count == 1)
        let page = try #require(change.outbox.first)
        #expect(page.channel == "sms" && page.incident == "acme-1" && page.organisation == "acme")
        #expect(page.deadline == Harness.start.adding(seconds: 600))
        #expect(page.nextAttempt == Harness.start && page.status == .pending && page.attempts == 0)
        let effect = try JSONDecoder().decode(Effect.self, from: Data(page.effect.utf8))
        guard case .notify(let notification) = effect else { Issue.record("queued \(effect)"); return }
        #expect(notification.contact == "alice" && page.idempotencyKey == notification.idempotencyKey)
        #expect(change.addTimers.map(\.at) == [Harness.start.adding(seconds: 600)])
        #expect(change.removeTimers.isEmpty)
    }

    @Test("a fired timer leaves the store in the same change; a timer scheduled and cancelled in one step is never stored")
    func committerTimers() throws {
        let state = try #require(Engine(graph: Self.graph).handle(
            .trigger(id: "acme-1", policy: "outage", title: "x", fields: [:], dedupKey: nil), state: nil, now: Harness.start).state)
        let incident = StoredIncident(id: "acme-1", organisation: "acme", state: state, createdAt: Harness.start, updatedAt: Harness.start)
        let fired = StoredTimer(id: "t-old", incident: "acme-1", at: Harness.start)
        let change = try Committer(sendDeadlineSeconds: 600).change(
            incident: incident, event: .timerFired(id: "t-old"),
            effects: [.scheduleTimer(id: "t-new", at: Harness.start.adding(seconds: 60)), .cancelTimer(id: "t-new"), .record("note")],
            now: Harness.start, firedTimer: fired)
        #expect(change.addTimers.isEmpty)
        #expect(change.removeTimers == ["t-old", "t-new"])
        #expect(change.log.map(\.text) == ["timer t-old fired", "note"])
    }

    @Test("retries back off exponentially until the attempts or the send deadline run out; permanent failures end at once")
    func retryPolicy() {
        let retry = RetryPolicy(maxAttempts: 3, backoffSeconds: 2)
        let item = OutboxItem(
            idempotencyKey: "k", incident: "i", organisation: "acme", effect: "{}", channel: "sms", nextAttempt: Harness.start,
            deadline: Harness.start.adding(seconds: 600), createdAt: Harness.start)
        let busy = DeliveryResult.failed(DeliveryFailure(retryable: true, reason: "busy"))
        let first = retry.after(busy, item: item, now: Harness.start, jitter: 1)
        #expect(first.item.status == .pending && first.item.attempts == 1 && first.item.nextAttempt == Harness.start.adding(seconds: 2))
        let second = retry.after(busy, item: first.item, now: Harness.start.adding(seconds: 2), jitter: 1)
        #expect(second.item.nextAttempt == Harness.start.adding(seconds: 6))
        let third = retry.after(busy, item: second.item, now: Harness.start.adding(seconds: 6), jitter: 1)
        #expect(third.item.status == .failed && third.line.contains("failed after 3 attempt(s): busy"))
        let late = retry.after(busy, item: item, now: Harness.start.adding(seconds: 599), jitter: 1)
        #expect(late.item.status == .failed)
        let permanent = retry.after(.failed(DeliveryFailure(retryable: false, reason: "no such number")), item: item, now: Harness.start, jitter: 1)
        #expect(permanent.item.status == .failed && permanent.item.attempts == 1)
        let done = retry.after(.delivered(DeliveryReceipt(externalID: "m-1")), item: item, now: Harness.start, jitter: 1)
        #expect(done.item.status == .delivered && done.item.detail == "m-1")
    }

    @Test("the rate limiter lets perMinute deliveries per contact through in any 60 seconds")
    func rateLimiter() {
        var limiter = RateLimiter(perMinute: 2)
        let answers = [("alice", 0), ("alice", 10), ("alice", 20), ("bob", 20), ("alice", 60)].map { contact, offset in
            limiter.allow(contact: contact, now: Harness.start.adding(seconds: offset))
        }
        #expect(answers == [true, true, false, true, true])
    }

    @Test("the keyed lock serves one holder per key, waiters in arrival order, other keys at once")
    func keyedLock() async {
        let lock = KeyedLock()
        await lock.acquire("a")
        await lock.acquire("b")
        #expect(lock.isHeld("a") && lock.isHeld("b"))
        let order = OrderLog()
        let waiter = Task {
            await lock.acquire("a")
            order.append("waiter")
            lock.release("a")
        }
        // The waiter cannot get "a" until it is released.
        for _ in 0..<50 { await Task.yield() }
        order.append("holder")
        lock.release("a")
        await waiter.value
        #expect(order.all == ["holder", "waiter"])
        #expect(!lock.isHeld("a"))
        lock.release("b")
        #expect(!lock.isHeld("b"))
    }

    @Test("policy versions keep a replaced graph for its version and its channels; a new set serves new triggers")
    func versions() throws {
        let renamed = PolicyPipeline().run(files: [(path: "acme.yaml", text: Harness.yaml.replacingOccurrences(of: "timeout: 10m", with: "timeout: 5m"))]).graph
        var versions = PolicyVersions(PolicySet(graphs: [Self.graph]))
        let old = try #require(Self.graph.policy("outage")?.version)
        let new = try #require(renamed.policy("outage")?.version)
        #expect(old != new)
        versions.reload(PolicySet(graphs: [renamed]))
        #expect(versions.current("acme")?.policy("outage")?.version == new)
        #expect(versions.graph(organisation: "acme", version: old)?.policy("outage")?.version == old)
        #expect(versions.channel(organisation: "acme", id: "sms")?.plugin == "recording")
        #expect(versions.graph(organisation: "acme", version: "unknown") == nil)
    }
}

/// A thread-safe list of labels, for ordering checks.
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
