import EscalationCore
import EscalationGraph

/// What a layer's coverage state (`CoverageAnalyzer.state(of:at:)`) reads at an instant: whether each calendar its
/// conditions name is open, and who is on call in each schedule it pages (directly or in a route's row). Field parts
/// are unknown at every instant and condition explanations name no instant, so equal values give an equal state.
struct LayerInputs {
    /// The values at one instant.
    struct Values: Hashable {
        /// Whether each calendar is open (nil: not declared).
        var open: [Bool?]
        /// Who is on call in each schedule (nil: nobody, or not declared).
        var onCall: [String?]
    }

    private let graph: RuleGraph
    private let calendars: [String]
    private let schedules: [String]

    /// The inputs of `layer` in `graph`: its alternatives' conditions, and the schedules of every route variant.
    init(_ layer: LadderLayer, graph: RuleGraph) {
        var calendars: [String] = []
        var schedules: [String] = []
        for choice in layer.choices {
            for id in [choice.condition?.during, choice.condition?.outside].compactMap({ $0 }) where !calendars.contains(id) {
                calendars.append(id)
            }
            for (_, step) in graph.routeVariants(of: choice.step) {
                for target in step.targets + step.cc + step.tasks.compactMap(\.assignee) where target.kind == "schedule" {
                    if !schedules.contains(target.ref) { schedules.append(target.ref) }
                }
            }
        }
        self.graph = graph
        self.calendars = calendars
        self.schedules = schedules
    }

    /// The values at `instant`, read as the condition evaluator and the target resolver read them.
    func values(at instant: Instant) -> Values {
        Values(
            open: calendars.map { graph.calendar($0)?.isOpen(at: instant) },
            onCall: schedules.map { graph.schedule($0)?.onCall(at: instant, calendars: graph.calendars)?.contact })
    }
}
