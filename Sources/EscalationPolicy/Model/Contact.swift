import EscalationCore

/// A person or a shared address (distribution list, room, queue) that can be notified.
public struct Contact: Sendable {
    /// Whether the contact is a person (who can acknowledge) or a shared address.
    public enum Kind: String, Sendable, CaseIterable {
        case person, shared
    }

    /// The contact id.
    public var id: Located<String>
    /// The display name.
    public var name: Located<String>
    /// Person or shared address.
    public var kind: Kind
    /// Address kind (e.g. `email`, `phone`) → address, in declaration order.
    public var addresses: [(kind: Located<String>, value: Located<String>)]
    /// Ordered channels with delays, used when a layer names no channels.
    public var preferences: [ChannelStep]
    /// The contact's own timezone.
    public var timezone: Located<String>?

    /// The address of the given kind.
    public func address(_ kind: String) -> String? { addresses.first { $0.kind.value == kind }?.value.value }
}
