import EscalationGraph
import EscalationSimulator
import Foundation

/// The rehearse page: a form made from the policy's declared fields, the start, scripted responders and the Monte
/// Carlo answers; below it the simulated timeline (the rendering `escalate simulate --format html` uses) or the
/// distribution of time to acknowledgement.
enum ConsoleRehearseViews {
    /// The page with the form filled from `rehearsal` and, when it ran, its outcome.
    static func page(
        session: ConsoleSession, policy: CompiledPolicy, graph: RuleGraph, rehearsal: ConsoleRehearsal, outcome: ConsoleRehearsal.Outcome
    ) -> ConsolePage {
        let path = "/console/policies/\(HTMLText.component(policy.id))"
        let problems: [HTMLText] = outcome.problems.map { problem -> HTMLText in
            if let input = problem.input { return "<li><a href=\"#\(input)\">\(problem.message)</a></li>" }
            return "<li>\(problem.message)</li>"
        }
        let scriptHint = """
            One action a line, as escalate simulate --respond reads it: "alice acks at +20m", "bob acks 5m after notified", \
            "alice resolves outcome fixed at +1h", "signal NAME at +10m", "escalate at +5m". Deliveries that fail or are \
            answered: "fail: sms to bob", "answered: phone", "unanswered: phone to bob". At most \(ConsoleRehearsal.maxScriptLines) lines.
            """
        let extraHint = "Fields the policy does not declare (its templates or match may read them): NAME=VALUE, one a line."
        let answersHint = """
            One contact a line, as escalate simulate --answer reads it: "alice=0.7 within 5m" answers with probability 0.7, \
            at a uniformly random time within 5 minutes of being notified; a contact without a line never answers.
            """
        let alert: HTMLText =
            problems.isEmpty
            ? "" : "<div class=\"error\" role=\"alert\" id=\"problems\"><p>The rehearsal did not run:</p><ul>\(problems)</ul></div>"
        let fieldInputs: [HTMLText] = policy.fields.map { input(for: $0, rehearsal: rehearsal, problems: outcome.problems) }
        let fieldsHTML: HTMLText = fieldInputs.isEmpty ? "<p class=\"hint\">The policy declares no fields.</p>" : "<div class=\"grid\">\(fieldInputs)</div>"
        let contacts: [HTMLText] = graph.contacts.map { "<option value=\"\($0.id)\">" }
        return ConsolePage(
            title: "Rehearse \(policy.name)", session: session,
            content: """
                <p><a href="\(path)">Back to the policy</a></p>
                <h1>Rehearse: \(policy.name)</h1>
                <p class="hint">Nothing is sent: the running policy is simulated on a virtual clock, as <code>escalate simulate</code> does.</p>
                \(alert)
                <form class="rehearse" method="post" action="\(path)/rehearse">
                <input type="hidden" name="csrf" value="\(session.csrf)">
                <datalist id="contacts">\(contacts)</datalist>
                <fieldset><legend>Incident fields</legend>\(fieldsHTML)
                \(area("extra", label: "More fields", value: rehearsal.extra, problems: outcome.problems, hint: extraHint, rows: 2))</fieldset>
                <fieldset><legend>When</legend><div class="grid">
                \(text("start", label: "Start (\(graph.timezone))", value: rehearsal.start, type: "datetime-local", hint: "When the incident triggers.", problems: outcome.problems, required: true))
                \(text("until", label: "Simulate for", value: rehearsal.until, type: "text", hint: "A duration up to 2d, e.g. 6h.", problems: outcome.problems, required: true))
                </div></fieldset>
                <fieldset><legend>Responders</legend>
                \(area("script", label: "Script", value: rehearsal.script, problems: outcome.problems, hint: scriptHint))
                <div class="buttons"><button type="submit" name="mode" value="rehearse" id="rehearse">Rehearse</button></div>
                </fieldset>
                <fieldset id="monte-carlo"><legend>Monte Carlo</legend>
                \(area("answers", label: "Answer probabilities", value: rehearsal.answers, problems: outcome.problems, hint: answersHint))
                <div class="grid">
                \(text("runs", label: "Runs", value: rehearsal.runs, type: "number", hint: "1 to \(ConsoleRehearsal.maxRuns).", problems: outcome.problems, required: false, extra: "min=\"1\" max=\"\(ConsoleRehearsal.maxRuns)\" step=\"1\""))
                \(text("seed", label: "Seed", value: rehearsal.seed, type: "number", hint: "The same seed gives the same runs.", problems: outcome.problems, required: false, extra: "min=\"0\" step=\"1\""))
                </div>
                <div class="buttons"><button type="submit" name="mode" value="monte-carlo" id="run-monte-carlo" class="secondary">Run Monte Carlo</button></div>
                </fieldset>
                </form>
                \(result(outcome))
                """)
    }

    /// The answer: the timeline, or the Monte Carlo panel.
    static func result(_ outcome: ConsoleRehearsal.Outcome) -> HTMLText {
        if let timeline = outcome.timeline {
            return """
                <section class="card" aria-labelledby="result-heading" id="result">
                <h2 id="result-heading">Timeline</h2>
                \(HTMLText(trusted: TimelineHTML.result(timeline)))\
                \(HTMLText(trusted: TimelineHTML.list(timeline, id: "rehearsal-timeline", limit: ConsoleRehearsal.maxEntriesShown)))
                </section>
                """
        }
        if let samples = outcome.samples {
            let report = samples.report
            let acknowledgers: [HTMLText] = report.acknowledgers.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { who, count in
                "<li>\(who): \(count) runs (\(ConsoleChart.percent(count, of: samples.runs)))</li>"
            }
            let woken: [HTMLText] = report.woken.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { who, count in
                "<li>\(who): \(count) runs (\(ConsoleChart.percent(count, of: samples.runs)))</li>"
            }
            func time(_ seconds: Int?) -> String { seconds.map(ConsoleChart.duration) ?? "never" }
            let nobody: HTMLText = "<p>Nobody.</p>"
            let acknowledgersHTML: HTMLText = acknowledgers.isEmpty ? nobody : "<ul id=\"mc-acknowledgers\">\(acknowledgers)</ul>"
            let wokenHTML: HTMLText = woken.isEmpty ? nobody : "<ul id=\"mc-woken\">\(woken)</ul>"
            return """
                <section class="card" aria-labelledby="result-heading" id="result">
                <h2 id="result-heading">Monte Carlo: \(samples.runs) runs, seed \(String(samples.seed))</h2>
                \(ConsoleChart.svg(samples))
                <dl class="facts" id="mc-figures">
                <dt>Median (p50)</dt><dd>\(time(report.p50))</dd>
                <dt>p90</dt><dd>\(time(report.p90))</dd>
                <dt>p99</dt><dd>\(time(report.p99))</dd>
                <dt>Never acknowledged</dt><dd>\(samples.neverAcknowledged) runs (\(ConsoleChart.percent(samples.neverAcknowledged, of: samples.runs)))</dd>
                <dt>Notifications per run</dt><dd>mean \(String(format: "%.2f", report.meanNotifications)), most \(report.maxNotifications)</dd>
                </dl>
                <h3>Acknowledged by</h3>
                \(acknowledgersHTML)
                <h3>Woken (notified at least once)</h3>
                \(wokenHTML)
                \(ConsoleChart.table(samples))
                </section>
                """
        }
        return ""
    }

    /// The input of a declared field, by its type: a choice for an enum or a boolean, a number, a date and time, a
    /// contact (with the organisation's contacts offered), an e-mail address or a phone number, else text.
    static func input(for field: CompiledField, rehearsal: ConsoleRehearsal, problems: [ConsoleRehearsal.Problem]) -> HTMLText {
        let id = "field-\(field.name)"
        let value = rehearsal.fields[field.name] ?? ""
        var hint = field.description ?? ""
        let typeHint: String =
            switch field.type {
            case "list", "address-list": "Comma-separated."
            case "duration": "A duration, e.g. 15m."
            case "time": "In the organisation's timezone."
            default: ""
            }
        hint = [hint, typeHint].filter { !$0.isEmpty }.joined(separator: " ")
        let errors = problems.filter { $0.input == id }
        let label: HTMLText = "<label for=\"\(id)\">\(field.name)\(field.required ? " (required)" : "")</label>"
        let required: HTMLText = field.required ? " required" : ""
        let described = described(id, hint: !hint.isEmpty, errors: !errors.isEmpty)
        let control: HTMLText
        switch field.type {
        case "enum", "boolean":
            let values = field.type == "boolean" ? ["true", "false"] : field.values
            let blank: HTMLText = "<option value=\"\"\(value.isEmpty ? " selected" : "")>—</option>"
            let options: [HTMLText] = values.map { ConsoleViews.option($0, $0, selected: $0 == value) }
            control = "<select id=\"\(id)\" name=\"field.\(field.name)\"\(required)\(described)>\(blank)\(options)</select>"
        case "text":
            control = "<textarea id=\"\(id)\" name=\"field.\(field.name)\" rows=\"2\"\(required)\(described)>\(value)</textarea>"
        default:
            let (type, extra): (String, HTMLText) =
                switch field.type {
                case "integer": ("number", " step=\"1\"")
                case "number": ("number", " step=\"any\"")
                case "time": ("datetime-local", "")
                case "contact": ("text", " list=\"contacts\" autocomplete=\"off\"")
                case "address" where field.addressKind == "email": ("email", "")
                case "address" where field.addressKind == "phone": ("tel", "")
                default: ("text", "")
                }
            control = "<input id=\"\(id)\" name=\"field.\(field.name)\" type=\"\(type)\" value=\"\(value)\"\(extra)\(required)\(described)>"
        }
        return "<div>\(label)\(control)\(hintAndErrors(id, hint: hint, errors: errors))</div>"
    }

    /// A one-line input of the form.
    static func text(
        _ id: String, label: String, value: String, type: String, hint: String, problems: [ConsoleRehearsal.Problem], required: Bool, extra: HTMLText = ""
    ) -> HTMLText {
        let errors = problems.filter { $0.input == id }
        let attributes: HTMLText = required ? " required" : ""
        return """
            <div><label for="\(id)">\(label)</label><input id="\(id)" name="\(id)" type="\(type)" value="\(value)" \(extra)\(attributes)\
            \(described(id, hint: true, errors: !errors.isEmpty))>\(hintAndErrors(id, hint: hint, errors: errors))</div>
            """
    }

    /// A text area of the form (script, answers).
    static func area(_ id: String, label: String, value: String, problems: [ConsoleRehearsal.Problem], hint: String, rows: Int = 4) -> HTMLText {
        let errors = problems.filter { $0.input == id }
        return """
            <label for="\(id)">\(label)</label><textarea id="\(id)" name="\(id)" rows="\(rows)" spellcheck="false"\
            \(described(id, hint: true, errors: !errors.isEmpty))>\(value)</textarea>\(hintAndErrors(id, hint: hint, errors: errors))
            """
    }

    /// `aria-describedby` (the hint and the errors) and `aria-invalid` of an input.
    static func described(_ id: String, hint: Bool, errors: Bool) -> HTMLText {
        let ids = (hint ? ["\(id)-hint"] : []) + (errors ? ["\(id)-error"] : [])
        let describedBy: HTMLText = ids.isEmpty ? "" : " aria-describedby=\"\(ids.joined(separator: " "))\""
        return errors ? "\(describedBy) aria-invalid=\"true\"" : describedBy
    }

    /// The hint and the error messages under an input.
    static func hintAndErrors(_ id: String, hint: String, errors: [ConsoleRehearsal.Problem]) -> HTMLText {
        let hintHTML: HTMLText = hint.isEmpty ? "" : "<p class=\"hint\" id=\"\(id)-hint\">\(hint)</p>"
        let errorHTML: HTMLText =
            errors.isEmpty ? "" : "<p class=\"field-error\" id=\"\(id)-error\">\(errors.map(\.message).joined(separator: " "))</p>"
        return "\(hintHTML)\(errorHTML)"
    }
}
