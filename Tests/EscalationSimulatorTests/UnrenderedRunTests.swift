import EscalationCore
import Testing

@testable import EscalationSimulator

/// Monte Carlo runs without rendering messages; rendering is pure, so a run is otherwise the same.
@Suite struct UnrenderedRunTests {
    @Test("without messages, a seed's timeline has the same entries but for their subjects and bodies")
    func sameRunWithoutMessages() throws {
        let graph = try SeedRepository.graph("policies/hubbard-swim")
        let scenario = try SeedRepository.scenario("examples/icp-outage-and-restore.yaml", graph: graph)
        let rendered = try Simulator(graph: graph, rendersMessages: true).run(scenario)
        let bare = try Simulator(graph: graph, rendersMessages: false).run(scenario)
        #expect(rendered.entries.contains { !($0.body ?? "").isEmpty }, "the seed renders messages at all")
        #expect(bare.entries.allSatisfy { ($0.body ?? "").isEmpty })
        func withoutMessage(_ entry: Timeline.Entry) -> Timeline.Entry {
            var entry = entry
            entry.subject = nil
            entry.body = entry.body.map { _ in "" }
            return entry
        }
        #expect(rendered.entries.map(withoutMessage) == bare.entries.map(withoutMessage))
        #expect(rendered.acknowledgedAfter == bare.acknowledgedAfter && rendered.acknowledgedBy == bare.acknowledgedBy)
    }
}
