import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// Channel items that send on several channels at once (`all:`) and items used when the one before goes unanswered
/// (`unanswered:`).
@Suite("Engine: parallel and unanswered channels")
struct ChannelGroupTests {
    static let t0 = instant("2026-03-04T10:00")

    static let yaml = """
        policies:
          parallel:
            name: Parallel
            layers:
              - id: only
                notify: [{ contact: ann }]
                via: [{ all: [sms, email] }, slack]
                template: page
          parallel-later:
            name: Parallel later
            layers:
              - id: only
                notify: [{ contact: ann }]
                via: [slack, { all: [sms, email], after: 5m }]
                template: page
          call-first:
            name: Call first
            layers:
              - id: only
                notify: [{ contact: ann }]
                via: [phone, { channel: email, unanswered: 2m }, { channel: slack, unanswered: 3m }]
                template: page
                timeout: 30m
          call-group:
            name: Call with sms
            layers:
              - id: only
                notify: [{ contact: ann }]
                via: [{ all: [phone, sms] }, { channel: email, unanswered: 2m }]
                template: page

        """

    static func start(_ policy: String) throws -> Driver {
        var driver = Driver(try Org.graph(yaml), start: t0)
        driver.trigger(policy)
        return driver
    }

    static func times(_ driver: Driver) -> [String] {
        driver.allEffects.compactMap {
            if case .notify(let n) = $0.effect { return "\(n.channel)+\($0.at.seconds(since: t0))s" }
            return nil
        }
    }

    @Test("a group sends on each of its channels at once: one notification, one delivery per channel, each with its own key")
    func parallelSendsAll() throws {
        let driver = try Self.start("parallel")
        let sent = try #require(driver.log.first?.effects.notifications)
        #expect(sent.map(\.channel) == ["sms", "email"])
        #expect(sent.map(\.address) == ["+1-555-0001", "ann@example.org"])
        let key = try #require(sent.first?.notificationKey)
        #expect(sent.allSatisfy { $0.notificationKey == key })
        #expect(sent.map(\.idempotencyKey) == [key + "/0.0", key + "/0.1"])
        #expect(Set(sent.map(\.message)).count == 1)
    }

    @Test("the item after a group is used only when every channel of the group failed")
    func nextAfterGroupOnlyWhenAllFailed() throws {
        var driver = try Self.start("parallel")
        let key = try #require(driver.log.first?.effects.notifications.first?.notificationKey)
        let one = driver.send(.deliveryFailed(key: key, channel: "sms"), at: Self.t0.plus(1))
        #expect(one.notifications.isEmpty)
        #expect(one.records.contains("delivery to ann on sms failed"))
        #expect(driver.send(.deliveryFailed(key: key, channel: "sms"), at: Self.t0.plus(1)).notifications.isEmpty)
        let both = driver.send(.deliveryFailed(key: key, channel: "email"), at: Self.t0.plus(2))
        #expect(both.sent == ["ann@slack"])
        #expect(both.notifications.first?.reason == "fallback after every channel of all: [sms, email] failed")
        #expect(both.notifications.first?.idempotencyKey == key + "/1")
    }

    @Test("a group with `after` comes at its delay; a failure of the item before brings it forward")
    func groupAfterDelay() throws {
        var driver = try Self.start("parallel-later")
        driver.run(until: Self.t0.plus(10))
        #expect(Self.times(driver) == ["slack+0s", "sms+300s", "email+300s"])
        var failing = try Self.start("parallel-later")
        let key = try #require(failing.log.first?.effects.notifications.first?.notificationKey)
        #expect(failing.send(.deliveryFailed(key: key, channel: "slack"), at: Self.t0.plus(1)).sent == ["ann@sms", "ann@email"])
    }

    @Test("no answer within the wait: the `unanswered` item follows; each wait counts from the item before it")
    func unansweredAfterWait() throws {
        var driver = try Self.start("call-first")
        #expect(driver.log.first?.effects.notifications.map(\.channel) == ["phone"])
        #expect(driver.timers.values.contains(Self.t0.plus(2)))
        driver.run(until: Self.t0.plus(10))
        #expect(Self.times(driver) == ["phone+0s", "email+120s", "slack+300s"])
        let email = try #require(driver.allEffects.effects.notifications.first { $0.channel == "email" })
        #expect(email.reason == "phone not answered within 2m")
    }

    @Test("a report that the call was not answered sends the `unanswered` item at once and cancels its timer")
    func unansweredReport() throws {
        var driver = try Self.start("call-first")
        let key = try #require(driver.log.first?.effects.notifications.first?.notificationKey)
        let timer = try #require(driver.timers.first { $0.value == Self.t0.plus(2) }?.key)
        let report = driver.send(.deliveryAnswered(key: key, channel: "phone", answered: false), at: Self.t0.adding(seconds: 40))
        #expect(report.sent == ["ann@email"])
        #expect(report.cancelled.contains(timer))
        #expect(report.records.contains("delivery to ann on phone not answered"))
        #expect(report.notifications.first?.reason == "fallback: phone not answered")
    }

    @Test("a failed call sends the `unanswered` item at once too")
    func failedCall() throws {
        var driver = try Self.start("call-first")
        let key = try #require(driver.log.first?.effects.notifications.first?.notificationKey)
        #expect(driver.send(.deliveryFailed(key: key, channel: "phone"), at: Self.t0.plus(1)).sent == ["ann@email"])
    }

    @Test("an answered call: no `unanswered` item follows, its timer is cancelled, the ladder goes on")
    func answeredStops() throws {
        var driver = try Self.start("call-first")
        let key = try #require(driver.log.first?.effects.notifications.first?.notificationKey)
        let timer = try #require(driver.timers.first { $0.value == Self.t0.plus(2) }?.key)
        let answered = driver.send(.deliveryAnswered(key: key, channel: "phone", answered: true), at: Self.t0.plus(1))
        #expect(answered.notifications.isEmpty)
        #expect(answered.cancelled == [timer])
        #expect(answered.records.contains("delivery to ann on phone answered"))
        #expect(driver.state?.pending.isEmpty == true)
        driver.run(until: Self.t0.plus(20))
        #expect(Self.times(driver) == ["phone+0s"])
        #expect(driver.state?.status == .open)
        // A later report about the call changes nothing.
        #expect(driver.send(.deliveryAnswered(key: key, channel: "phone", answered: false)).notifications.isEmpty)
    }

    @Test("an answer on the second item stops the third; a report about an earlier item is ignored")
    func answerOnLaterItem() throws {
        var driver = try Self.start("call-first")
        let key = try #require(driver.log.first?.effects.notifications.first?.notificationKey)
        driver.run(until: Self.t0.plus(2))
        let stale = driver.send(.deliveryAnswered(key: key, channel: "phone", answered: false), at: Self.t0.plus(3))
        #expect(stale.notifications.isEmpty)
        #expect(stale.records == ["no-answer report on phone for \(key) ignored: the current channel is email"])
        _ = driver.send(.deliveryAnswered(key: key, channel: "email", answered: true), at: Self.t0.plus(3))
        driver.run(until: Self.t0.plus(20))
        #expect(Self.times(driver) == ["phone+0s", "email+120s"])
    }

    @Test("acknowledge cancels the wait for an answer")
    func acknowledgeCancels() throws {
        var driver = try Self.start("call-first")
        let key = try #require(driver.log.first?.effects.notifications.first?.notificationKey)
        let ack = driver.send(.acknowledge(by: "ann"), at: Self.t0.plus(1))
        #expect(ack.cancelled.count == 2)  // the e-mail's wait and the layer's timeout
        #expect(driver.send(.deliveryAnswered(key: key, channel: "phone", answered: false)).notifications.isEmpty)
        driver.run(until: Self.t0.plus(20))
        #expect(Self.times(driver) == ["phone+0s"])
    }

    @Test("after a group, the `unanswered` item follows when each channel failed or went unanswered, and not when one answered")
    func groupAnswers() throws {
        var driver = try Self.start("call-group")
        let key = try #require(driver.log.first?.effects.notifications.first?.notificationKey)
        #expect(driver.send(.deliveryAnswered(key: key, channel: "phone", answered: false), at: Self.t0.plus(1)).notifications.isEmpty)
        let settled = driver.send(.deliveryFailed(key: key, channel: "sms"), at: Self.t0.plus(1))
        #expect(settled.sent == ["ann@email"])

        var answered = try Self.start("call-group")
        let other = try #require(answered.log.first?.effects.notifications.first?.notificationKey)
        _ = answered.send(.deliveryFailed(key: other, channel: "sms"), at: Self.t0.plus(1))
        _ = answered.send(.deliveryAnswered(key: other, channel: "phone", answered: true), at: Self.t0.plus(1))
        answered.run(until: Self.t0.plus(10))
        #expect(Self.times(answered) == ["phone+0s", "sms+0s"])
    }
}
