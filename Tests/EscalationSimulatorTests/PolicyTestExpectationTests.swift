import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import Foundation
import Testing

/// The richer policy-test expectations: tasks, cc, subject, message text, refusals; their located read errors.
@Suite("Policy tests: tasks, cc, message text and refusals")
struct PolicyTestExpectationTests {
    static let organisation = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          pat: { name: Pat, addresses: { email: pat@example.org } }
          jessie: { name: Jessie, addresses: { email: jessie@example.org } }
        channels:
          email: { plugin: email }
          board: { plugin: console }
        templates:
          page:
            subject: "Outage at {{ incident.site }}"
            body: |
              Hello {{ recipient.name }},
              The outage at {{ incident.site }} began.
          identified: { body: "Identified; ETA {{ incident.eta }}" }
        policies:
          outage:
            name: Outage
            fields:
              site: { type: string, required: true }
              sites: { type: list }
              eta: { type: string }
            layers:
              - id: first
                notify: [{ contact: pat }]
                via: [email]
                cc: [{ contact: jessie }]
                template: page
                tasks:
                  - title: Check the site
                    assignee: { contact: jessie }
                    per: sites
            stages:
              - id: identified
                on: signal
                signal: identified
                requires: [eta]
                channel: board
                template: identified
        """

    static func graph() throws -> RuleGraph {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: organisation)])
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        return GraphCompiler().compile(loaded.organisation)
    }

    /// Runs one case written as the items of `expect:` (indented by 6), after a fixed incident and script.
    static func run(expect: String, respond: [String] = ["signal identified at +10m"]) throws -> PolicyTestRunner.Result {
        let text = """
            tests:
              - name: case
                policy: outage
                start: 2026-03-04T10:00
                until: 1h
                fields: { site: Sandy, sites: [Sandy, Draper] }
                respond: [\(respond.map { "\"\($0)\"" }.joined(separator: ", "))]
                expect:
            \(expect)
            """
        let file = try PolicyTestFile.parse(text: text, path: "acme/tests/outage.yaml")
        let results = PolicyTestRunner(graph: try graph()).run(file, now: Instant(seconds: 0))
        return try #require(results.first)
    }

    /// Reading a test file whose `expect:` items are `expect` must fail; the error text.
    static func readError(_ expect: String) -> String {
        let text = """
            tests:
              - name: case
                fields: { site: Sandy }
                expect:
            \(expect)
            """
        do {
            _ = try PolicyTestFile.parse(text: text, path: "t.yaml")
            return "(no error)"
        } catch {
            return error.description
        }
    }

    static let notification = "{ at: +0m, to: pat, channel: email, template: page"

    @Test("cc by contact id or address, subject, exact text and contains pass when they hold")
    func messageChecksPass() throws {
        let result = try Self.run(
            expect: """
                      notifications:
                        - \(Self.notification), cc: [jessie], subject: "Outage at Sandy", contains: ["outage at Sandy", "Hello Pat"] }
                      posts:
                        - at: +0m
                          channel: board
                          template: identified
                          text: |
                            Identified; ETA 11:30
                """, respond: ["signal identified eta=11:30 at +0m"])
        #expect(result.passed, "\(result.failures)")
        let byAddress = try Self.run(
            expect: """
                      notifications:
                        - \(Self.notification), cc: jessie@example.org, text: "Hello Pat,\\nThe outage at Sandy began." }
                """)
        #expect(byAddress.passed, "\(byAddress.failures)")
    }

    @Test("a wrong cc, subject, text or fragment fails, located at its key, with what was sent")
    func messageChecksFail() throws {
        let cc = try Self.run(expect: "      notifications:\n        - \(Self.notification), cc: [pat] }")
        #expect(!cc.passed)
        #expect(cc.failures.joined().contains("acme/tests/outage.yaml:10:63: notifications #1"), "\(cc.failures)")
        #expect(cc.failures.joined().contains("cc differs: expected [pat] (pat@example.org), got [jessie@example.org]"), "\(cc.failures)")

        let subject = try Self.run(expect: "      notifications:\n        - \(Self.notification), subject: Outage at Draper }")
        #expect(subject.failures.joined().contains("subject differs:\n  - Outage at Draper\n  + Outage at Sandy"), "\(subject.failures)")

        let text = try Self.run(expect: "      notifications:\n        - \(Self.notification), text: \"Hello Pat,\\nThe outage at Roy began.\" }")
        let textFailure = text.failures.joined()
        #expect(textFailure.contains("text differs (- expected, + actual body):"), "\(textFailure)")
        #expect(textFailure.contains("    Hello Pat,\n  + The outage at Sandy began.\n  - The outage at Roy began."), "\(textFailure)")

        let fragment = try Self.run(expect: "      notifications:\n        - \(Self.notification), contains: [Sandy, Draper] }")
        #expect(fragment.failures.count == 1)
        #expect(fragment.failures.joined().contains("the body does not contain \"Draper\""), "\(fragment.failures)")
        #expect(fragment.failures.joined().contains("    | The outage at Sandy began."), "\(fragment.failures)")
        #expect(fragment.failures.joined().contains("notifications #1 (at +0m to pat via email [page])"), "\(fragment.failures)")
    }

    @Test("message checks are not made while the deliveries themselves differ; the list diff is shown instead")
    func deliveryDiffFirst() throws {
        let result = try Self.run(expect: "      notifications:\n        - { at: +5m, to: pat, channel: email, template: page, cc: [pat] }")
        let text = result.failures.joined(separator: "\n")
        #expect(text.contains("notifications differ (- expected, + actual):\n  + at +0m to pat via email [page]\n  - at +5m to pat via email [page]"), "\(text)")
        #expect(!text.contains("cc differs"))
        #expect(text.hasPrefix("acme/tests/outage.yaml:9:7: "), "\(text)")
    }

    @Test("tasks: title and assignees in time order pass; a missing or different task fails with a diff")
    func tasks() throws {
        let pass = try Self.run(
            expect: """
                      tasks:
                        - { at: +0m, title: Check the site (Sandy), assignees: [jessie] }
                        - { at: +0m, title: Check the site (Draper) }
                """)
        #expect(pass.passed, "\(pass.failures)")

        let wrong = try Self.run(
            expect: """
                      tasks:
                        - { at: +0m, title: Check the site (Sandy), assignees: [pat] }
                """)
        let text = wrong.failures.joined(separator: "\n")
        #expect(!wrong.passed)
        #expect(text.contains("acme/tests/outage.yaml:9:7: tasks differ (- expected, + actual):"), "\(text)")
        #expect(text.contains("  - at +0m task 'Check the site (Sandy)' for pat"), "\(text)")
        #expect(text.contains("  + at +0m task 'Check the site (Sandy)' for jessie"), "\(text)")
        #expect(text.contains("  + at +0m task 'Check the site (Draper)' for jessie"), "\(text)")

        let none = try Self.run(expect: "      tasks: []")
        #expect(!none.passed)
    }

    @Test("refusals: a signal without its required field is expected; an unexpected one fails only when refusals are listed")
    func refusals() throws {
        let pass = try Self.run(expect: "      refusals:\n        - { at: +10m, contains: [identified, \"'eta'\"] }\n      posts: []")
        #expect(pass.passed, "\(pass.failures)")

        let unchecked = try Self.run(expect: "      posts: []")
        #expect(unchecked.passed, "\(unchecked.failures)")

        let unexpected = try Self.run(expect: "      refusals: []")
        let text = unexpected.failures.joined(separator: "\n")
        #expect(!unexpected.passed)
        #expect(text.contains("refusals differ (- expected, + actual):\n  + at +10m refused: signal 'identified' needs field 'eta'"), "\(text)")

        let wrongTime = try Self.run(expect: "      refusals:\n        - { at: +5m, contains: eta }")
        #expect(wrongTime.failures.joined().contains("  - at +5m refused containing \"eta\""), "\(wrongTime.failures)")

        let missing = try Self.run(expect: "      refusals:\n        - { at: +10m }", respond: ["signal identified eta=11:30 at +10m"])
        #expect(!missing.passed)
        #expect(missing.failures.joined().contains("  - at +10m refused"), "\(missing.failures)")
    }

    @Test("unknown keys in expect and in its items are located errors with a hint")
    func unknownKeys() {
        let item = Self.readError("      notifications:\n        - { at: +0m, to: pat, tex: Hello }")
        #expect(item.hasPrefix("t.yaml:6:31: unknown key 'tex' in an expected notification (did you mean 'text'?)"), "\(item)")
        let post = Self.readError("      posts:\n        - { at: +0m, to: pat }")
        #expect(post.contains("t.yaml:6:22: unknown key 'to' in an expected post"), "\(post)")
        let task = Self.readError("      task: []")
        #expect(task.hasPrefix("t.yaml:5:7: unknown key 'task' in expect (did you mean 'tasks'?)"), "\(task)")
        let refusal = Self.readError("      refusals:\n        - { at: +1m, contain: eta }")
        #expect(refusal.contains("(did you mean 'contains'?)"), "\(refusal)")
        let noAt = Self.readError("      tasks:\n        - { title: x }")
        #expect(noAt.hasPrefix("t.yaml:6:11: each expected task needs 'at'"), "\(noAt)")
        let cc = Self.readError("      notifications:\n        - { at: +0m, cc: { a: b } }")
        #expect(cc.contains("'cc' must be text or a list of texts"), "\(cc)")
    }

    @Test("an unreadable expected time is reported at its item")
    func unreadableTime() throws {
        let result = try Self.run(expect: "      tasks:\n        - { at: soon, title: x }")
        #expect(result.failures.joined().hasPrefix("acme/tests/outage.yaml:10:11: tasks: cannot read the expected time 'soon'"), "\(result.failures)")
    }
}

/// What a case cannot script: events for a second incident.
@Suite("Policy tests: one incident per case")
struct OneIncidentPerCaseTests {
    @Test("a second trigger in respond is refused with a pointer to another case")
    func secondTrigger() throws {
        for line in ["trigger at +1h", "monitoring triggers at +1h"] {
            #expect(throws: ScriptParser.ParseError.self) { try ScriptParser.action(line, zone: ZonedTime.utc) }
            do {
                _ = try ScriptParser.action(line, zone: ZonedTime.utc)
            } catch {
                #expect(error.description.contains("a second trigger cannot be scripted; write it as another case"), "\(error)")
            }
        }
    }

    @Test("acks, updates, signals, snoozes, escalate and resolves at given instants mix in one case")
    func severalEvents() throws {
        let result = try PolicyTestExpectationTests.run(
            expect: """
                      tasks:
                        - { at: +0m, title: Check the site (Sandy) }
                        - { at: +0m, title: Check the site (Draper) }
                      refusals:
                        - { at: +5m, contains: eta }
                      posts:
                        - { at: +20m, channel: board, template: identified, text: "Identified; ETA 12:00" }
                      status: resolved
                """,
            respond: [
                "signal identified at +5m", "update eta=11:00 at +10m", "pat snoozes for 5m at +12m", "escalate at +15m",
                "signal identified eta=12:00 at +20m", "pat acks at +25m", "pat resolves at 2026-03-04T10:40",
            ])
        #expect(result.passed, "\(result.failures)")
    }
}
