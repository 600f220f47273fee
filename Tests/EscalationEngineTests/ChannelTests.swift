import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// Per-contact channel order, `after` delays and fallback on failed deliveries.
@Suite("Engine: channels")
struct ChannelTests {
    static let t0 = instant("2026-03-04T10:00")

    /// Dan's preferences: slack at once, sms after 2m, email after 5m. Eve: phone (she has no phone address), email after 3m.
    static let yaml = """
        policies:
          prefs:
            name: Prefs
            layers:
              - id: only
                notify: [{ contact: dan }]
                template: page
                timeout: 30m
              - id: later
                notify: [{ contact: ann }]
                template: page
          via:
            name: Via
            layers:
              - id: only
                notify: [{ contact: dan }, { contact: ann }]
                via: [email, { channel: slack, after: 1m }]
                template: page
          delayed:
            name: Delayed
            layers:
              - id: only
                notify: [{ contact: eve }]
                template: page
          hooked:
            name: Hooked
            layers:
              - id: only
                notify: [{ contact: ann }]
                template: page
            on:
              acknowledge:
                - notify: [{ contact: dan }]
                  template: note
              resolve:
                - notify: [{ contact: dan }]
                  template: note

        """

    static func start(_ policy: String) throws -> Driver {
        var driver = Driver(try Org.graph(yaml), start: t0)
        driver.trigger(policy)
        return driver
    }

    static func times(_ produced: [(at: Instant, effect: Effect)]) -> [String] {
        produced.compactMap {
            if case .notify(let n) = $0.effect { return "\(n.contact)@\(n.channel)+\($0.at.seconds(since: t0))s" }
            return nil
        }
    }

    @Test("a contact's preferences are tried in order, each `after` counted from the start of the notification")
    func channelOrder() throws {
        var driver = try Self.start("prefs")
        let first = try #require(driver.log.first?.effects.notifications.first)
        #expect(first.channel == "slack")
        #expect(first.address == "@dan")
        #expect(first.idempotencyKey == first.notificationKey + "/0")
        driver.run(until: Self.t0.plus(10))
        let all = driver.allEffects.effects.notifications
        #expect(Self.times(driver.allEffects) == ["dan@slack+0s", "dan@sms+120s", "dan@email+300s"])
        #expect(all.map(\.idempotencyKey) == ["/0", "/1", "/2"].map { first.notificationKey + $0 })
        #expect(all[1].address == "+1-555-0004")
        // Every delivery of one notification carries the same rendered message.
        #expect(Set(all.map(\.message)).count == 1)
        #expect(all.allSatisfy { $0.origin == "layer only" })
    }

    @Test("a failed delivery moves to the next channel at once and cancels that channel's timer")
    func fallbackOnFailure() throws {
        var driver = try Self.start("prefs")
        let slack = try #require(driver.log.first?.effects.notifications.first)
        let smsTimer = try #require(driver.timers.first { $0.value == Self.t0.plus(2) }?.key)
        let failed = driver.send(.deliveryFailed(key: slack.notificationKey, channel: "slack"), at: Self.t0.adding(seconds: 30))
        #expect(failed.sent == ["dan@sms"])
        #expect(failed.notifications.first?.reason == "fallback after failed slack")
        #expect(failed.cancelled == [smsTimer])
        #expect(failed.records.contains("delivery to dan on slack failed"))
        // Email still comes at its own delay, 5m after the start.
        driver.run(until: Self.t0.plus(10))
        #expect(Self.times(driver.allEffects) == ["dan@slack+0s", "dan@sms+30s", "dan@email+300s"])
        // The last channel failing leaves nothing to try.
        let last = driver.send(.deliveryFailed(key: slack.notificationKey, channel: "email"))
        #expect(last.notifications.isEmpty)
        #expect(last.records.contains("all channels tried for dan (layer only)"))
        #expect(driver.state?.pending.isEmpty == true)
        #expect(driver.send(.deliveryFailed(key: slack.notificationKey, channel: "email")).records == [
            "delivery failure on email for \(slack.notificationKey) ignored: nothing pending"
        ])
    }

    @Test("a failure reported for a channel that is no longer the current one does not skip a delay")
    func staleFailure() throws {
        var driver = try Self.start("prefs")
        let slack = try #require(driver.log.first?.effects.notifications.first)
        driver.run(until: Self.t0.plus(2))
        let stale = driver.send(.deliveryFailed(key: slack.notificationKey, channel: "slack"), at: Self.t0.plus(3))
        #expect(stale.notifications.isEmpty)
        #expect(stale.cancelled.isEmpty)
        driver.run(until: Self.t0.plus(10))
        #expect(Self.times(driver.allEffects) == ["dan@slack+0s", "dan@sms+120s", "dan@email+300s"])
    }

    @Test("acknowledge drops pending fallbacks; a later failure is ignored")
    func acknowledgeDropsFallbacks() throws {
        var driver = try Self.start("prefs")
        let slack = try #require(driver.log.first?.effects.notifications.first)
        let ack = driver.send(.acknowledge(by: "dan"), at: Self.t0.plus(1))
        #expect(ack.cancelled.count == 2)  // the sms fallback and the layer's timeout
        #expect(driver.timers.isEmpty)
        #expect(driver.send(.deliveryFailed(key: slack.notificationKey, channel: "slack")).notifications.isEmpty)
        #expect(driver.run(until: Self.t0.plus(60)).isEmpty)
    }

    @Test("a layer's `via` overrides preferences and drops channels the contact has no address for")
    func viaOverridesPreferences() throws {
        var driver = try Self.start("via")
        driver.run(until: Self.t0.plus(10))
        #expect(Self.times(driver.allEffects) == ["dan@email+0s", "ann@email+0s", "dan@slack+60s", "ann@slack+60s"])
    }

    @Test("a first channel with a delay is used after it; channels without an address are dropped")
    func delayedFirstChannel() throws {
        var driver = try Self.start("delayed")
        #expect(driver.log.first?.effects.notifications.isEmpty == true)
        #expect(driver.state?.pending.first?.channels.map(\.channel) == ["email"])
        driver.run(until: Self.t0.plus(10))
        let sent = driver.allEffects.effects.notifications
        #expect(Self.times(driver.allEffects) == ["eve@email+180s"])
        // Rendered as the layer's message, like an immediate delivery.
        #expect(sent.first?.message.body == "layer=only to=eve")
        #expect(sent.first?.origin == "layer only")
    }

    @Test("hook notifications fall back while the incident is open, but nothing is sent once it is resolved")
    func hookFallbacks() throws {
        var driver = try Self.start("hooked")
        let ack = driver.send(.acknowledge(by: "ann"), at: Self.t0.plus(1))
        let hook = try #require(ack.notifications.first)
        #expect(hook.origin == "on acknowledge #1")
        #expect(hook.channel == "slack")
        // The acknowledge hook's delayed channel still comes: the incident is open.
        driver.run(until: Self.t0.plus(3))
        #expect(Self.times(driver.allEffects) == ["ann@phone+0s", "dan@slack+60s", "dan@sms+180s"])
        let failed = driver.send(.deliveryFailed(key: hook.notificationKey, channel: "sms"))
        #expect(failed.sent == ["dan@email"])
        // Resolve: the hook sends at once on the first channel; no fallback follows.
        let resolve = driver.send(.resolve(by: "ann", scope: nil, outcome: nil), at: Self.t0.plus(4))
        let last = try #require(resolve.notifications.first)
        #expect(resolve.sent == ["dan@slack"])
        #expect(resolve.scheduled.isEmpty)
        #expect(driver.send(.deliveryFailed(key: last.notificationKey, channel: "slack")).notifications.isEmpty)
        #expect(driver.run(until: Self.t0.plus(60)).effects.notifications.isEmpty)
    }
}
