import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// `on: trigger` steps belong to the incident, not to a layer: they run once when it opens, whichever layer
/// runs first, and are not repeated by a later layer, a repeat pass or a snooze.
@Suite("Engine: on trigger")
struct TriggerHookTests {
    static let policies = """
        policies:
          outage:
            name: Outage
            fields:
              severity: { type: enum, values: [high, low] }
            layers:
              - id: office
                when: { during: office }
                notify: [{ contact: ann }]
                via: [email]
                template: page
                timeout: 10m
              - id: night
                notify: [{ contact: bob }]
                via: [email]
                template: page
            repeat: { times: 1, after: 5m }
            on:
              trigger:
                - tasks: [{ title: Open the incident channel, assignee: { contact: cat } }]
                  post: [{ channel: banner, template: banner }]
                - when: { fields: { severity: high } }
                  notify: [{ contact: dan }]
                  via: [email]
                  template: page
        """

    @Test("the trigger hook's tasks and posts happen once at trigger, before the first layer, in office hours and out")
    func once() throws {
        for start in ["2026-03-09T10:00", "2026-03-09T22:00"] {
            var driver = Driver(try Org.graph(Self.policies), start: instant(start))
            let first = driver.trigger("outage", fields: ["severity": "low"])
            #expect(first.tasks.map(\.title) == ["Open the incident channel"])
            #expect(first.tasks.first?.origin == "on trigger #1")
            #expect(first.posts.map(\.channel) == ["banner"])
            let firstLayer = first.notifications.first
            #expect(firstLayer?.contact == (start.hasSuffix("10:00") ? "ann" : "bob"))
            driver.run(until: instant(start).plus(120))
            #expect(driver.allEffects.effects.tasks.count == 1, "repeat passes must not repeat the trigger hook")
            #expect(driver.allEffects.effects.posts.count == 1)
        }
    }

    @Test("a trigger hook step's condition is checked against the incident's fields")
    func condition() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T22:00"))
        let effects = driver.trigger("outage", fields: ["severity": "high"])
        #expect(effects.notifications.map(\.contact).contains("dan"))
        var quiet = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T22:00"))
        #expect(!quiet.trigger("outage", fields: ["severity": "low"]).notifications.map(\.contact).contains("dan"))
    }
}
