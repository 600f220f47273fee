/// Why the executor refused a request; the HTTP API maps each kind to a status code.
public struct ExecutorError: Error, Sendable, CustomStringConvertible {
    /// The kind of refusal.
    public enum Kind: Sendable {
        /// No such organisation, policy or incident (404).
        case notFound
        /// The request cannot be carried out as given (422): missing fields, no matching policy.
        case invalid
        /// The incident is in a state that does not allow this (409).
        case conflict
    }

    /// Kind.
    public var kind: Kind
    /// What is wrong and how to fix it.
    public var description: String

    /// Creates an error.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
