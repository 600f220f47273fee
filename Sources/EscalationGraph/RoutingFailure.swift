import EscalationCore

/// Why no policy takes an event; callers switch on `cause`, never on the text.
public struct RoutingFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Cause: Sendable, Hashable {
        /// The caller named a policy the organisation does not have.
        case unknownPolicy
        /// No policy's `match` holds for the event's fields.
        case noMatch
        /// The organisation has no policies.
        case noPolicies
    }

    enum Detail: Sendable, Hashable {
        case unknownPolicy(String)
        case noMatch
        case noPolicies
    }

    private let detail: Detail
    /// The organisation.
    public let organisation: String
    /// Its policies, in file order.
    public let policies: [String]

    init(_ detail: Detail, organisation: String, policies: [String]) {
        self.detail = detail
        self.organisation = organisation
        self.policies = policies
    }

    /// The cause.
    public var cause: Cause {
        switch detail {
        case .unknownPolicy: .unknownPolicy
        case .noMatch: .noMatch
        case .noPolicies: .noPolicies
        }
    }

    /// What is wrong and how to fix it.
    public var description: String {
        let list = policies.joined(separator: ", ")
        switch detail {
        case .unknownPolicy(let name):
            return "no policy '\(name)'\(name.didYouMean(policies)) in '\(organisation)'; policies: \(list)"
        case .noMatch:
            return "no policy of '\(organisation)' matches these fields; name one (policies: \(list)) or give the fields its match needs"
        case .noPolicies:
            return "the organisation '\(organisation)' has no policies"
        }
    }
}
