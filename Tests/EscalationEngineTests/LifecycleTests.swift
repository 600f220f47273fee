import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// Resolve (hooks, actions, stages), per-scope resolution, signals, reminders, field updates, tasks and posts, keys.
@Suite("Engine: life cycle")
struct LifecycleTests {
    static let t0 = instant("2026-03-04T10:00")

    static let session = """
        policies:
          session:
            name: Session
            outcomes: [ran, not-run]
            reminders:
              every: 15m
              notify: [{ contact: bob }]
              via: [slack]
              template: note
            layers:
              - id: first
                notify: [{ contact: ann }]
                template: page
                timeout: 30m
              - id: second
                notify: [{ contact: bob }]
                template: page
            actions:
              - id: away-message
                channel: pbx
                template: away
              - id: audit-log
                channel: pbx
                template: away
                undo: never
            stages:
              - id: investigating
                on: trigger
                channel: banner
                template: banner
              - id: resolved
                on: resolve
                channel: banner
                template: banner
                expires: 1h
            on:
              resolve:
                - notify: [{ contact: cat }]
                  via: [email]
                  template: note
                  when: { outcome: ran }
                - notify: [{ contact: dan }]
                  via: [email]
                  template: note
                  when: { outcome: not-run }
                - notify: [{ contact: eve }]
                  via: [email]
                  template: note

        """

    @Test("trigger applies actions, posts the trigger stage and arms the reminder and the ladder")
    func triggerSideEffects() throws {
        var driver = Driver(try Org.graph(Self.session), start: Self.t0)
        let effects = driver.trigger("session")
        #expect(effects.applied == ["away-message", "audit-log"])
        let away = effects.compactMap { if case .applyAction("away-message", let channel, let message) = $0 { return (channel, message) }; return nil }
        #expect(away.map(\.0) == ["pbx"])
        #expect(away.first?.1.body == "away")
        #expect(away.first?.1.template == "away")
        #expect(effects.stages.map(\.stage) == ["investigating"])
        #expect(effects.stages.first?.message.body == "status open")
        #expect(effects.stages.first?.expiresAt == nil)
        #expect(effects.scheduled.map(\.at).sorted() == [Self.t0.plus(15), Self.t0.plus(30)])
        #expect(driver.state?.appliedActions == ["away-message", "audit-log"])
        #expect(driver.state?.stage == "investigating")
    }

    @Test(
        "resolve runs the resolve hooks for its outcome, undoes actions and posts the resolved stage, which expires",
        arguments: [("ran", "cat"), ("not-run", "dan")])
    func resolve(outcome: String, hooked: String) throws {
        var driver = Driver(try Org.graph(Self.session), start: Self.t0)
        driver.trigger("session")
        let pendingBefore = Set(driver.timers.keys)
        let resolve = driver.send(.resolve(by: "ann", scope: nil, outcome: outcome), at: Self.t0.plus(10))
        let state = try #require(driver.state)
        #expect(state.status == .resolved)
        #expect(state.resolvedBy == "ann")
        #expect(state.outcome == outcome)
        #expect(state.cursor == nil)
        // The ladder wait and the reminder are cancelled.
        #expect(Set(resolve.cancelled) == pendingBefore)
        // Hooks: the outcome-conditioned one for this outcome, and the unconditioned one.
        #expect(resolve.sent == ["\(hooked)@email", "eve@email"])
        #expect(resolve.notifications.map(\.origin) == ["on resolve #\(hooked == "cat" ? 1 : 2)", "on resolve #3"])
        #expect(resolve.notifications.first?.message.body == "note outcome=\(outcome) status=resolved")
        #expect(resolve.records.contains("on resolve #\(hooked == "cat" ? 2 : 1) skipped: its condition does not hold"))
        // Actions with `undo: resolve` are undone; `undo: never` stays.
        #expect(resolve.undone == ["away-message"])
        #expect(state.appliedActions == ["audit-log"])
        // The resolved stage, with its expiry and a timer at that instant.
        let stage = try #require(resolve.stages.first)
        #expect(resolve.stages.count == 1)
        #expect(stage.stage == "resolved")
        #expect(stage.channel == "banner")
        #expect(stage.expiresAt == Self.t0.plus(70))
        #expect(resolve.scheduled.map(\.at) == [Self.t0.plus(70)])
        #expect(state.stage == "resolved")
        // Later: only the stage expiry, at its instant; no notification, no reminder.
        let later = driver.run(until: Self.t0.plus(24 * 60))
        #expect(later.count == 2)
        #expect(later.effects.expired == ["resolved"])
        #expect(later.first?.at == Self.t0.plus(70))
        #expect(later.effects.contains(.expireStage(stage: "resolved", channel: "banner")))
        #expect(driver.timers.isEmpty)
        // Everything after the resolution is ignored.
        #expect(driver.send(.resolve(by: "bob", scope: nil, outcome: "ran")).records == ["resolve by bob ignored: the incident is already resolved"])
        #expect(driver.send(.acknowledge(by: "bob")).records == ["acknowledge by bob ignored: the incident is resolved"])
        #expect(driver.send(.signal(name: "x", data: [:])).records == ["signal 'x' ignored: the incident is resolved"])
        #expect(driver.send(.updateFields(["a": "b"])).records == ["field update ignored: the incident is resolved"])
        #expect(driver.state?.fields["a"] == nil)
        #expect(driver.send(.escalateNow).notifications.isEmpty)
    }

    @Test("reminders come every interval while open, also after acknowledge, and stop on resolve")
    func reminders() throws {
        var driver = Driver(try Org.graph(Self.session), start: Self.t0)
        driver.trigger("session")
        driver.run(until: Self.t0.plus(50))
        let reminderTimes = driver.allEffects.compactMap {
            if case .notify(let n) = $0.effect, n.origin == "reminder" { return $0.at.seconds(since: Self.t0) / 60 }
            return nil
        }
        #expect(reminderTimes == [15, 30, 45])
        #expect(driver.allEffects.effects.notifications.filter { $0.origin == "reminder" }.allSatisfy { $0.contact == "bob" && $0.channel == "slack" })
        driver.send(.acknowledge(by: "ann"), at: Self.t0.plus(50))
        let afterAck = driver.run(until: Self.t0.plus(70)).effects.notifications
        #expect(afterAck.map(\.origin) == ["reminder"])
        let resolve = driver.send(.resolve(by: "ann", scope: nil, outcome: "ran"), at: Self.t0.plus(70))
        #expect(resolve.cancelled.count == 1)
        #expect(driver.run(until: Self.t0.plus(24 * 60)).effects.notifications.isEmpty)
    }

    // MARK: - Per-scope resolution

    static let sites = """
        policies:
          sites:
            name: Sites
            fields:
              locations: { type: list, required: true }
            resolve_per: locations
            layers:
              - id: first
                notify: [{ contact: ann }]
                template: page
                timeout: 10m
              - id: second
                notify: [{ contact: bob }]
                template: page
            on:
              resolve:
                - notify: [{ contact: cat }]
                  via: [email]
                  template: note

        """

    @Test("with resolve_per the incident resolves only when every scope has")
    func perScopeResolution() throws {
        var driver = Driver(try Org.graph(Self.sites), start: Self.t0)
        driver.trigger("sites", fields: ["locations": "north, south"])
        #expect(driver.state?.openScopes == ["north", "south"])
        let north = driver.send(.resolve(by: "ann", scope: "north", outcome: nil), at: Self.t0.plus(2))
        #expect(driver.state?.status == .open)
        #expect(driver.state?.openScopes == ["south"])
        #expect(driver.state?.resolvedScopes == ["north"])
        #expect(north.notifications.isEmpty && north.cancelled.isEmpty)
        #expect(north.records == ["scope 'north' resolved by ann"])
        let twice = driver.send(.resolve(by: "ann", scope: "north", outcome: nil))
        #expect(twice.records == ["resolve of scope 'north' by ann ignored: not an open scope (open: south)"])
        #expect(driver.send(.resolve(by: "ann", scope: "east", outcome: nil)).records.first?.contains("ignored") == true)
        // The ladder goes on meanwhile.
        #expect(driver.run(until: Self.t0.plus(10)).effects.sent == ["bob@phone"])
        let south = driver.send(.resolve(by: "bob", scope: "south", outcome: nil), at: Self.t0.plus(12))
        #expect(driver.state?.status == .resolved)
        #expect(driver.state?.resolvedBy == "bob")
        #expect(driver.state?.resolvedScopes == ["north", "south"])
        #expect(south.sent == ["cat@email"])
    }

    @Test("a resolve without a scope resolves every open scope")
    func resolveAllScopes() throws {
        var driver = Driver(try Org.graph(Self.sites), start: Self.t0)
        driver.trigger("sites", fields: ["locations": "north, south, west"])
        driver.send(.resolve(by: "ann", scope: "west", outcome: nil), at: Self.t0.plus(1))
        let all = driver.send(.resolve(by: "ann", scope: nil, outcome: nil), at: Self.t0.plus(2))
        #expect(driver.state?.status == .resolved)
        #expect(driver.state?.openScopes == [])
        #expect(driver.state?.resolvedScopes == ["west", "north", "south"])
        #expect(all.sent == ["cat@email"])
    }

    // MARK: - Signals

    static let live = """
        policies:
          live:
            name: Live
            fields:
              room: { type: string }
            until: [facilitator-joined]
            layers:
              - id: first
                notify: [{ contact: ann }]
                template: page
                timeout: 5m
              - id: second
                notify: [{ contact: bob }]
                template: page
                timeout: 5m
              - id: third
                notify: [{ contact: cat }]
                template: page
            stages:
              - id: identified
                on: signal
                signal: identified
                channel: banner
                template: banner
            on:
              signal:
                facilitator-joined:
                  - notify: [{ contact: dan }]
                    via: [email]
                    template: room
                identified:
                  - post: [{ channel: banner, template: banner }]
        templates:
          room:
            body: "room={{ incident.room }}"

        """

    @Test("a signal not in `until` runs its hooks and stage and the ladder goes on")
    func plainSignal() throws {
        var driver = Driver(try Org.graph(Self.live), start: Self.t0)
        driver.trigger("live")
        let signal = driver.send(.signal(name: "identified", data: [:]), at: Self.t0.plus(2))
        #expect(signal.stages.map(\.stage) == ["identified"])
        #expect(signal.posts.map(\.channel) == ["banner"])
        #expect(signal.posts.first?.origin == "on signal identified #1")
        #expect(signal.cancelled.isEmpty)
        #expect(driver.state?.stage == "identified")
        #expect(driver.run(until: Self.t0.plus(5)).effects.sent == ["bob@phone"])
    }

    @Test("a signal in `until` stops the ladder; its hooks run with the signal's data")
    func untilSignal() throws {
        var driver = Driver(try Org.graph(Self.live), start: Self.t0)
        driver.trigger("live")
        driver.run(until: Self.t0.plus(5))
        let wait = try #require(driver.nextTimer)
        let signal = driver.send(.signal(name: "facilitator-joined", data: ["room": "B12"]), at: Self.t0.plus(6))
        #expect(signal.cancelled == [wait.id])
        #expect(signal.sent == ["dan@email"])
        #expect(signal.notifications.first?.origin == "on signal facilitator-joined #1")
        #expect(signal.notifications.first?.message.body == "room=B12")
        #expect(driver.state?.fields["room"] == "B12")
        #expect(driver.state?.status == .open)
        #expect(driver.state?.cursor == nil)
        #expect(driver.state?.ladderEnd == "stopped by signal 'facilitator-joined'")
        #expect(driver.run(until: Self.t0.plus(24 * 60)).isEmpty)
        #expect(driver.send(.escalateNow).notifications.isEmpty)
        // Still open: it can be resolved.
        driver.send(.resolve(by: "ann", scope: nil, outcome: nil))
        #expect(driver.state?.status == .resolved)
    }

    @Test("updated fields appear in later messages")
    func updateFields() throws {
        let graph = try Org.graph(
            """
            policies:
              rooms:
                name: Rooms
                fields:
                  room: { type: string }
                layers:
                  - id: first
                    notify: [{ contact: ann }]
                    template: room
                    timeout: 5m
                  - id: second
                    notify: [{ contact: bob }]
                    template: room
            templates:
              room:
                body: "room={{ incident.room }}"

            """)
        var driver = Driver(graph, start: Self.t0)
        #expect(driver.trigger("rooms", fields: ["room": "A1"]).notifications.map(\.message.body) == ["room=A1"])
        let update = driver.send(.updateFields(["room": "C3"]), at: Self.t0.plus(2))
        #expect(update == [.record("fields updated: room")])
        #expect(driver.state?.fields["room"] == "C3")
        let second = driver.run(until: Self.t0.plus(5)).effects.notifications
        #expect(second.map(\.message.body) == ["room=C3"])
    }

    // MARK: - Tasks and posts

    @Test("a layer creates one task per item of a `per` list field and posts to channels")
    func tasksAndPosts() throws {
        let graph = try Org.graph(
            """
            policies:
              sweep:
                name: Sweep
                fields:
                  locations: { type: list }
                layers:
                  - id: check
                    post: [{ channel: banner, template: banner }]
                    tasks:
                      - title: Check site
                        assignee: { group: leads }
                        per: locations
                      - title: Write report
                    timeout: 5m
                  - id: page
                    notify: [{ group: leads }, { contact: bob }]
                    template: page
            groups:
              leads:
                name: Leads
                members: [bob, ann]

            """)
        var driver = Driver(graph, start: Self.t0)
        let trigger = driver.trigger("sweep", fields: ["locations": "north, south"])
        #expect(trigger.tasks.map(\.title) == ["Check site (north)", "Check site (south)", "Write report"])
        #expect(trigger.tasks.first?.assignees == ["bob", "ann"])
        #expect(trigger.tasks.last?.assignees == [])
        #expect(trigger.tasks.allSatisfy { $0.origin == "layer check" })
        #expect(trigger.posts.count == 1)
        #expect(trigger.posts.first?.message.body == "status open")
        #expect(trigger.posts.first?.idempotencyKey.hasPrefix("inc/p") == true)
        #expect(trigger.notifications.isEmpty)
        // A group reaches each member once, in order.
        #expect(driver.run(until: Self.t0.plus(5)).effects.sent == ["bob@phone", "ann@phone"])
    }

    // MARK: - Keys

    @Test("idempotency keys and timer ids are unique across a run")
    func uniqueKeys() throws {
        let graph = try Org.graph(
            """
            policies:
              busy:
                name: Busy
                repeat: { times: 3, after: 1m }
                reminders:
                  every: 4m
                  notify: [{ contact: dan }, { contact: eve }]
                  template: note
                layers:
                  - id: first
                    notify: [{ contact: dan }, { contact: ann }]
                    post: [{ channel: banner, template: banner }]
                    template: page
                    timeout: 3m
                  - id: second
                    notify: [{ contact: dan }, { contact: eve }]
                    template: page
                    timeout: 6m

            """)
        var driver = Driver(graph, start: Self.t0)
        driver.trigger("busy")
        driver.run(until: Self.t0.plus(7))
        if let dan = driver.allEffects.effects.notifications.last(where: { $0.contact == "dan" }) {
            driver.send(.deliveryFailed(key: dan.notificationKey, channel: dan.channel))
        }
        driver.run(until: Self.t0.plus(90))
        driver.send(.acknowledge(by: "ann"))
        driver.run(until: Self.t0.plus(120))
        let effects = driver.allEffects.effects
        let keys = effects.notifications.map(\.idempotencyKey) + effects.posts.map(\.idempotencyKey)
        #expect(effects.notifications.count > 30)
        #expect(Set(keys).count == keys.count)
        let timers = effects.scheduled.map(\.id)
        #expect(Set(timers).count == timers.count)
        // One notification key per contact per layer run; its deliveries are numbered by channel.
        for notification in effects.notifications {
            #expect(notification.idempotencyKey.hasPrefix(notification.notificationKey + "/"))
        }
    }
}
