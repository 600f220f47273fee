import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// The escalation ladder: layers, timeouts, acknowledge, escalate now, snooze, anchors, business time, repeat, `when`.
@Suite("Engine: ladder")
struct LadderTests {
    /// Wednesday 2026-03-04 10:00 UTC, inside office hours.
    static let t0 = instant("2026-03-04T10:00")

    static let threeLayers = """
        policies:
          outage:
            name: Outage
            fields:
              room: { type: string }
            layers:
              - id: first
                notify: [{ contact: ann }]
                template: page
                timeout: 5m
              - id: second
                notify: [{ contact: bob }]
                template: page
                timeout: 10m
              - id: third
                notify: [{ contact: cat }]
                template: page
            stages:
              - id: acked
                on: acknowledge
                channel: banner
                template: banner
            on:
              acknowledge:
                - notify: [{ contact: cat }]
                  via: [email]
                  template: note

        """

    static func outage(start: Instant = t0) throws -> Driver {
        var driver = Driver(try Org.graph(threeLayers), start: start)
        driver.trigger("outage")
        return driver
    }

    @Test("trigger runs the first layer and arms its timeout")
    func triggerRunsFirstLayer() throws {
        var driver = Driver(try Org.graph(Self.threeLayers), start: Self.t0)
        let effects = driver.trigger("outage", title: "Disk full")
        let state = try #require(driver.state)
        #expect(state.status == .open)
        #expect(state.cursor == "layer:first/wait")
        #expect(effects.sent == ["ann@phone"])
        let note = try #require(effects.notifications.first)
        #expect(note.origin == "layer first")
        #expect(note.reason == "layer 'first' started")
        #expect(note.address == "+1-555-0001")
        #expect(note.message.subject == "Page: Disk full")
        #expect(note.message.body == "layer=first to=ann")
        #expect(effects.scheduled.map(\.at) == [Self.t0.plus(5)])
        #expect(effects.records.first?.hasPrefix("triggered by policy 'outage'") == true)
    }

    @Test("without an acknowledgement each timeout moves to the next layer at exactly its instant")
    func timeoutsClimbTheLadder() throws {
        var driver = try Self.outage()
        #expect(driver.run(until: Self.t0.plus(5).adding(seconds: -1)).effects.notifications.isEmpty)
        let atFive = driver.run(until: Self.t0.plus(5))
        #expect(atFive.effects.sent == ["bob@phone"])
        #expect(atFive.allSatisfy { $0.at == Self.t0.plus(5) })
        let rest = driver.run(until: Self.t0.plus(120))
        #expect(rest.effects.sent == ["cat@phone"])
        #expect(rest.first { if case .notify = $0.effect { return true }; return false }?.at == Self.t0.plus(15))
        #expect(driver.state?.cursor == nil)
        #expect(driver.state?.ladderEnd == "ladder exhausted")
        #expect(driver.timers.isEmpty)
    }

    @Test("acknowledge stops the ladder: its timer is cancelled, no later layer notifies, hooks and stages run")
    func acknowledgeStopsTheLadder() throws {
        var driver = try Self.outage()
        driver.run(until: Self.t0.plus(5))
        let pending = try #require(driver.nextTimer)
        #expect(pending.at == Self.t0.plus(15))
        let ack = driver.send(.acknowledge(by: "bob"), at: Self.t0.plus(7))
        #expect(ack.cancelled == [pending.id])
        #expect(driver.timers.isEmpty)
        #expect(driver.state?.status == .acknowledged)
        #expect(driver.state?.acknowledgedBy == "bob")
        #expect(driver.state?.cursor == nil)
        // The acknowledge hook notifies; it is not a layer.
        #expect(ack.sent == ["cat@email"])
        #expect(ack.notifications.first?.origin == "on acknowledge #1")
        #expect(ack.stages.map(\.stage) == ["acked"])
        #expect(ack.stages.first?.expiresAt == nil)
        // Nothing more, ever.
        #expect(driver.run(until: Self.t0.plus(24 * 60)).isEmpty)
        let again = driver.send(.acknowledge(by: "ann"))
        #expect(again.records == ["acknowledge by ann ignored: the incident is acknowledged"])
        #expect(again.notifications.isEmpty)
        // Escalating or snoozing an acknowledged incident does nothing either.
        #expect(driver.send(.escalateNow).notifications.isEmpty)
        #expect(driver.send(.snooze(until: Self.t0.plus(60))).scheduled.isEmpty)
    }

    @Test("escalate now moves to the next layer at once and cancels the current wait")
    func escalateNowMovesOn() throws {
        var driver = try Self.outage()
        let wait = try #require(driver.nextTimer)
        let effects = driver.send(.escalateNow, at: Self.t0.plus(1))
        #expect(effects.cancelled == [wait.id])
        #expect(effects.sent == ["bob@phone"])
        #expect(effects.scheduled.map(\.at) == [Self.t0.plus(11)])
        #expect(driver.run(until: Self.t0.plus(11)).effects.sent == ["cat@phone"])
        // The ladder has ended: there is nothing to escalate to.
        let late = driver.send(.escalateNow, at: Self.t0.plus(12))
        #expect(late.notifications.isEmpty)
        #expect(late.records == ["escalate ignored: no escalation is running"])
    }

    @Test("snooze holds the ladder and then re-runs the current layer with a fresh wait")
    func snoozeReRunsTheLayer() throws {
        var driver = try Self.outage()
        let wait = try #require(driver.nextTimer)
        let snooze = driver.send(.snooze(until: Self.t0.plus(30)), at: Self.t0.plus(2))
        #expect(snooze.cancelled == [wait.id])
        #expect(snooze.scheduled.map(\.at) == [Self.t0.plus(30)])
        #expect(driver.state?.snoozedUntil == Self.t0.plus(30))
        #expect(driver.run(until: Self.t0.plus(29)).effects.notifications.isEmpty)
        let wake = driver.run(until: Self.t0.plus(30)).effects
        #expect(wake.sent == ["ann@phone"])
        #expect(wake.scheduled.map(\.at) == [Self.t0.plus(35)])
        #expect(driver.state?.snoozedUntil == nil)
        #expect(driver.run(until: Self.t0.plus(35)).effects.sent == ["bob@phone"])
    }

    @Test("a snooze until an instant not in the future is ignored")
    func snoozeIntoThePast() throws {
        var driver = try Self.outage()
        let effects = driver.send(.snooze(until: Self.t0), at: Self.t0.plus(1))
        #expect(effects.scheduled.isEmpty && effects.cancelled.isEmpty)
        #expect(effects.records.first?.hasPrefix("snooze ignored") == true)
        #expect(driver.run(until: Self.t0.plus(5)).effects.sent == ["bob@phone"])
    }

    @Test("a second snooze replaces the first: the layer re-runs once, at the later instant")
    func snoozeReplacesSnooze() throws {
        var driver = try Self.outage()
        driver.send(.snooze(until: Self.t0.plus(30)), at: Self.t0.plus(2))
        let second = driver.send(.snooze(until: Self.t0.plus(60)), at: Self.t0.plus(3))
        #expect(second.cancelled.count == 1)
        #expect(driver.timers.values.sorted() == [Self.t0.plus(60)])
        let produced = driver.run(until: Self.t0.plus(64))
        #expect(produced.effects.sent == ["ann@phone"])
        #expect(produced.first { if case .notify = $0.effect { return true }; return false }?.at == Self.t0.plus(60))
        #expect(driver.timers.values.sorted() == [Self.t0.plus(65)])
    }

    @Test("escalate now during a snooze ends the snooze")
    func escalateEndsSnooze() throws {
        var driver = try Self.outage()
        driver.send(.snooze(until: Self.t0.plus(30)), at: Self.t0.plus(2))
        let escalate = driver.send(.escalateNow, at: Self.t0.plus(4))
        #expect(escalate.sent == ["bob@phone"])
        #expect(escalate.cancelled.count == 1)
        #expect(driver.state?.snoozedUntil == nil)
        let rest = driver.run(until: Self.t0.plus(120))
        // Layer two is not re-run at the old snooze's end; the ladder goes on to layer three at 4 + 10 minutes.
        #expect(rest.effects.sent == ["cat@phone"])
        #expect(rest.first { if case .notify = $0.effect { return true }; return false }?.at == Self.t0.plus(14))
    }

    @Test("a cancelled or unknown timer firing is ignored")
    func staleTimer() throws {
        var driver = try Self.outage()
        let effects = driver.send(.timerFired(id: "inc/t999"), at: Self.t0.plus(1))
        #expect(effects == [.record("timer inc/t999 ignored: it was cancelled")])
        #expect(driver.timers.count == 1)
    }

    @Test("events without an incident are ignored; a second trigger is ignored")
    func eventsWithoutIncident() throws {
        let engine = Engine(graph: try Org.graph(Self.threeLayers))
        let none = engine.handle(.acknowledge(by: "ann"), state: nil, now: Self.t0)
        #expect(none.state == nil)
        #expect(none.effects == [.record("event ignored: no such incident")])
        var driver = try Self.outage()
        let before = driver.state
        let again = driver.send(.trigger(id: "inc", policy: "outage", title: "again", fields: [:], dedupKey: nil))
        #expect(again == [.record("trigger ignored: incident inc exists")])
        #expect(driver.state == before)
    }

    // MARK: - Anchors

    static let anchored = """
        policies:
          no-show:
            name: No-show
            fields:
              session.start: { type: time, required: true, description: Session start }
            layers:
              - id: tag-owner
                notify: [{ contact: ann }]
                template: page
                at: session.start + 15m
              - id: participants
                notify: [{ contact: bob }]
                template: page

        """

    @Test("an anchored layer moves on at exactly the anchor instant")
    func anchorFiresAtInstant() throws {
        var driver = Driver(try Org.graph(Self.anchored), start: Self.t0)
        let trigger = driver.trigger("no-show", fields: ["session.start": "2026-03-04T10:30"])
        #expect(trigger.sent == ["ann@phone"])
        #expect(trigger.scheduled.map(\.at) == [instant("2026-03-04T10:45")])
        #expect(driver.run(until: instant("2026-03-04T10:45").adding(seconds: -1)).isEmpty)
        #expect(driver.run(until: instant("2026-03-04T10:45")).effects.sent == ["bob@phone"])
    }

    @Test("an anchor already past (or now) moves on at once", arguments: ["2026-03-04T09:00", "2026-03-04T09:45"])
    func anchorInThePast(start: String) throws {
        var driver = Driver(try Org.graph(Self.anchored), start: Self.t0)
        let trigger = driver.trigger("no-show", fields: ["session.start": start])
        #expect(trigger.sent == ["ann@phone", "bob@phone"])
        #expect(trigger.scheduled.isEmpty)
        #expect(trigger.records.contains("wait session.start + 15m is already past; moving on"))
    }

    @Test("a trigger without a required field is refused: no state, one record")
    func missingRequiredField() throws {
        let engine = Engine(graph: try Org.graph(Self.anchored))
        let refused = engine.handle(
            .trigger(id: "inc", policy: "no-show", title: "x", fields: [:], dedupKey: nil), state: nil, now: Self.t0)
        #expect(refused.state == nil)
        #expect(refused.effects == [.record("trigger refused: missing required field 'session.start' (Session start)")])
        let badTime = engine.handle(
            .trigger(id: "inc", policy: "no-show", title: "x", fields: ["session.start": "soon"], dedupKey: nil), state: nil, now: Self.t0)
        #expect(badTime.state == nil)
        #expect(badTime.effects.count == 1)
        #expect(badTime.effects.records.first?.hasPrefix("trigger refused: field 'session.start' must be a time") == true)
        let unknown = engine.handle(.trigger(id: "inc", policy: "nope", title: "x", fields: [:], dedupKey: nil), state: nil, now: Self.t0)
        #expect(unknown.state == nil)
        #expect(unknown.effects == [.record("trigger refused: unknown policy 'nope'")])
    }

    // MARK: - Business time

    static func business(_ timeout: String) -> String {
        """
        policies:
          ticket:
            name: Ticket
            layers:
              - id: claim
                notify: [{ contact: ann }]
                template: page
                timeout: \(timeout)
              - id: manager
                notify: [{ contact: bob }]
                template: page

        """
    }

    @Test(
        "a business timeout skips nights, weekends and holidays",
        arguments: [
            ("1 business day", "2026-03-06T18:00", "2026-03-09T17:00"),  // Friday evening → Monday close
            ("1 business day", "2026-03-06T10:00", "2026-03-09T10:00"),  // Friday morning → Monday, same time
            ("1 business day", "2026-03-07T12:00", "2026-03-09T17:00"),  // Saturday → Monday close
            ("1 business day", "2026-03-09T07:00", "2026-03-09T17:00"),  // before opening → that day's close
            ("1 business day", "2026-03-04T17:00", "2026-03-05T17:00"),  // at closing (outside) → next day's close
            ("1 business day", "2026-03-13T18:00", "2026-03-17T17:00"),  // Friday before a Monday holiday → Tuesday
            ("2 business days", "2026-03-12T10:00", "2026-03-17T10:00"),  // Thursday → Tuesday (Monday is a holiday)
            ("4 business hours", "2026-03-06T15:00", "2026-03-09T11:00"),  // two hours Friday, two Monday
            ("30 business minutes", "2026-03-07T08:00", "2026-03-09T09:30"),  // weekend: counts from Monday's opening
        ])
    func businessTimeout(timeout: String, start: String, expected: String) throws {
        var driver = Driver(try Org.graph(Self.business(timeout)), start: instant(start))
        let trigger = driver.trigger("ticket")
        #expect(trigger.scheduled.map(\.at) == [instant(expected)])
        #expect(driver.run(until: instant(expected).adding(seconds: -1)).effects.notifications.isEmpty)
        #expect(driver.run(until: instant(expected)).effects.sent == ["bob@phone"])
    }

    // MARK: - Repeat

    static let repeating = """
        policies:
          rep:
            name: Rep
            repeat: { times: 2, after: 10m }
            layers:
              - id: first
                notify: [{ contact: ann }]
                template: page
                timeout: 5m
              - id: second
                notify: [{ contact: bob }]
                template: page
                timeout: 5m

        """

    static func minutes(_ produced: [(at: Instant, effect: Effect)], from start: Instant) -> [Int] {
        produced.compactMap { if case .notify = $0.effect { return $0.at.seconds(since: start) / 60 }; return nil }
    }

    @Test("repeat runs the ladder `times` more times, `after` the last layer ends, then stops")
    func repeatIsBounded() throws {
        var driver = Driver(try Org.graph(Self.repeating), start: Self.t0)
        driver.trigger("rep")
        driver.run(until: Self.t0.plus(7 * 24 * 60))
        let produced = driver.allEffects
        #expect(Self.minutes(produced, from: Self.t0) == [0, 5, 20, 25, 40, 45])
        #expect(produced.effects.sent == ["ann@phone", "bob@phone", "ann@phone", "bob@phone", "ann@phone", "bob@phone"])
        #expect(produced.effects.notifications.map(\.reason) == [
            "layer 'first' started", "layer 'second' started", "repeat pass 1", "repeat pass 1", "repeat pass 2", "repeat pass 2",
        ])
        #expect(driver.state?.pass == 2)
        #expect(driver.state?.ladderEnd == "ladder exhausted")
        #expect(driver.timers.isEmpty)
    }

    @Test("acknowledging during the repeat pause cancels the pass")
    func acknowledgeDuringRepeatPause() throws {
        var driver = Driver(try Org.graph(Self.repeating), start: Self.t0)
        driver.trigger("rep")
        driver.run(until: Self.t0.plus(12))
        #expect(driver.state?.cursor == "repeat")
        let ack = driver.send(.acknowledge(by: "ann"))
        #expect(ack.cancelled.count == 1)
        #expect(driver.timers.isEmpty)
        #expect(driver.run(until: Self.t0.plus(24 * 60)).isEmpty)
    }

    @Test("escalate now during the repeat pause starts the pass at once and uses no extra pass")
    func escalateDuringRepeatPause() throws {
        var driver = Driver(try Org.graph(Self.repeating), start: Self.t0)
        driver.trigger("rep")
        driver.run(until: Self.t0.plus(12))
        let escalate = driver.send(.escalateNow)
        #expect(escalate.sent == ["ann@phone"])
        #expect(escalate.notifications.first?.reason == "repeat pass 1")
        #expect(driver.state?.pass == 1)
        driver.run(until: Self.t0.plus(24 * 60))
        #expect(Self.minutes(driver.allEffects, from: Self.t0) == [0, 5, 12, 17, 32, 37])
        #expect(driver.state?.pass == 2)
        #expect(driver.state?.ladderEnd == "ladder exhausted")
    }

    @Test("a snooze during the repeat pause starts the pending pass when it ends")
    func snoozeDuringRepeatPause() throws {
        var driver = Driver(try Org.graph(Self.repeating), start: Self.t0)
        driver.trigger("rep")
        driver.run(until: Self.t0.plus(12))
        driver.send(.snooze(until: Self.t0.plus(60)))
        driver.run(until: Self.t0.plus(24 * 60))
        #expect(Self.minutes(driver.allEffects, from: Self.t0) == [0, 5, 60, 65, 80, 85])
        #expect(driver.state?.pass == 2)
    }

    // MARK: - When

    static let conditional = """
        policies:
          after-hours:
            name: After hours
            fields:
              severity: { type: enum, values: [low, high] }
            layers:
              - id: first
                notify: [{ contact: ann }]
                template: page
                timeout: 15m
              - id: office-desk
                when: { during: office }
                notify: [{ contact: bob }]
                template: page
                timeout: 15m
              - id: on-call
                when: { outside: office }
                notify: [{ contact: cat }]
                template: page
                timeout: 15m
              - id: high-only
                when: { fields: { severity: high } }
                notify: [{ contact: dan }]
                via: [email]
                template: page

        """

    @Test(
        "a layer's `when` is evaluated when the layer starts, not at trigger",
        arguments: [
            // Open at trigger, closed when layer two starts at 17:05: the desk is skipped, on-call runs.
            ("2026-03-04T16:50", ["ann@phone", "cat@phone"]),
            // Closed at trigger, open when layer two starts at 09:05: the desk runs, on-call is skipped.
            ("2026-03-04T08:50", ["ann@phone", "bob@phone"]),
            // Saturday: closed throughout.
            ("2026-03-07T12:00", ["ann@phone", "cat@phone"]),
        ])
    func whenAtLayerStart(start: String, expected: [String]) throws {
        var driver = Driver(try Org.graph(Self.conditional), start: instant(start))
        driver.trigger("after-hours", fields: ["severity": "low"])
        driver.run(until: instant(start).plus(24 * 60))
        #expect(driver.allEffects.effects.sent == expected)
        #expect(driver.allEffects.effects.records.contains { $0.hasPrefix("layer 'high-only' skipped") })
    }

    @Test("field conditions see updates made before the layer starts")
    func whenSeesUpdatedFields() throws {
        var driver = Driver(try Org.graph(Self.conditional), start: instant("2026-03-04T16:50"))
        driver.trigger("after-hours", fields: ["severity": "low"])
        let update = driver.send(.updateFields(["severity": "high"]), at: instant("2026-03-04T17:10"))
        #expect(update.records == ["fields updated: severity"])
        #expect(driver.state?.fields["severity"] == "high")
        driver.run(until: instant("2026-03-05T00:00"))
        #expect(driver.allEffects.effects.sent == ["ann@phone", "cat@phone", "dan@email"])
        #expect(driver.allEffects.last { if case .notify = $0.effect { return true }; return false }?.at == instant("2026-03-04T17:20"))
    }
}
