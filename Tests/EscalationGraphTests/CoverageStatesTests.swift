@testable import EscalationAnalysis
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import Testing

/// Coverage evaluates each layer only at its own change points and keeps its state in between. This pins that the
/// result is what evaluating every layer at every change point of the ladder gives (the computation it replaced),
/// on the seed organisations and on random calendars, rotations, overrides and ladders.
@Suite("Coverage states")
struct CoverageStatesTests {
    /// Every layer evaluated at every change point: the reference.
    static func reference(_ analyzer: CoverageAnalyzer, _ ladder: [LadderLayer], _ points: [Instant]) -> [[String?]] {
        ladder.map { layer in points.map { analyzer.state(of: layer, at: $0) } }
    }

    static func expectSameStates(_ graph: RuleGraph, from start: Instant, days: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let analyzer = CoverageAnalyzer(graph: graph)
        let span = analyzer.range(from: start, days: days)
        for policy in graph.policies {
            let ladder = policy.ladder
            var memo = ChangePointMemo()
            let points = analyzer.changePoints(for: ladder, in: span, memo: &memo)
            #expect(points == analyzer.changePoints(for: ladder, in: span), "\(policy.id): memoised change points", sourceLocation: sourceLocation)
            let states = analyzer.states(of: ladder, at: points, in: span, memo: &memo)
            #expect(states == reference(analyzer, ladder, points), "\(graph.organisation)/\(policy.id) from \(start)", sourceLocation: sourceLocation)
        }
    }

    @Test("the seed organisations: the same states from 12 starts across 2026 (DST changes included)")
    func seeds() throws {
        for organisation in SeedPolicies.organisations {
            let graph = try SeedPolicies.graph(organisation)
            for month in 1...12 {
                let start = ZonedTime.instant(LocalDate(year: 2026, month: month, day: 1 + month), minutes: 37 * month, in: ZonedTime.utc)
                Self.expectSameStates(graph, from: start, days: 28)
            }
        }
    }

    @Test("a resolver that leaves channels out reaches the same contacts, with the same problems")
    func withoutChannels() throws {
        var rng = CoverageRandom(seed: 0x5EED)
        var graphs = try SeedPolicies.organisations.map { try SeedPolicies.graph($0) }
        for _ in 0..<50 {
            graphs.append(GraphCompiler().compile(PolicyLoader().load(files: [(path: "random.yaml", text: Self.organisation(&rng))]).organisation))
        }
        for graph in graphs {
            let full = TargetResolver(graph: graph)
            let light = TargetResolver(graph: graph, resolvesChannels: false)
            for policy in graph.policies {
                for choice in policy.ladder.flatMap(\.choices) {
                    for (_, step) in graph.routeVariants(of: choice.step) {
                        for _ in 0..<8 {
                            let instant = ZonedTime.instant(LocalDate(year: 2026, month: 1 + rng.below(12), day: 1 + rng.below(28)), minutes: rng.below(1_440), in: ZonedTime.utc)
                            let a = full.resolve(step, at: instant, fields: nil)
                            let b = light.resolve(step, at: instant, fields: nil)
                            #expect(a.reachesAnyone == b.reachesAnyone)
                            let targets = zip(a.notify + a.cc + a.assignees, b.notify + b.cc + b.assignees)
                            for (x, y) in targets {
                                #expect(x.problem == y.problem)
                                #expect(x.pendingField == y.pendingField)
                                #expect(x.recipients.map(\.contact) == y.recipients.map(\.contact))
                                #expect(x.recipients.map(\.reason) == y.recipients.map(\.reason))
                                #expect(x.recipients.map(\.channelSource) == y.recipients.map(\.channelSource))
                                #expect(y.recipients.allSatisfy { $0.channels.isEmpty && $0.droppedChannels.isEmpty })
                            }
                        }
                    }
                }
            }
        }
    }

    @Test("200 random organisations: the same states")
    func random() throws {
        var rng = CoverageRandom(seed: 0xC0FE_2026)
        for _ in 0..<200 {
            let text = Self.organisation(&rng)
            let loaded = PolicyLoader().load(files: [(path: "random.yaml", text: text)])
            #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics)\n\(text)")
            let graph = GraphCompiler().compile(loaded.organisation)
            let start = ZonedTime.instant(LocalDate(year: 2026, month: 1 + rng.below(12), day: 1 + rng.below(28)), minutes: rng.below(1_440), in: ZonedTime.utc)
            Self.expectSameStates(graph, from: start, days: 7 + rng.below(22))
        }
    }

    /// A random organisation: 2-3 calendars, 3 schedules (some restricted by a calendar, some with overrides, shifts
    /// from 8 hours to 2 weeks), 4 contacts in a group, and 3 policies of 1-4 layers mixing conditions and targets.
    static func organisation(_ rng: inout CoverageRandom) -> String {
        let zones = ["UTC", "America/Chicago", "Europe/London", "Australia/Sydney"]
        let zone = zones[rng.below(zones.count)]
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        func time(_ minutes: Int) -> String { "\"\(String(minutes / 60).leftPadded(2)):\(String(minutes % 60).leftPadded(2))\"" }
        var text = "organisation:\n  id: random\n  name: Random\n  timezone: \(zone)\n  calendars:\n"
        let calendars = ["office", "evenings", "weekend"].prefix(2 + rng.below(2))
        for id in calendars {
            text += "    \(id):\n      hours:\n"
            for _ in 0..<(1 + rng.below(2)) {
                let chosen = days.filter { _ in rng.below(3) > 0 }
                let from = rng.below(48) * 30
                let to = min(1_440, from + 30 * (1 + rng.below(30)))
                text += "        - { days: [\((chosen.isEmpty ? ["mon"] : chosen).joined(separator: ", "))], from: \(time(from)), to: \(to == 1_440 ? "\"24:00\"" : time(to)) }\n"
            }
            if rng.below(2) == 0 { text += "      holidays: [2026-\(String(1 + rng.below(12)).leftPadded(2))-\(String(1 + rng.below(28)).leftPadded(2))]\n" }
        }
        let contacts = ["alice", "bob", "carol", "dave"]
        text += "contacts:\n"
        for id in contacts { text += "  \(id): { name: \(id.capitalized), addresses: { email: \(id)@example.org } }\n" }
        text += "groups:\n  team: { name: Team, members: [\(contacts.joined(separator: ", "))] }\n"
        text += "channels:\n  email: { plugin: email, settings: { host: smtp.example.org, password: \"${env:SMTP_PASSWORD}\" } }\n"
        text += "templates:\n  page: { subject: \"Incident\", body: \"{{ incident.title }}\" }\n"
        text += "schedules:\n"
        let shifts = ["8h", "12h", "1d", "3d", "1w", "2w"]
        for number in 1...3 {
            text += "  rota-\(number):\n    name: Rota \(number)\n    rotation:\n"
            text += "      members: [\(contacts.shuffled(using: &rng).prefix(1 + rng.below(3)).joined(separator: ", "))]\n"
            text += "      shift: \(shifts[rng.below(shifts.count)])\n"
            text += "      start: 2026-\(String(1 + rng.below(12)).leftPadded(2))-\(String(1 + rng.below(28)).leftPadded(2))T\(String(rng.below(24)).leftPadded(2)):00\n"
            if rng.below(2) == 0 { text += "      during: \(calendars[calendars.startIndex + rng.below(calendars.count)])\n" }
            if rng.below(2) == 0 {
                text += "    overrides:\n"
                for _ in 0..<(1 + rng.below(3)) {
                    let month = 1 + rng.below(12)
                    let day = 1 + rng.below(26)
                    text += "      - contact: \(contacts[rng.below(contacts.count)])\n"
                    text += "        from: 2026-\(String(month).leftPadded(2))-\(String(day).leftPadded(2))T\(String(rng.below(24)).leftPadded(2)):00\n"
                    text += "        to: 2026-\(String(month).leftPadded(2))-\(String(day + 1 + rng.below(2)).leftPadded(2))T\(String(rng.below(24)).leftPadded(2)):00\n"
                }
            }
        }
        text += "policies:\n"
        for number in 1...3 {
            text += "  policy-\(number):\n    name: Policy \(number)\n    layers:\n"
            let count = 1 + rng.below(4)
            for layer in 1...count {
                text += "      - id: layer-\(layer)\n"
                switch rng.below(4) {
                case 0: text += "        when: { during: \(calendars[calendars.startIndex + rng.below(calendars.count)]) }\n"
                case 1: text += "        when: { outside: \(calendars[calendars.startIndex + rng.below(calendars.count)]) }\n"
                default: break
                }
                let targets = ["{ schedule: rota-\(1 + rng.below(3)) }", "{ schedule: rota-\(1 + rng.below(3)) }", "{ group: team }", "{ contact: \(contacts[rng.below(4)]) }"]
                text += "        notify: [\(targets[rng.below(targets.count)])]\n        via: [email]\n        template: page\n"
                if layer < count { text += "        timeout: 15m\n" }
            }
        }
        return text
    }
}
