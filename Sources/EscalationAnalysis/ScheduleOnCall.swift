import EscalationCore
import Foundation

/// Who a schedule resolves to at an instant (rotation shift or override), or why nobody is on call.
public struct ScheduleOnCall: Sendable, Hashable {
    /// Schedule id.
    public var schedule: String
    /// Schedule name.
    public var name: String
    /// The contact on call (nil: nobody).
    public var contact: String?
    /// The contact's display name (nil: nobody).
    public var contactName: String?
    /// `rotation shift 8` or `override`, or why nobody is on call.
    public var reason: String
    /// Until when this lasts, for people (nil: nobody on call, or unknown).
    public var until: String?

    /// Creates a value from its parts.
    public init(schedule: String, name: String, contact: String?, contactName: String?, reason: String, until: String?) {
        self.schedule = schedule
        self.name = name
        self.contact = contact
        self.contactName = contactName
        self.reason = reason
        self.until = until
    }
}
