/// Where the events sent with one integration key go: an organisation, and optionally one of its policies (else the
/// policy is chosen by `match`, as for any trigger).
public struct IntegrationRoute: Sendable, Hashable, CustomStringConvertible {
    /// The organisation.
    public var organisation: String
    /// The policy, when the key is bound to one.
    public var policy: String?

    /// Creates a route.
    public init(organisation: String, policy: String? = nil) {
        self.organisation = organisation
        self.policy = policy
    }

    /// Reads `ORGANISATION` or `ORGANISATION/POLICY` (nil when either part is empty or there are more slashes).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), !parts.contains(where: \.isEmpty) else { return nil }
        self.init(organisation: parts[0], policy: parts.count == 2 ? parts[1] : nil)
    }

    /// `ORGANISATION` or `ORGANISATION/POLICY`.
    public var description: String { policy.map { "\(organisation)/\($0)" } ?? organisation }
}
