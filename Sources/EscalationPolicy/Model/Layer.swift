import EscalationCore

/// One rung of the ladder: a step plus when to move on.
public struct Layer: Sendable {
    /// What the layer does.
    public var step: Step
    /// Move on after this long unless acknowledged.
    public var timeout: Located<PolicyDuration>?
    /// Move on at an instant taken from the incident.
    public var at: Located<Anchor>?
    /// Calendar for a business timeout.
    public var calendar: Located<String>?
    /// `choose:` alternatives: the first whose `when` holds as the layer starts runs (empty: the layer's own step).
    public var choices: [Step] = []

    /// The layer id (empty when missing, which the loader reports).
    public var id: String { step.id?.value ?? "" }

    /// What the layer may do, one step per alternative: its own step, or each `choose:` alternative with the
    /// layer's id, name, tasks and posts added (the alternative's own name is in `choices`).
    public var alternatives: [Step] {
        guard !choices.isEmpty else { return [step] }
        return choices.map { choice in
            var merged = choice
            merged.id = step.id
            merged.name = step.name ?? choice.name
            merged.tasks = step.tasks + choice.tasks
            merged.posts = step.posts + choice.posts
            return merged
        }
    }
}
