import EscalationAnalysis
import EscalationCore
import EscalationGraph
import Foundation
import Hummingbird

/// The console's coverage routes: `/console/policies/{id}/coverage[?week=YYYY-MM-DD]` (a week grid from
/// `CoverageAnalyzer`, the analysis of `escalate coverage`; by default the current week, Monday first, in the
/// organisation's zone by the console's clock) and `/console/on-call` (who each schedule resolves to now).
extension EscalationAPI {
    func addConsoleCoverageRoutes(to router: Router<BasicRequestContext>, console: Console) {
        router.get("/console/policies/:id/coverage") { request, context in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            let id = try context.parameters.require("id")
            guard let graph = await console.policies.graph(session.organisation), let policy = graph.policy(id) else {
                return ConsolePage.error(.notFound, "Your organisation has no policy '\(id)'.", session: session, back: "/console/policies")
            }
            let analyzer = CoverageAnalyzer(graph: graph)
            let now = Self.consoleInstant(console)
            let start: LocalDate
            if let text = request.uri.queryParameters["week"].map(String.init), !text.isEmpty {
                guard let date = LocalDate.parse(text), (1971...2199).contains(date.year) else {
                    return ConsolePage.error(
                        .badRequest, "The week must start on a date written 2026-03-02, not '\(text)'.", session: session,
                        back: "/console/policies/\(HTMLText.component(id))/coverage")
                }
                start = date
            } else {
                start = Self.monday(of: now, in: analyzer.zone)
            }
            return ConsoleCoverageViews.coverage(
                session: session, policy: policy, week: analyzer.week(policy, from: start),
                onCall: analyzer.onCall(at: now, schedules: analyzer.schedules(of: policy)), now: ZonedTime.display(now, in: analyzer.zone)
            ).response()
        }
        router.get("/console/on-call") { request, _ in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            guard let graph = await console.policies.graph(session.organisation) else {
                return ConsolePage.error(.notFound, "Your organisation has no policies on this server.", session: session)
            }
            let analyzer = CoverageAnalyzer(graph: graph)
            let now = Self.consoleInstant(console)
            return ConsoleCoverageViews.onCall(session: session, schedules: analyzer.onCall(at: now), now: ZonedTime.display(now, in: analyzer.zone))
                .response()
        }
    }

    /// The Monday of the local week holding `instant`.
    static func monday(of instant: Instant, in zone: TimeZone) -> LocalDate {
        let local = ZonedTime.local(instant, in: zone)
        return local.date.adding(days: 1 - local.weekday.isoNumber)
    }
}
