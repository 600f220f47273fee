import EscalationCore
import EscalationYAML

extension DocumentReader {
    /// The `reminders:` map of a policy, or one item of its `watchdogs:` list (which needs an `id` and `reset_on`).
    func readReminders(_ node: YAMLNode, what: String, owner: SourceLocation?, watchdog: Bool = false) -> Reminders? {
        let allowed = ["every", "notify", "via", "cc", "template", "reset_on"] + (watchdog ? ["id"] : [])
        guard let rem = fields(node, what: what, allowed: allowed, owner: owner) else { return nil }
        let every = rem.required("every", example: "every: 30m").flatMap { duration($0, what: "\(rem.what): every") }
        _ = rem.required("template", hint: "name the message to send, e.g. 'template: reminder'", example: "template: reminder")
        if let every, every.value.seconds <= 0, !every.value.isBusiness || every.value.businessDays == 0 {
            sink.add(
                LoadProblem.invalidValue(
                    "\(rem.what): every \(every.value) would never stop firing", at: every.location,
                    hint: "use an interval longer than zero, e.g. 30m"))
        }
        var id: Located<String>?
        if watchdog {
            id = rem.required("id", hint: "name each watchdog, e.g. 'id: it-updates'", example: "id: it-updates").flatMap {
                identifier($0, what: "\(rem.what): id")
            }
            _ = rem.required(
                "reset_on", hint: "a watchdog speaks when none of these events came for 'every', e.g. 'reset_on: [it-update]'",
                example: "reset_on: [it-update]")
        }
        // The step reads only the step keys; `id` here names the watchdog, not a step.
        var step = step(from: rem, what: rem.what, requireTemplate: false)
        step.id = nil
        let resetOn = rem["reset_on"].map { list($0, what: "\(rem.what): reset_on").compactMap { identifier($0, what: "\(rem.what): reset_on") } } ?? []
        guard let every else { return nil }
        var built = Reminders(every: every, step: step)
        built.resetOn = resetOn
        built.id = id
        return built
    }
}
