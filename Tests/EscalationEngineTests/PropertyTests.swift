import EscalationCore
import EscalationEngine
import EscalationGraph
import Testing

/// Draws for the generated policies and event sequences, from the seeded generator (SplitMix64), so each is
/// reproducible.
extension SplitMix64 {
    /// A number in `range` (modulo bias is irrelevant here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// Random policies and random event sequences; invariants checked on every transition.
@Suite("Engine: properties")
struct PropertyTests {
    static let t0 = instant("2026-03-04T10:00")
    static let people = ["ann", "bob", "cat", "dan", "eve"]
    static let sequencesPerPolicy = 500

    /// A generated policy: 1–4 layers with 1–30m timeouts (or an anchor), optional repeat, reminders, `until`,
    /// scopes, conditions, channel orders (with groups and `unanswered` items), hooks, stages and actions.
    static func policyYAML(seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed)
        var lines = [
            "policies:", "  gen:", "    name: Generated", "    outcomes: [ran, not-run]", "    fields:",
            "      severity: { type: enum, values: [low, high] }",
            "      session.start: { type: time, required: true }",
            "      locations: { type: list }",
        ]
        if rng.chance(40) { lines.append("    resolve_per: locations") }
        if rng.chance(50) { lines.append("    until: [stop]") }
        if rng.chance(50) {
            let after = rng.int(0...10)
            lines.append("    repeat: { times: \(rng.int(1...3))\(after > 0 ? ", after: \(after)m" : "") }")
        }
        if rng.chance(50) {
            lines += [
                "    reminders:", "      every: \(rng.int(5...20))m", "      notify: [{ contact: \(rng.pick(people)) }]",
                "      template: note",
            ]
        }
        lines.append("    layers:")
        let count = rng.int(1...4)
        for index in 1...count {
            let first = rng.pick(people)
            var targets = ["{ contact: \(first) }"]
            if rng.chance(40) { targets.append("{ contact: \(rng.pick(people.filter { $0 != first })) }") }
            lines += ["      - id: l\(index)", "        notify: [\(targets.joined(separator: ", "))]", "        template: page"]
            if rng.chance(30) {
                switch rng.int(0...2) {
                case 0: lines.append("        via: [\(rng.pick(["slack", "email", "phone"])), { channel: email, after: \(rng.int(1...5))m }]")
                case 1: lines.append("        via: [{ all: [slack, sms] }, { channel: email, unanswered: \(rng.int(1...5))m }]")
                default:
                    lines.append(
                        "        via: [phone, { channel: email, unanswered: \(rng.int(1...5))m }, { channel: slack, after: \(rng.int(1...10))m }]")
                }
            }
            if rng.chance(15) { lines.append("        when: { fields: { severity: high } }") }
            if rng.chance(10) { lines.append("        when: { during: office }") }
            if rng.chance(10) { lines.append("        post: [{ channel: banner, template: banner }]") }
            let last = index == count
            switch rng.int(0...9) {
            case 0: lines.append("        at: session.start \(rng.chance(50) ? "+" : "-") \(rng.int(1...30))m")
            case 1 where last: break
            case 2: lines.append("        timeout: \(rng.int(1...30)) business minutes")
            default: lines.append("        timeout: \(rng.int(1...30))m")
            }
        }
        lines += [
            "    stages:",
            "      - { id: open, on: trigger, channel: banner, template: banner, expires: \(rng.int(1...60))m }",
            "      - { id: acked, on: acknowledge, channel: banner, template: banner }",
            "      - { id: done, on: resolve, channel: banner, template: banner, expires: \(rng.int(1...60))m }",
            "    actions:",
            "      - { id: away, channel: pbx, template: away }",
            "    on:",
            "      acknowledge:",
            "        - { notify: [{ contact: \(rng.pick(people)) }], template: note }",
            "      resolve:",
            "        - { notify: [{ contact: dan }], template: note, when: { outcome: ran } }",
            "        - { notify: [{ contact: \(rng.pick(people)) }], template: note }",
            "      signal:",
            "        ping:",
            "          - { notify: [{ contact: \(rng.pick(people)) }], template: note }",
            "        stop:",
            "          - { notify: [{ contact: dan }], template: note }",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// Runs one random event sequence and returns the driver with its log.
    static func randomRun(graph: RuleGraph, seed: UInt64) -> Driver {
        var rng = SplitMix64(seed: seed)
        var driver = Driver(graph, start: t0)
        let locations = ["north", "south", "west"].filter { _ in rng.chance(60) }
        var fields = ["session.start": ZonedTime.iso8601(t0.plus(rng.int(-30...60)), in: ZonedTime.utc)]
        if !locations.isEmpty { fields["locations"] = locations.joined(separator: ", ") }
        if rng.chance(50) { fields["severity"] = rng.pick(["low", "high"]) }
        driver.trigger("gen", fields: fields)
        var keys: [String: String] = [:]  // notification key → last channel used
        var seen = 0
        func collect(_ driver: Driver) {
            for entry in driver.log[seen...] {
                for n in entry.effects.notifications { keys[n.notificationKey] = n.channel }
            }
            seen = driver.log.count
        }
        collect(driver)
        for _ in 0..<rng.int(5...40) {
            if rng.chance(40), driver.nextTimer != nil {
                driver.fireNext()
                collect(driver)
                continue
            }
            let at = driver.now.adding(seconds: rng.int(0...600))
            let event: EngineEvent
            switch rng.int(0...99) {
            case 0..<12: event = .acknowledge(by: rng.pick(people))
            case 12..<20:
                let scope = rng.chance(70) && !locations.isEmpty ? rng.pick(locations + ["east"]) : nil
                event = .resolve(by: rng.pick(people), scope: scope, outcome: rng.pick(["ran", "not-run", nil]))
            case 20..<32: event = .signal(name: rng.pick(["stop", "ping", "other"]), data: rng.chance(30) ? ["severity": "high"] : [:])
            case 32..<42: event = .escalateNow
            case 42..<50: event = .snooze(until: at.adding(seconds: rng.int(-60...1_800)))
            case 50..<56: event = .updateFields(["severity": rng.pick(["low", "high"])])
            case 56..<58: event = .timerFired(id: "inc/t\(rng.int(1...50))")
            default:
                guard !keys.isEmpty else { continue }
                let key = rng.pick(keys.keys.sorted())
                let channel = rng.chance(80) ? keys[key] ?? "slack" : rng.pick(["slack", "sms", "email", "phone"])
                event = rng.chance(50) ? .deliveryFailed(key: key, channel: channel) : .deliveryAnswered(key: key, channel: channel, answered: rng.chance(50))
            }
            driver.send(event, at: at)
            collect(driver)
        }
        for _ in 0..<60 where driver.fireNext() != nil {}
        return driver
    }

    /// Checks the invariants over one run's log; returns the violations found up to the first failing step.
    static func violations(in driver: Driver) -> [String] {
        var problems: [String] = []
        var pending: [String: Instant] = [:]
        var scheduledEver = Set<String>()
        var keys = Set<String>()
        var resolved = false
        var acknowledged = false
        for (step, entry) in driver.log.enumerated() {
            let place = "step \(step) (\(entry.event) at +\(entry.at.seconds(since: t0))s)"
            if case .timerFired(let id) = entry.event { pending[id] = nil }
            for effect in entry.effects {
                switch effect {
                case .notify(let n):
                    if resolved { problems.append("\(place): notify \(n.contact) (\(n.origin)) after resolve") }
                    if acknowledged, n.origin.hasPrefix("layer ") {
                        problems.append("\(place): layer notify \(n.contact) (\(n.origin)) after acknowledge")
                    }
                    if !keys.insert(n.idempotencyKey).inserted { problems.append("\(place): duplicate key \(n.idempotencyKey)") }
                case .post(let p):
                    if !keys.insert(p.idempotencyKey).inserted { problems.append("\(place): duplicate key \(p.idempotencyKey)") }
                case .scheduleTimer(let id, let at):
                    if at < entry.at { problems.append("\(place): timer \(id) scheduled in the past (\(at))") }
                    if !scheduledEver.insert(id).inserted { problems.append("\(place): timer id \(id) reused") }
                    pending[id] = at
                case .cancelTimer(let id):
                    if !scheduledEver.contains(id) { problems.append("\(place): cancel of never-scheduled timer \(id)") }
                    if pending.removeValue(forKey: id) == nil { problems.append("\(place): cancel of timer \(id) that is not pending") }
                default: break
                }
            }
            if let state = entry.state {
                if state.status == .resolved { resolved = true }
                if state.acknowledgedBy != nil { acknowledged = true }
                let engineTimers = Dictionary(state.timers.map { ($0.id, $0.at) }, uniquingKeysWith: { first, _ in first })
                if engineTimers != pending { problems.append("\(place): engine timers \(engineTimers) ≠ scheduled \(pending)") }
            } else if step > 0 || !entry.effects.notifications.isEmpty {
                problems.append("\(place): no state")
            }
            if !problems.isEmpty { break }
        }
        return problems
    }

    @Test("generated policies load and compile", arguments: 0..<6)
    func generatedPoliciesLoad(policy: Int) throws {
        let graph = try Org.graph(Self.policyYAML(seed: UInt64(policy) &* 7_919 &+ 11))
        #expect(graph.policy("gen")?.nodes.isEmpty == false)
    }

    @Test("invariants hold over random event sequences (500 per generated policy)", arguments: 0..<6)
    func invariants(policy: Int) async throws {
        let yaml = Self.policyYAML(seed: UInt64(policy) &* 7_919 &+ 11)
        let graph = try Org.graph(yaml)
        let recompiled = try Org.graph(yaml)
        var notifications = 0
        var resolvedRuns = 0
        var acknowledgedRuns = 0
        for sequence in 0..<Self.sequencesPerPolicy {
            await Task.yield()  // a long test: lets the timing-sensitive tests that share the pool run
            let seed = UInt64(policy) << 32 | UInt64(sequence)
            let driver = Self.randomRun(graph: graph, seed: seed)
            let problems = Self.violations(in: driver)
            if !problems.isEmpty {
                Issue.record("policy \(policy), sequence \(sequence): \(problems.joined(separator: "\n"))\n\(yaml)")
                return
            }
            // The same event sequence always yields the same effects and states.
            var replayState: IncidentState?
            for (step, entry) in driver.log.enumerated() {
                let replay = driver.engine.handle(entry.event, state: replayState, now: entry.at)
                replayState = replay.state
                if replay.effects != entry.effects || replay.state != entry.state {
                    let detail = "\(replay.effects) ≠ \(entry.effects)"
                    Issue.record("policy \(policy), sequence \(sequence), step \(step): replay differs: \(detail)")
                    return
                }
            }
            // And so does a fresh engine over a freshly compiled graph.
            let again = Self.randomRun(graph: recompiled, seed: seed)
            if again.log.map(\.effects) != driver.log.map(\.effects) {
                Issue.record("policy \(policy), sequence \(sequence): a second run differs")
                return
            }
            let effects = driver.allEffects.effects
            notifications += effects.notifications.count
            if driver.state?.status == .resolved { resolvedRuns += 1 }
            if driver.state?.acknowledgedBy != nil { acknowledgedRuns += 1 }
        }
        // The generator exercises the interesting paths.
        #expect(notifications > Self.sequencesPerPolicy)
        #expect(resolvedRuns > 50)
        #expect(acknowledgedRuns > 50)
    }
}
