import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationSimulator
import EscalationStore
import Foundation

/// The console's pages as HTML: every value from a policy, an incident or a request goes through `HTMLText`
/// interpolation, so it is escaped.
enum ConsoleViews {
    /// The sign-in form; `csrf` is the value of the sign-in cookie, `problem` what was wrong with the last try.
    static func signIn(csrf: String, problem: String?) -> ConsolePage {
        let alert: HTMLText = problem.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        return ConsolePage(
            title: "Sign in", session: nil,
            content: """
                <section class="card signin" aria-labelledby="sign-in-heading">
                <h1 id="sign-in-heading">Sign in</h1>
                \(alert)
                <form method="post" action="/console/sign-in">
                <input type="hidden" name="csrf" value="\(csrf)">
                <label for="token">Organisation token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required>
                <p class="hint">The bearer token your organisation uses with the API (escalate serve --tokens).</p>
                <label for="name">Your name</label>
                <input id="name" name="name" type="text" autocomplete="name" maxlength="80">
                <p class="hint">Shown in the timeline as who acknowledged or resolved.</p>
                <p><button type="submit">Sign in</button></p>
                </form>
                </section>
                """)
    }

    /// The organisation's incidents: a status filter, one page, and links to the next page.
    static func incidents(
        session: ConsoleSession, page: IncidentPage, status: IncidentState.Status?, cursor: String?, limit: Int, fingerprint: String
    ) -> ConsolePage {
        let options: [HTMLText] =
            [option("", "All", selected: status == nil)]
            + ["open", "acknowledged", "resolved"].map { option($0, $0.capitalized, selected: status?.rawValue == $0) }
        let rows: [HTMLText] = page.incidents.map { incident in
            let summary = IncidentSummary(incident)
            return """
                <tr>
                <td data-label="Title"><a href="/console/incidents/\(HTMLText.component(summary.id))">\(summary.title.isEmpty ? summary.id : summary.title)</a></td>
                <td data-label="Status">\(badge(summary.status))</td>
                <td data-label="Policy">\(summary.policy)</td>
                <td data-label="Opened"><time datetime="\(summary.createdAt)">\(summary.createdAt)</time></td>
                <td data-label="Updated"><time datetime="\(summary.updatedAt)">\(summary.updatedAt)</time></td>
                </tr>
                """
        }
        let filter = status.map { "status=\($0.rawValue)&" } ?? ""
        var pager: [HTMLText] = []
        if cursor != nil { pager.append("<a href=\"/console/incidents?\(filter)limit=\(limit)\">First page</a>") }
        if let next = page.next {
            pager.append("<a href=\"/console/incidents?\(filter)limit=\(limit)&cursor=\(HTMLText.component(next.token))\" rel=\"next\">Next page</a>")
        }
        let table: HTMLText =
            rows.isEmpty
            ? "<p id=\"no-incidents\">No incidents\(status.map { " with status \($0.rawValue)" } ?? "").</p>"
            : """
                <table id="incidents">
                <caption class="hint">Newest first</caption>
                <thead><tr><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Policy</th><th scope="col">Opened</th><th scope="col">Updated</th></tr></thead>
                <tbody>\(rows)</tbody>
                </table>
                """
        return ConsolePage(
            title: "Incidents", session: session,
            content: """
                <h1>Incidents of \(session.organisation)</h1>
                <form class="filters" method="get" action="/console/incidents">
                <div><label for="status">Status</label><select id="status" name="status">\(options)</select></div>
                <div><button type="submit" class="secondary">Filter</button></div>
                </form>
                <p id="live-status" class="live-status" aria-live="polite"></p>
                <div id="live" data-events="/console/events?since=\(fingerprint)">
                \(table)
                <nav class="pager" aria-label="Pages">\(pager)</nav>
                </div>
                """)
    }

    /// One incident: its facts, the buttons, its timeline (in the rendering rehearsals use, wall times in `zone`),
    /// deliveries and tasks.
    static func incident(
        session: ConsoleSession, incident: StoredIncident, timeline: [EventLogEntry], deliveries: [OutboxItem], tasks: [StoredTask],
        outcomes: [String], signals: [String], notice: String?, fingerprint: String, zone: TimeZone = ZonedTime.utc
    ) -> ConsolePage {
        let summary = IncidentSummary(incident)
        let path = "/console/incidents/\(HTMLText.component(summary.id))"
        var facts: [HTMLText] = [
            fact("Status", badge(summary.status)), fact("Policy", "<a href=\"/console/policies/\(HTMLText.component(summary.policy))\">\(summary.policy)</a>"),
            fact("Opened", "<time datetime=\"\(summary.createdAt)\">\(summary.createdAt)</time>"),
            fact("Updated", "<time datetime=\"\(summary.updatedAt)\">\(summary.updatedAt)</time>"), fact("Ladder", "\(summary.ladder)"),
        ]
        if let who = summary.acknowledgedBy { facts.append(fact("Acknowledged by", "\(who)")) }
        if let who = summary.resolvedBy { facts.append(fact("Resolved by", "\(who)")) }
        if let outcome = summary.outcome { facts.append(fact("Outcome", "\(outcome)")) }
        if let stage = summary.stage { facts.append(fact("Stage", "\(stage)")) }
        if let until = incident.state.snoozedUntil { facts.append(fact("Snoozed until", "\(until.description)")) }
        if let dedup = summary.dedupKey { facts.append(fact("Dedup key", "\(dedup)")) }
        for (name, value) in summary.fields.sorted(by: { $0.key < $1.key }) { facts.append(fact(name, "\(value)")) }
        let rows = timeline.map { entry in
            TimelineHTML.Row(
                kind: entry.kind, offset: TimelineHTML.offset(entry.at.seconds(since: incident.createdAt)), at: entry.at, heading: entry.kind, detail: entry.text)
        }
        let deliveryRows: [HTMLText] = deliveries.map { item in
            """
            <tr><td data-label="Channel">\(item.channel)</td><td data-label="Status">\(item.status.rawValue)</td>\
            <td data-label="Attempts">\(item.attempts)</td><td data-label="Detail">\(item.detail ?? "")</td></tr>
            """
        }
        let taskItems: [HTMLText] = tasks.map { task in
            let assignees = task.assignees.isEmpty ? "nobody" : task.assignees.joined(separator: ", ")
            return "<li><strong>\(task.title)</strong> (\(assignees))\(task.description.map { " — \($0)" } ?? "")</li>"
        }
        let alert: HTMLText = notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? ""
        let timelineHTML: HTMLText = rows.isEmpty ? "<p>Nothing yet.</p>" : HTMLText(trusted: TimelineHTML.list(rows, zone: zone, id: "timeline"))
        let deliveriesHTML: HTMLText =
            deliveryRows.isEmpty
            ? "<p>None.</p>"
            : """
                <table><thead><tr><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Detail</th></tr></thead>\
                <tbody>\(deliveryRows)</tbody></table>
                """
        let tasksHTML: HTMLText = taskItems.isEmpty ? "<p>None.</p>" : "<ul>\(taskItems)</ul>"
        return ConsolePage(
            title: summary.title.isEmpty ? summary.id : summary.title, session: session,
            content: """
                <p><a href="/console/incidents">All incidents</a></p>
                <h1>\(summary.title.isEmpty ? summary.id : summary.title)</h1>
                \(alert)
                <p id="live-status" class="live-status" aria-live="polite"></p>
                <div id="live" data-events="/console/events?incident=\(HTMLText.component(summary.id))&amp;since=\(fingerprint)">
                <section class="card" aria-labelledby="facts-heading"><h2 id="facts-heading">Incident \(summary.id)</h2><dl class="facts">\(facts)</dl></section>
                \(actions(session: session, path: path, status: incident.state.status, outcomes: outcomes, signals: signals))
                <section class="card" aria-labelledby="timeline-heading"><h2 id="timeline-heading">Timeline</h2>
                \(timelineHTML)</section>
                <section class="card" aria-labelledby="deliveries-heading"><h2 id="deliveries-heading">Deliveries</h2>
                \(deliveriesHTML)</section>
                <section class="card" aria-labelledby="tasks-heading"><h2 id="tasks-heading">Tasks</h2>
                \(tasksHTML)</section>
                </div>
                """)
    }

    /// The buttons of an incident that is not resolved: acknowledge, resolve (with an outcome when the policy declares
    /// them), escalate now, snooze, and a signal when the policy is stopped by signals. Each is a POST form with the
    /// session's CSRF token.
    static func actions(session: ConsoleSession, path: String, status: IncidentState.Status, outcomes: [String], signals: [String]) -> HTMLText {
        guard status != .resolved else { return "" }
        let csrf: HTMLText = "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrf)\">"
        let acknowledge: HTMLText =
            status == .open
            ? "<form method=\"post\" action=\"\(path)/acknowledge\">\(csrf)<button type=\"submit\" id=\"acknowledge\">Acknowledge</button></form>" : ""
        let outcomeField: HTMLText =
            outcomes.isEmpty
            ? ""
            : """
                <div><label for="outcome">Outcome</label><select id="outcome" name="outcome" required>\
                \(outcomes.map { option($0, $0, selected: false) })</select></div>
                """
        let snoozes: [HTMLText] = [(15, "15 minutes"), (30, "30 minutes"), (60, "1 hour"), (240, "4 hours")].map { minutes, label in
            option(String(minutes), label, selected: minutes == 30)
        }
        let signal: HTMLText =
            signals.isEmpty
            ? ""
            : """
                <form method="post" action="\(path)/signal">\(csrf)<div><label for="signal">Signal</label><select id="signal" name="signal">\
                \(signals.map { option($0, $0, selected: false) })</select></div><button type="submit" class="secondary" id="send-signal">Send signal</button></form>
                """
        return """
            <section class="card" aria-labelledby="actions-heading"><h2 id="actions-heading">Actions</h2>
            <div class="actions">
            \(acknowledge)
            <form method="post" action="\(path)/resolve">\(csrf)\(outcomeField)<button type="submit" id="resolve">Resolve</button></form>
            <form method="post" action="\(path)/escalate">\(csrf)<button type="submit" class="secondary" id="escalate">Escalate now</button></form>
            <form method="post" action="\(path)/snooze">\(csrf)<div><label for="minutes">Snooze for</label><select id="minutes" name="minutes">\(snoozes)</select></div>\
            <button type="submit" class="secondary" id="snooze">Snooze</button></form>
            \(signal)
            </div></section>
            """
    }

    /// The organisation's policies.
    static func policies(session: ConsoleSession, graph: RuleGraph?, diagnostics: [Diagnostic] = []) -> ConsolePage {
        let items: [HTMLText] = (graph?.policies ?? []).map { policy in
            "<li><a href=\"/console/policies/\(HTMLText.component(policy.id))\">\(policy.name)</a> <span class=\"hint\">(\(policy.id))</span></li>"
        }
        let list: HTMLText = items.isEmpty ? "<p>No policies.</p>" : "<ul>\(items)</ul>"
        return ConsolePage(
            title: "Policies", session: session,
            content: """
                <h1>Policies of \(session.organisation)</h1>
                \(list)
                <p><a href="/console/on-call" id="on-call-link">Who is on call now</a></p>
                \(ConsoleCoverageViews.diagnostics(diagnostics, open: true))
                """)
    }

    /// One policy: its fields and settings, and its graph (the drawing `escalate graph --format svg` makes).
    static func policy(
        session: ConsoleSession, policy: CompiledPolicy, drawing: ConsolePolicies.Drawing, explanation: Explanation, diagnostics: [Diagnostic] = []
    ) -> ConsolePage {
        var facts: [HTMLText] = [fact("Id", "\(policy.id)"), fact("Version", "\(policy.version)"), fact("Priority", "\(policy.priority)")]
        if !policy.match.isEmpty {
            let match = policy.match.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.joined(separator: " or "))" }.joined(separator: "; ")
            facts.append(fact("Match", "\(match)"))
        }
        if let seconds = policy.targetAckSeconds { facts.append(fact("Target acknowledgement", "\(seconds / 60) min")) }
        if !policy.outcomes.isEmpty { facts.append(fact("Outcomes", "\(policy.outcomes.joined(separator: ", "))")) }
        if !policy.until.isEmpty { facts.append(fact("Stopped by signals", "\(policy.until.joined(separator: ", "))")) }
        if let calendar = policy.calendar { facts.append(fact("Calendar", "\(calendar)")) }
        let fieldRows: [HTMLText] = policy.fields.map { field in
            """
            <tr><td data-label="Field">\(field.name)</td><td data-label="Type">\(field.type)</td><td data-label="Required">\(field.required ? "yes" : "no")</td>\
            <td data-label="Values">\(field.values.joined(separator: ", "))</td><td data-label="Description">\(field.description ?? "")</td></tr>
            """
        }
        let fieldsHTML: HTMLText =
            fieldRows.isEmpty
            ? "<p>No declared fields.</p>"
            : """
                <table><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Values</th>\
                <th scope="col">Description</th></tr></thead><tbody>\(fieldRows)</tbody></table>
                """
        let picture: HTMLText
        switch drawing {
        case .svg:
            picture =
                "<img src=\"/console/policies/\(HTMLText.component(policy.id))/graph.svg\" alt=\"The escalation ladder of \(policy.name), drawn by Graphviz\">"
        case .dot(let dot, let reason):
            picture = "<p class=\"hint\">\(reason); the graph in DOT:</p><pre>\(dot)</pre>"
        }
        return ConsolePage(
            title: policy.name, session: session,
            content: """
                <p><a href="/console/policies">All policies</a></p>
                <h1>\(policy.name)</h1>
                <p><a href="/console/policies/\(HTMLText.component(policy.id))/coverage" id="coverage-link">Coverage this week</a> \
                (who each layer reaches, the gaps, who is on call now)</p>
                <p><a href="/console/policies/\(HTMLText.component(policy.id))/rehearse" id="rehearse-link">Rehearse this policy</a></p>
                <section class="card" aria-labelledby="policy-heading"><h2 id="policy-heading">Settings</h2><dl class="facts">\(facts)</dl></section>
                <section class="card" aria-labelledby="fields-heading"><h2 id="fields-heading">Fields</h2>
                \(fieldsHTML)</section>
                <section class="card graph" aria-labelledby="graph-heading"><h2 id="graph-heading">Graph</h2>\(picture)</section>
                \(explain(policy, explanation))
                \(ConsoleCoverageViews.diagnostics(diagnostics, open: false))
                """)
    }

    /// The inputs and answer of `explain` on a policy page.
    struct Explanation: Sendable {
        /// The time asked about, as typed (or now, as a local time).
        var at: String
        /// The organisation's timezone, which a local time is read in.
        var zone: String
        /// The incident fields given.
        var fields: [String: String]
        /// `escalate explain`'s text, nil when the time could not be read.
        var text: String?
        /// What was wrong with the input.
        var problem: String?
    }

    /// The explain form (a GET: it changes nothing) and its answer.
    static func explain(_ policy: CompiledPolicy, _ explanation: Explanation) -> HTMLText {
        let inputs: [HTMLText] = policy.fields.map { field in
            """
            <div><label for="field-\(field.name)">\(field.name)</label>\
            <input id="field-\(field.name)" name="field.\(field.name)" type="text" value="\(explanation.fields[field.name] ?? "")"></div>
            """
        }
        let answer: HTMLText
        if let problem = explanation.problem {
            answer = "<p class=\"error\" role=\"alert\">\(problem)</p>"
        } else {
            answer = "<pre id=\"explanation\">\(explanation.text ?? "")</pre>"
        }
        return """
            <section class="card" aria-labelledby="explain-heading"><h2 id="explain-heading">Who is reached at a given time</h2>
            <form class="filters" method="get" action="/console/policies/\(HTMLText.component(policy.id))">
            <div><label for="at">Time (\(explanation.zone))</label><input id="at" name="at" type="datetime-local" value="\(explanation.at)"></div>
            \(inputs)
            <div><button type="submit" class="secondary">Explain</button></div>
            </form>
            \(answer)
            </section>
            """
    }

    static func option(_ value: String, _ label: String, selected: Bool) -> HTMLText {
        "<option value=\"\(value)\"\(selected ? " selected" : "")>\(label)</option>"
    }

    static func badge(_ status: String) -> HTMLText { "<span class=\"status status-\(status)\">\(status)</span>" }

    static func fact(_ name: String, _ value: HTMLText) -> HTMLText { "<dt>\(name)</dt><dd>\(value)</dd>" }
}
