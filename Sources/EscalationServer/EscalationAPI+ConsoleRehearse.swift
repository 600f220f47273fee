import EscalationGraph
import EscalationSimulator
import Foundation
import HTTPTypes
import Hummingbird

/// The console's rehearse page, `/console/policies/{id}/rehearse`: the form (GET) and a rehearsal or a Monte Carlo run
/// of the signed-in organisation's running policy (POST, with the session's CSRF token). Another organisation's policy
/// is answered as missing; bad input is answered 422 with the form and what to fix.
extension EscalationAPI {
    func addConsoleRehearseRoutes(to router: Router<BasicRequestContext>, console: Console) {
        router.get("/console/policies/:id/rehearse") { request, context in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            let id = try context.parameters.require("id")
            guard let found = await rehearsedPolicy(id, session: session, console: console) else { return policyNotFound(id, session) }
            let (policy, graph) = found
            let rehearsal = ConsoleRehearsal(policy: policy, graph: graph, now: console.now())
            return ConsoleRehearseViews.page(session: session, policy: policy, graph: graph, rehearsal: rehearsal, outcome: .init()).response()
        }
        router.post("/console/policies/:id/rehearse") { request, context in
            let (session, form): (ConsoleSession, ConsoleForm)
            switch try await signedInForm(request, console) {
            case .accepted(let accepted): (session, form) = accepted
            case .refused(let refusal): return refusal
            }
            let id = try context.parameters.require("id")
            guard let found = await rehearsedPolicy(id, session: session, console: console) else { return policyNotFound(id, session) }
            let (policy, graph) = found
            let rehearsal = ConsoleRehearsal(form: form, policy: policy, graph: graph, now: console.now())
            let outcome = await rehearsal.run(policy: policy, graph: graph)
            if outcome.busy {
                return ConsolePage.error(
                    .serviceUnavailable, "Other Monte Carlo rehearsals are running; try again in a moment.", session: session,
                    back: "/console/policies/\(HTMLText.component(policy.id))/rehearse")
            }
            logger.info(
                "console rehearsal",
                metadata: [
                    "organisation": "\(session.organisation)", "policy": "\(policy.id)", "mode": "\(rehearsal.mode?.rawValue ?? "")",
                    "problems": "\(outcome.problems.count)",
                ])
            let page = ConsoleRehearseViews.page(session: session, policy: policy, graph: graph, rehearsal: rehearsal, outcome: outcome)
            return page.response(outcome.problems.isEmpty ? .ok : .unprocessableContent)
        }
    }

    /// The policy and the running graph of the session's organisation; nil when it has no such policy.
    func rehearsedPolicy(_ id: String, session: ConsoleSession, console: Console) async -> (CompiledPolicy, RuleGraph)? {
        guard let graph = await console.policies.graph(session.organisation), let policy = graph.policies.first(where: { $0.id == id }) else {
            return nil
        }
        return (policy, graph)
    }

    func policyNotFound(_ id: String, _ session: ConsoleSession) -> Response {
        ConsolePage.error(.notFound, "Your organisation has no policy '\(id)'.", session: session, back: "/console/policies")
    }
}
