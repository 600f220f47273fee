import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// `choose` (one layer, the first alternative whose `when` holds) and `route` targets (a field's value picks whom).
@Suite("Engine: choose and routes")
struct ChooseRouteTests {
    static let policies = """
        routes:
          by-region:
            by: region
            to:
              us: { contact: ann }
              eu: [{ contact: bob }, { contact: cat }]
            default: { contact: dan }
          strict:
            by: region
            to:
              us: { contact: ann }
        policies:
          outage:
            name: Outage
            fields:
              region: { type: string }
            layers:
              - id: first
                timeout: 10m
                tasks: [{ title: Open a ticket, assignee: { contact: cat } }]
                choose:
                  - name: desk in office hours
                    when: { during: office, fields: { region: us } }
                    notify: [{ contact: ann }]
                    via: [email]
                    template: page
                  - name: office hours elsewhere
                    when: { during: office }
                    notify: [{ route: by-region }]
                    via: [email]
                    template: page
                  - name: night
                    notify: [{ contact: eve }]
                    via: [email]
                    template: page
              - id: second
                notify: [{ route: strict }]
                via: [email]
                template: page
          optional:
            name: Optional
            layers:
              - id: only-office
                timeout: 5m
                choose:
                  - when: { during: office }
                    notify: [{ contact: ann }]
                    via: [email]
                    template: page
              - id: after
                notify: [{ contact: bob }]
                via: [email]
                template: page
        """

    @Test("the first alternative that holds runs, with the layer's shared task, once per layer")
    func firstThatHolds() throws {
        let graph = try Org.graph(Self.policies)
        var us = Driver(graph, start: instant("2026-03-09T10:00"))
        let desk = us.trigger("outage", fields: ["region": "us"])
        #expect(desk.sent == ["ann@email"])
        #expect(desk.tasks.map(\.title) == ["Open a ticket"])
        #expect(desk.notifications.first?.reason == "layer 'first' started: desk in office hours")
        var eu = Driver(graph, start: instant("2026-03-09T10:00"))
        let elsewhere = eu.trigger("outage", fields: ["region": "eu"])
        #expect(elsewhere.sent == ["bob@email", "cat@email"])
        #expect(elsewhere.records.contains { $0.contains("does not hold; trying the next alternative") })
        #expect(elsewhere.tasks.count == 1)
        var night = Driver(graph, start: instant("2026-03-09T22:00"))
        #expect(night.trigger("outage", fields: ["region": "us"]).sent == ["eve@email"])
        // One timer for the layer, whichever alternative ran: the second layer 10 minutes later.
        #expect(night.run(until: instant("2026-03-09T22:10")).effects.sent == ["ann@email"])
    }

    @Test("layer.name renders the alternative that ran")
    func layerName() throws {
        let yaml = Self.policies.replacingOccurrences(of: "template: page", with: "template: named")
            .replacingOccurrences(of: "routes:", with: "templates:\n  named: { body: \"{{ layer.name }}\" }\nroutes:")
        var driver = Driver(try Org.graph(yaml), start: instant("2026-03-09T22:00"))
        #expect(driver.trigger("outage", fields: ["region": "us"]).notifications.first?.message.body == "night")
    }

    @Test("a route picks its row by the field, else the default; without a default a value without a row reaches nobody")
    func routeRows() throws {
        let graph = try Org.graph(Self.policies)
        var other = Driver(graph, start: instant("2026-03-09T10:00"))
        #expect(other.trigger("outage", fields: ["region": "apac"]).sent == ["dan@email"])
        let second = other.run(until: instant("2026-03-09T10:10")).effects
        #expect(second.sent.isEmpty)
        #expect(second.records.contains { $0.contains("reaches nobody (route:strict)") }, "\(second.records)")
        var missing = Driver(graph, start: instant("2026-03-09T10:00"))
        #expect(missing.trigger("outage").sent == ["dan@email"], "no value: the default row")
    }

    @Test("a field update changes the row for later layers")
    func updateChangesRow() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T22:00"))
        _ = driver.trigger("outage", fields: ["region": "eu"])
        _ = driver.send(.updateFields(["region": "us"]), at: instant("2026-03-09T22:05"))
        #expect(driver.run(until: instant("2026-03-09T22:10")).effects.sent == ["ann@email"])
    }

    @Test("when no alternative holds, the layer is skipped and the next starts at once")
    func noneHolds() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T22:00"))
        let effects = driver.trigger("optional")
        #expect(effects.sent == ["bob@email"])
        #expect(effects.records.contains("layer 'only-office' skipped: during office does not hold"), "\(effects.records)")
    }

    @Test("after a snooze a layer that chooses chooses again, as it would start then")
    func snoozeChoosesAgain() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T16:55"))
        #expect(driver.trigger("outage", fields: ["region": "us"]).sent == ["ann@email"])
        _ = driver.send(.snooze(until: instant("2026-03-09T17:30")), at: instant("2026-03-09T16:58"))
        let wake = driver.run(until: instant("2026-03-09T17:30")).effects
        #expect(wake.sent == ["eve@email"], "outside office hours now: the night alternative")
    }
}

/// `on: scope_resolved` runs when one `resolve_per` item resolves while others stay open, never for the last.
@Suite("Engine: per-scope hooks")
struct ScopeHookTests {
    static let policies = """
        templates:
          scoped: { body: "{{ incident.resolved_scope }} done; open: {{ incident.open_scopes }}" }
        policies:
          outage:
            name: Outage
            fields:
              sites: { type: list, required: true }
            resolve_per: sites
            layers:
              - { id: first, notify: [{ contact: ann }], via: [email], template: page, timeout: 10m }
              - { id: second, notify: [{ contact: bob }], via: [email], template: page }
            on:
              scope_resolved:
                - notify: [{ contact: cat }]
                  via: [email]
                  template: scoped
              resolve:
                - notify: [{ contact: dan }]
                  via: [email]
                  template: page
        """

    @Test("each item but the last runs the hook, with the item and those still open; the last runs on resolve")
    func scopes() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:00"))
        _ = driver.trigger("outage", fields: ["sites": "Roy, Ogden, Provo"])
        let roy = driver.send(.resolve(by: "ann", scope: "Roy", outcome: nil), at: instant("2026-03-09T10:02"))
        #expect(roy.sent == ["cat@email"])
        #expect(roy.notifications.first?.message.body == "Roy done; open: Ogden, Provo")
        #expect(driver.run(until: instant("2026-03-09T10:10")).effects.sent == ["bob@email"], "the ladder goes on")
        #expect(driver.send(.resolve(by: "ann", scope: "Ogden", outcome: nil), at: instant("2026-03-09T10:11")).sent == ["cat@email"])
        let last = driver.send(.resolve(by: "ann", scope: "Provo", outcome: nil), at: instant("2026-03-09T10:12"))
        #expect(last.sent == ["dan@email"], "the last item resolves the incident: on resolve, not scope_resolved")
    }
}

/// Reports (`correlate`): list fields grow by the new items only; `on: report` tasks per new item; resolved takes none.
@Suite("Engine: reports")
struct ReportTests {
    static let policies = """
        templates:
          linked: { body: "{{ incident.tickets }} ({{ incident.reports }})" }
        policies:
          correlated:
            name: Correlated
            fields:
              tickets: { type: list }
            correlate: { append: [tickets] }
            layers:
              - { id: first, notify: [{ contact: ann }], via: [email], template: page, timeout: 10m }
              - { id: second, notify: [{ contact: bob }], via: [email], template: page }
            on:
              report:
                - notify: [{ contact: cat }]
                  via: [email]
                  template: linked
                  tasks: [{ title: Link, assignee: { contact: cat }, per: tickets }]
          plain:
            name: Plain
            layers:
              - { id: first, notify: [{ contact: ann }], via: [email], template: page }
        """

    @Test("a report appends new items, makes tasks for them only, runs on-report steps and leaves the ladder alone")
    func appends() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:00"))
        _ = driver.trigger("correlated", fields: ["tickets": "T-1"])
        let report = driver.send(.report(fields: ["tickets": "T-2, T-1, T-3"]), at: instant("2026-03-09T10:03"))
        #expect(driver.state?.fields["tickets"] == "T-1, T-2, T-3")
        #expect(report.tasks.map(\.title) == ["Link (T-2)", "Link (T-3)"])
        #expect(report.notifications.map(\.message.body) == ["T-1, T-2, T-3 (2)"])
        #expect(report.records.contains("report 2: tickets + T-2, T-3"))
        let again = driver.send(.report(fields: ["tickets": "T-3"]), at: instant("2026-03-09T10:04"))
        #expect(again.tasks.isEmpty, "nothing new: no task")
        #expect(again.records.contains("report 3 (nothing new)"))
        #expect(driver.run(until: instant("2026-03-09T10:10")).effects.sent == ["bob@email"], "the ladder's timer is untouched")
        _ = driver.send(.resolve(by: "ann", scope: nil, outcome: nil), at: instant("2026-03-09T10:11"))
        #expect(driver.send(.report(fields: ["tickets": "T-9"]), at: instant("2026-03-09T10:12")).records == ["report ignored: the incident is resolved"])
    }

    @Test("a policy that does not correlate takes a report as a duplicate")
    func duplicate() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:00"))
        _ = driver.trigger("plain")
        let report = driver.send(.report(fields: [:]), at: instant("2026-03-09T10:01"))
        #expect(report.notifications.isEmpty && report.tasks.isEmpty)
        #expect(report.records == ["report 2 deduplicated: the policy does not correlate"])
    }
}

/// Named watchdogs: each restarted only by its own events, cancelled by resolve, not by acknowledge.
@Suite("Engine: watchdogs")
struct WatchdogTests {
    static let policies = """
        policies:
          watched:
            name: Watched
            layers:
              - { id: first, notify: [{ contact: ann }], via: [email], template: page }
            watchdogs:
              - { id: it, every: 15m, reset_on: [it-update], notify: [{ contact: bob }], via: [email], template: page }
              - { id: reporter, every: 15m, reset_on: [reporter-update, update], notify: [{ contact: cat }], via: [email], template: page }
        """

    @Test("each party's events quiet only its own watchdog; acknowledge leaves them; resolve stops them")
    func parties() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:00"))
        _ = driver.trigger("watched")
        _ = driver.send(.acknowledge(by: "ann"), at: instant("2026-03-09T10:01"))
        _ = driver.send(.signal(name: "it-update", data: [:]), at: instant("2026-03-09T10:10"))
        let first = driver.run(until: instant("2026-03-09T10:15")).effects
        #expect(first.sent == ["cat@email"], "the reporter said nothing for 15m; IT spoke at 10:10")
        #expect(first.notifications.first?.origin == "watchdog reporter")
        _ = driver.send(.updateFields(["note": "x"]), at: instant("2026-03-09T10:20"))
        #expect(driver.run(until: instant("2026-03-09T10:25")).effects.sent == ["bob@email"])
        #expect(driver.run(until: instant("2026-03-09T10:35")).effects.sent == ["cat@email"], "the update at 10:20 restarted the reporter's")
        _ = driver.send(.resolve(by: "ann", scope: nil, outcome: nil), at: instant("2026-03-09T10:36"))
        #expect(driver.run(until: instant("2026-03-09T12:00")).effects.notifications.isEmpty)
    }
}

/// `when: { seen: … }`: steps that run only after a signal arrived or a stage was posted; per-item route assignees.
@Suite("Engine: seen conditions and per-item assignees")
struct SeenAndPerItemTests {
    static let policies = """
        routes:
          site-lead:
            by: sites
            to:
              Roy: { contact: ann }
              Ogden: { contact: bob }
            default: { contact: cat }
        policies:
          outage:
            name: Outage
            fields:
              sites: { type: list, required: true }
            layers:
              - id: first
                notify: [{ contact: ann }]
                via: [email]
                template: page
                tasks: [{ title: Confirm, assignee: { route: site-lead }, per: sites }]
            stages:
              - { id: posted, on: signal, signal: confirmed, channel: banner, template: banner }
            on:
              resolve:
                - when: { seen: [posted] }
                  post: [{ channel: banner, template: banner }]
                - when: { seen: [customer-replied] }
                  notify: [{ contact: dan }]
                  via: [email]
                  template: page
        """

    @Test("a resolve step runs only when its stage was posted or its signal was seen")
    func seen() throws {
        let graph = try Org.graph(Self.policies)
        var quiet = Driver(graph, start: instant("2026-03-09T10:00"))
        _ = quiet.trigger("outage", fields: ["sites": "Roy"])
        let nothing = quiet.send(.resolve(by: "ann", scope: nil, outcome: nil), at: instant("2026-03-09T10:05"))
        #expect(nothing.posts.isEmpty && nothing.notifications.isEmpty)
        var posted = Driver(graph, start: instant("2026-03-09T10:00"))
        _ = posted.trigger("outage", fields: ["sites": "Roy"])
        _ = posted.send(.signal(name: "confirmed", data: [:]), at: instant("2026-03-09T10:01"))
        _ = posted.send(.signal(name: "customer-replied", data: [:]), at: instant("2026-03-09T10:02"))
        let both = posted.send(.resolve(by: "ann", scope: nil, outcome: nil), at: instant("2026-03-09T10:05"))
        #expect(both.posts.map(\.channel) == ["banner"])
        #expect(both.sent == ["dan@email"])
    }

    @Test("a per task assigned through a route by its own list field goes to each item's row")
    func perItem() throws {
        var driver = Driver(try Org.graph(Self.policies), start: instant("2026-03-09T10:00"))
        let tasks = driver.trigger("outage", fields: ["sites": "Roy, Ogden, Provo"]).tasks
        #expect(tasks.map(\.title) == ["Confirm (Roy)", "Confirm (Ogden)", "Confirm (Provo)"])
        #expect(tasks.map(\.assignees) == [["ann"], ["bob"], ["cat"]])
    }
}

/// A post's or stage's channel picked by a field's value (`channel: { route: R }` with channel rows).
@Suite("Engine: channels by route")
struct ChannelRouteTests {
    static let policies = """
        channels:
          banner-eu: { plugin: statuspage }
        routes:
          status-page:
            by: region
            to:
              us: { channel: banner }
              eu: { channel: banner-eu }
        policies:
          outage:
            name: Outage
            fields:
              region: { type: enum, values: [us, eu, apac] }
            layers:
              - id: first
                notify: [{ contact: ann }]
                via: [email]
                template: page
                post: [{ channel: { route: status-page }, template: banner }]
            stages:
              - { id: resolved, on: resolve, channel: { route: status-page }, template: banner, expires: 1h }
        """

    @Test("the post and the stage go to the region's channel; a value without a row posts nothing and says why")
    func picked() throws {
        let graph = try Org.graph(Self.policies)
        var eu = Driver(graph, start: instant("2026-03-09T10:00"))
        #expect(eu.trigger("outage", fields: ["region": "eu"]).posts.map(\.channel) == ["banner-eu"])
        let resolved = eu.send(.resolve(by: "ann", scope: nil, outcome: nil), at: instant("2026-03-09T10:05"))
        #expect(resolved.stages.map(\.channel) == ["banner-eu"])
        #expect(eu.run(until: instant("2026-03-09T11:05")).effects.expired == ["resolved"])
        var apac = Driver(graph, start: instant("2026-03-09T10:00"))
        let none = apac.trigger("outage", fields: ["region": "apac"])
        #expect(none.posts.isEmpty)
        #expect(none.records.contains { $0.contains("skipped: route 'status-page' has no channel for region = 'apac'") }, "\(none.records)")
    }
}
