/// A label for messages ("layer 'a' of policy 'p'"), kept as its parts and written as text only when a message needs it.
///
/// `description` is exactly the text the policy model's eager labels had (kept in the tests as `LintLabelsTests`' oracle).
public indirect enum LintLabel: Sendable, CustomStringConvertible {
    /// "layer 'id' of policy 'p'", or "layer '#n' of policy 'p'" for a layer without an id (`index` counts from 0).
    case layer(id: String, index: Int, policy: String)
    /// "alternative n of label" (`index` counts from 0).
    case alternative(index: Int, of: LintLabel)
    /// "the reminders of policy 'p'".
    case reminders(policy: String)
    /// "watchdog 'id' of policy 'p'".
    case watchdog(id: String, policy: String)
    /// "deadline 'id' of policy 'p'".
    case deadline(id: String, policy: String)
    /// "step n of 'on hook' in policy 'p'" (`index` counts from 0).
    case hookStep(index: Int, hook: String, policy: String)
    /// "stage 'id' of policy 'p'".
    case stage(id: String, policy: String)
    /// "row r of route 'id'" (`row` as `RouteTable.labelledTargets` writes it).
    case routeRow(row: String, route: String)
    /// The text `prefix` followed by `label` ("cc of …", "a post of …", "the condition of …").
    case phrase(String, LintLabel)
    /// Text written out already.
    case text(String)
    /// "task 'title' of label".
    case task(title: String, of: LintLabel)

    /// The label as text.
    public var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// Appends the label's text to `text`.
    func write(to text: inout String) {
        switch self {
        case .layer(let id, let index, let policy):
            text += id.isEmpty ? "layer '#\(index + 1)' of policy '\(policy)'" : "layer '\(id)' of policy '\(policy)'"
        case .alternative(let index, let label):
            text += "alternative \(index + 1) of "
            label.write(to: &text)
        case .reminders(let policy): text += "the reminders of policy '\(policy)'"
        case .watchdog(let id, let policy): text += "watchdog '\(id)' of policy '\(policy)'"
        case .deadline(let id, let policy): text += "deadline '\(id)' of policy '\(policy)'"
        case .hookStep(let index, let hook, let policy): text += "step \(index + 1) of 'on \(hook)' in policy '\(policy)'"
        case .stage(let id, let policy): text += "stage '\(id)' of policy '\(policy)'"
        case .routeRow(let row, let route): text += "row \(row) of route '\(route)'"
        case .phrase(let prefix, let label):
            text += prefix
            label.write(to: &text)
        case .text(let written): text += written
        case .task(let title, let label):
            text += "task '\(title)' of "
            label.write(to: &text)
        }
    }
}
