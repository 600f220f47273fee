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
            guard let start = Self.week(request, now: now, zone: analyzer.zone) else {
                return badWeek(request, session: session, back: "/console/policies/\(HTMLText.component(id))/coverage")
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
            guard let start = Self.week(request, now: now, zone: analyzer.zone) else { return badWeek(request, session: session, back: "/console/on-call") }
            return ConsoleCoverageViews.onCall(
                session: session, schedules: analyzer.onCall(at: now), weeks: graph.schedules.map { analyzer.week($0, from: start) }, start: start,
                now: ZonedTime.display(now, in: analyzer.zone)
            ).response()
        }
    }

    /// The first day of the week asked for (`?week=YYYY-MM-DD`), else the Monday of this week; nil when `week` is
    /// not a date (from 1971 to 2199).
    static func week(_ request: Request, now: Instant, zone: TimeZone) -> LocalDate? {
        guard let text = request.uri.queryParameters["week"].map(String.init), !text.isEmpty else { return monday(of: now, in: zone) }
        guard let date = LocalDate.parse(text), (1971...2199).contains(date.year) else { return nil }
        return date
    }

    /// The 400 page of a `week` that is not a date.
    func badWeek(_ request: Request, session: ConsoleSession, back: String) -> Response {
        let text = request.uri.queryParameters["week"].map(String.init) ?? ""
        return ConsolePage.error(.badRequest, "The week must start on a date written 2026-03-02, not '\(text)'.", session: session, back: back)
    }

    /// The Monday of the local week holding `instant`.
    static func monday(of instant: Instant, in zone: TimeZone) -> LocalDate {
        let local = ZonedTime.local(instant, in: zone)
        return local.date.adding(days: 1 - local.weekday.isoNumber)
    }
}
