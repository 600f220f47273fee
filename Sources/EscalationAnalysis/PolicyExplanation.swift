import EscalationGraph
import EscalationCore

/// What a policy would do for an incident at an instant, layer by layer: whether each layer runs (its condition,
/// with the calendar and whether it is open) and whom it reaches and why. Encodes to the JSON of `escalate explain`.
public struct PolicyExplanation: Codable, Sendable, Hashable {
    /// A contact a target reaches.
    public struct Contact: Codable, Sendable, Hashable {
        /// Contact id.
        public var id: String
        /// Display name.
        public var name: String
        /// Whether it is a person who can acknowledge.
        public var canAcknowledge: Bool
        /// `contact`, `group`, `rotation`, `override` or `field`.
        public var reasonKind: String
        /// The reason in words.
        public var reason: String
        /// The group, for a group member.
        public var group: String?
        /// The schedule, for whoever is on call.
        public var schedule: String?
        /// The rotation shift number, for a rotation.
        public var shift: Int?
        /// Start of the shift or override (ISO 8601 in the organisation's zone).
        public var from: String?
        /// End of the shift or override.
        public var to: String?
        /// The incident field, for a field target.
        public var field: String?
        /// Channels in order, with delays: `sms`, `email after 5m`.
        public var channels: [String]
        /// `step` (the layer's `via`), `preferences` or `fallback`.
        public var channelSource: String
        /// Channels left out because the contact has no address for them.
        public var droppedChannels: [String]
    }

    /// One target and whom it reaches.
    public struct Target: Codable, Sendable, Hashable {
        /// `group:leads`.
        public var target: String
        /// Contacts reached.
        public var contacts: [Contact]
        /// A field target whose value is not known (only without an incident).
        public var pending: Bool
        /// Why it reaches nobody (or fewer than asked).
        public var problem: String?
        /// For a route target: the row the incident picks (`region = us → group:us-local-it`).
        public var route: String?
    }

    /// One part of a condition.
    public struct Check: Codable, Sendable, Hashable {
        /// `during`, `outside`, `field` or `outcome`.
        public var kind: String
        /// Calendar id or field name.
        public var subject: String
        /// `holds`, `fails` or `unknown`.
        public var verdict: String
        /// Whether the calendar is open, for calendar parts.
        public var calendarOpen: Bool?
        /// When the calendar next closes or opens (ISO 8601 in the organisation's zone).
        public var nextChange: String?
        /// The reason in words.
        public var detail: String
    }

    /// A task the layer adds.
    public struct Task: Codable, Sendable, Hashable {
        /// Title.
        public var title: String
        /// One task per item of this list field.
        public var per: String?
        /// The assignee.
        public var assignee: Target?
    }

    /// One layer.
    public struct Layer: Codable, Sendable, Hashable {
        /// Position from 1.
        public var number: Int
        /// Layer id.
        public var id: String
        /// Display name.
        public var name: String?
        /// Whether it runs at the instant.
        public var runs: Bool
        /// The `when` condition in words (nil: none).
        public var condition: String?
        /// `holds`, `fails` or `unknown` (nil: no condition).
        public var verdict: String?
        /// The condition's parts.
        public var checks: [Check]
        /// Who is notified.
        public var notify: [Target]
        /// Who is copied.
        public var cc: [Target]
        /// Tasks added.
        public var tasks: [Task]
        /// Posts to channels, `channel (template)`.
        public var posts: [String]
        /// The template.
        public var template: String?
        /// When the ladder moves on, in words.
        public var next: String
        /// Whether it reaches anyone when it runs.
        public var reachesAnyone: Bool
        /// For a layer that chooses: each alternative's condition and verdict, the chosen one marked (nil otherwise).
        public var alternatives: [String]?
    }

    /// Organisation id.
    public var organisation: String
    /// The organisation's zone.
    public var timezone: String
    /// Policy id.
    public var policy: String
    /// Policy name.
    public var name: String
    /// The instant, ISO 8601 in the organisation's zone.
    public var at: String
    /// The instant for people: `Mon 2026-03-09 10:00 MDT`.
    public var atDisplay: String
    /// The incident's fields as given.
    public var fields: [String: String]
    /// The layers, in order.
    public var layers: [Layer]
    /// Other things worth knowing: missing required fields, repeats.
    public var notes: [String]
}
