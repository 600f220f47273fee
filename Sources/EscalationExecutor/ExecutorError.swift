/// Why the executor refused a request. Callers compare `kind` with `.notFound`, `.invalid` or `.conflict` (never the
/// text); the kinds are a struct over a private enum, as Hummingbird's errors are, so new kinds break no caller.
public struct ExecutorError: Error, Sendable, CustomStringConvertible {
    /// The kind of refusal; the HTTP API maps each to a status code.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case notFound = "not found"
            case invalid
            case conflict
        }

        private let value: Value

        /// No such organisation, policy or incident (404).
        public static let notFound = Kind(value: .notFound)
        /// The request cannot be carried out as given (422): missing fields, no matching policy.
        public static let invalid = Kind(value: .invalid)
        /// The incident is in a state that does not allow this (409).
        public static let conflict = Kind(value: .conflict)

        /// The kind in words.
        public var description: String { value.rawValue }
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
