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

    static let firstReply = """
        policies:
          ticket:
            name: Ticket
            layers:
              - id: team
                notify: [{ contact: ann }]
                via: [email]
                template: page
            deadlines:
              - id: first-reply
                after: 1 business day
                until: [replied]
                notify: [{ contact: bob }]
                via: [email]
                template: page
        """

    @Test("a business 'after' counts the default calendar; a signal in 'until' cancels the deadline, an ack does not")
    func businessAfterAndUntil() throws {
        // Friday 2026-03-13 18:00: one business day is Monday 17:00 (Monday the 16th is a holiday, so Tuesday 17:00).
        let friday = instant("2026-03-13T18:00")
        var acked = Driver(try Org.graph(Self.firstReply), start: friday)
        acked.trigger("ticket", fields: [:])
        acked.send(.acknowledge(by: "ann"), at: friday.plus(60))
        let fired = acked.run(until: friday.plus(6 * 24 * 60))
        #expect(fired.compactMap { entry -> Instant? in
            if case .notify(let n) = entry.effect, n.contact == "bob" { return entry.at }
            return nil
        } == [instant("2026-03-17T17:00")])

        var replied = Driver(try Org.graph(Self.firstReply), start: friday)
        replied.trigger("ticket", fields: [:])
        replied.send(.acknowledge(by: "ann"), at: friday.plus(60))
        let effects = replied.send(.signal(name: "replied", data: [:]), at: friday.plus(120))
        #expect(effects.records.contains("deadline 'first-reply' cancelled by signal 'replied'"))
        #expect(replied.state?.timers.isEmpty == true)
        #expect(replied.run(until: friday.plus(6 * 24 * 60)).effects.notifications.isEmpty)
        // A second 'replied' has nothing left to cancel and says nothing about the deadline.
        let again = replied.send(.signal(name: "replied", data: [:]), at: friday.plus(6 * 24 * 60 + 1))
        #expect(!again.records.contains { $0.contains("cancelled") })
    }
}
