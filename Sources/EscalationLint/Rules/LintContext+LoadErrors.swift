import EscalationCore
import EscalationPolicy

extension LintContext {
    /// Whether the loader reported an error in this item's declaration (it was dropped or loaded partially), so model
    /// rules skip it rather than report a cascade of follow-on problems. Asked by kind and id, never by message text.
    func loaderReported(_ kind: ModelItem.Kind, _ id: String) -> Bool {
        // `Set.contains` hashes its argument even when the set is empty, as it is for an undamaged organisation.
        !organisation.damaged.isEmpty && organisation.damaged.contains(ModelItem(kind, id))
    }

    /// Whether the loader reported any error, so parts of the model may be missing.
    var hasLoadErrors: Bool { loadDiagnostics.contains { $0.severity == .error } }
}
