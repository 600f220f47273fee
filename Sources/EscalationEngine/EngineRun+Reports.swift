import EscalationCore
import EscalationGraph

extension EngineRun {
    /// A later event joined the open incident: the `append` list fields gain the items not yet in them, and the
    /// `on: report` steps run, their `per: FIELD` tasks one per item this report added. A resolved incident takes no
    /// reports; a policy that does not correlate takes them as duplicates (a record only).
    func report(_ fields: [String: String]) {
        guard isOpen else { return record("report ignored: the incident is resolved") }
        state.reports = (state.reports ?? 1) + 1
        let number = state.reports ?? 2
        guard let correlate = policy.correlate else {
            return record("report \(number) deduplicated: the policy does not correlate")
        }
        var added: [String: [String]] = [:]
        for name in correlate.append {
            let have = Engine.listItems(state.fields[name] ?? "")
            var seen = Set(have)
            let new = Engine.listItems(fields[name] ?? "").filter { seen.insert($0).inserted }
            guard !new.isEmpty else { continue }
            added[name] = new
            state.fields[name] = (have + new).joined(separator: ", ")
        }
        let growth = added.keys.sorted().map { "\($0) + \(added[$0]?.joined(separator: ", ") ?? "")" }
        record("report \(number)\(growth.isEmpty ? " (nothing new)" : ": " + growth.joined(separator: "; "))")
        for (index, step) in (policy.hooks.report ?? []).enumerated() {
            // A `per: FIELD` task of a report step is made for the items this report added, not the whole list.
            var scoped = step
            scoped.tasks = step.tasks.compactMap { task in
                guard let per = task.per, correlate.append.contains(per) else { return task }
                return added[per] == nil ? nil : task
            }
            run(scoped, origin: "on report #\(index + 1)", reason: "report \(number)", perItems: added)
        }
    }
}
