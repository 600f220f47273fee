import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// Deadlines run beside the ladder: an acknowledgement does not stop them, resolving does; anchored ones fire in
/// time order whatever order they are written in; one already past at trigger fires at once.
@Suite("Engine: deadlines")
struct DeadlineTests {
    static let policies = """
        policies:
          session:
            name: Session
            fields:
              session.start: { type: time, required: true }
            until: [cancelled]
            layers:
              - id: owner
                notify: [{ contact: ann }]
                via: [email]
                template: page
                timeout: 10m
              - id: backup
                notify: [{ contact: bob }]
                via: [email]
                template: page
            stages:
              - { id: cancelled, on: signal, signal: cancelled, channel: banner, template: banner }
            deadlines:
              - id: cancel-booking
                at: session.start + 1h
                signal: cancelled
              - id: second-message
                at: session.start - 45m
                notify: [{ contact: cat }]
                via: [email]
                template: page
              - id: check-in
                after: 30m
                tasks: [{ title: Check the session, assignee: { contact: dan } }]
        """

    static let start = instant("2026-03-09T08:00")

    @Test("after an acknowledgement the deadlines still fire, in time order, and the signal they raise acts like a sent one")
    func firesAfterAcknowledge() throws {
        var driver = Driver(try Org.graph(Self.policies), start: Self.start)
        driver.trigger("session", fields: ["session.start": "2026-03-09T10:00"])
        driver.send(.acknowledge(by: "ann"), at: Self.start.plus(5))
        let later = driver.run(until: Self.start.plus(240))
        let times = later.compactMap { entry -> (Instant, String)? in
            if case .notify(let n) = entry.effect, n.contact == "cat" { return (entry.at, "second-message") }
            if case .createTask(let t) = entry.effect { return (entry.at, t.title) }
            if case .postStage(let stage, _, _, _) = entry.effect { return (entry.at, "stage \(stage)") }
            return nil
        }
        #expect(times.map(\.1) == ["Check the session", "second-message", "stage cancelled"])
        #expect(times.map(\.0) == [Self.start.plus(30), instant("2026-03-09T09:15"), instant("2026-03-09T11:00")])
        #expect(driver.state?.status == .acknowledged)
    }

    @Test("the signal a deadline raises stops the ladder through 'until'; resolving cancels the deadlines")
    func signalAndResolve() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:55"))
        driver.trigger("session", fields: ["session.start": "2026-03-09T10:00"])
        driver.run(until: instant("2026-03-09T11:01"))
        #expect(driver.state?.ladderEnd == "stopped by signal 'cancelled'")
        var resolved = Driver(try Org.graph(Self.policies), start: Self.start)
        resolved.trigger("session", fields: ["session.start": "2026-03-09T10:00"])
        resolved.send(.resolve(by: "ann", scope: nil, outcome: nil), at: Self.start.plus(1))
        #expect(resolved.state?.timers.isEmpty == true)
        #expect(resolved.run(until: Self.start.plus(300)).effects.notifications.isEmpty)
    }

    @Test("a deadline already past at trigger fires at once, and the timeline says so")
    func pastAtTrigger() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T09:30"))
        let effects = driver.trigger("session", fields: ["session.start": "2026-03-09T10:00"])
        #expect(effects.notifications.map(\.contact).contains("cat"))
        #expect(effects.records.contains { $0.contains("deadline 'second-message'") && $0.contains("already past at trigger") })
    }
}
