import EscalationPolicy
import Foundation

/// The labelled lists of one organisation, built on first use and then shared by every rule of a lint context.
final class LintLabels: @unchecked Sendable {
    private let lock = NSLock()
    private let organisation: Organisation
    private var policies: [PolicyLabels]?
    private var targets: [(label: LintLabel, target: Target)]?

    /// Lists for `organisation`, none built yet.
    init(_ organisation: Organisation) { self.organisation = organisation }

    /// Each policy's lists, in the organisation's order.
    func policyLabels() -> [PolicyLabels] {
        lock.lock()
        defer { lock.unlock() }
        return policyLabelsLocked()
    }

    /// Every target the policies and route tables name, policies first, with lazy labels.
    func organisationTargets() -> [(label: LintLabel, target: Target)] {
        lock.lock()
        defer { lock.unlock() }
        if let targets { return targets }
        var built = policyLabelsLocked().flatMap(\.targets)
        for route in organisation.routes {
            let id = route.id.value
            for (row, target) in route.labelledTargets { built.append((.routeRow(row: row, route: id), target)) }
        }
        targets = built
        return built
    }

    private func policyLabelsLocked() -> [PolicyLabels] {
        if let policies { return policies }
        let built = organisation.policies.map(PolicyLabels.init)
        policies = built
        return built
    }
}
