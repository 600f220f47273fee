/// A result this process could not record because its lease had expired and another process had claimed the item.
public struct LeaseLost: Error, CustomStringConvertible, Sendable {
    /// The delivery's idempotency key.
    public var key: String
    /// The process that holds it now.
    public var holder: String?

    /// Why the result was dropped.
    public var description: String {
        "the lease on delivery \(key) expired and \(holder ?? "another process") took it over; this process's result is not recorded"
    }
}
