import PostgresNIO

/// A PostgreSQL store operation that failed: what the store was doing, and the server's or driver's reason
/// (never the connection's password).
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    /// What the store was doing, e.g. `commit of incident acme-1`.
    public var operation: String
    /// The reason.
    public var reason: String

    /// An error.
    public init(_ operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    /// A driver error with the server's message (PSQLError's own description hides it).
    init(_ operation: String, _ error: any Error) {
        self.operation = operation
        if let psql = error as? PSQLError {
            var parts = ["\(psql.code)"]
            if let message = psql.serverInfo?[.message] { parts.append(message) }
            if let detail = psql.serverInfo?[.detail] { parts.append(detail) }
            if let underlying = psql.underlying { parts.append("\(underlying)") }
            reason = parts.joined(separator: ": ")
        } else {
            reason = "\(error)"
        }
    }

    /// `PostgreSQL: <operation> failed: <reason>`.
    public var description: String { "PostgreSQL: \(operation) failed: \(reason)" }
}
