import EscalationCore
import Foundation

/// A contact a target reaches, why, and over which channels.
public struct Recipient: Sendable, Hashable {
    /// Why a target reaches a contact.
    public enum Reason: Sendable, Hashable {
        /// Named directly (`{contact: ID}`).
        case direct
        /// A member of a group.
        case member(group: String)
        /// On call in a schedule's rotation: shift `shift` (0 is the one starting at `rotation.start`), `[from, to)`.
        case rotation(schedule: String, shift: Int, from: Instant, to: Instant)
        /// On call in a schedule through an override `[from, to)`.
        case override(schedule: String, from: Instant, to: Instant)
        /// Named by a `contact` field of the incident.
        case field(name: String)

        /// One line, times in `zone`: `on call in schedule it-hotline (rotation shift 9, Mon 2026-03-09 08:00 MDT – …)`.
        public func describe(in zone: TimeZone) -> String {
            switch self {
            case .direct: return "direct contact"
            case .member(let group): return "member of group \(group)"
            case .rotation(let schedule, let shift, let from, let to):
                return "on call in schedule \(schedule) (rotation shift \(shift), \(ZonedTime.display(from, in: zone)) – \(ZonedTime.display(to, in: zone)))"
            case .override(let schedule, let from, let to):
                return "on call in schedule \(schedule) (override \(ZonedTime.display(from, in: zone)) – \(ZonedTime.display(to, in: zone)))"
            case .field(let name): return "from incident field \(name)"
            }
        }
    }

    /// Where a recipient's channels come from.
    public enum ChannelSource: String, Sendable, Hashable, Codable {
        /// The step's `via`.
        case step
        /// The contact's `preferences` (the step has no `via`).
        case preferences
        /// The first declared channel that reads one of the contact's addresses (no `via`, no preferences).
        case fallback
    }

    /// Contact id.
    public var contact: String
    /// Display name.
    public var name: String
    /// Whether the contact is a person who can acknowledge (not a shared address).
    public var canAcknowledge: Bool
    /// Why the target reaches the contact.
    public var reason: Reason
    /// The channels that will be tried, in order, with their delays (empty: the contact cannot be reached).
    public var channels: [ChannelUse]
    /// Where the channels come from.
    public var channelSource: ChannelSource
    /// Channels that were asked for but dropped: the contact has no address they read (or they are not declared).
    public var droppedChannels: [String]
}
