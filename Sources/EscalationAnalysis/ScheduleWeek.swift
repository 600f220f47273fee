import EscalationCore
import Foundation

/// Who a schedule resolves to over seven local days, day by day, as consecutive stretches (nobody included).
public struct ScheduleWeek: Sendable, Hashable {
    /// One stretch of a day with the same person on call (or nobody).
    public struct Stretch: Sendable, Hashable {
        /// The instants it covers.
        public var span: TimeSpan
        /// `09:00–17:00`, local.
        public var label: String
        /// The contact's display name (nil: nobody is on call).
        public var name: String?
    }

    /// One local day.
    public struct Day: Sendable, Hashable {
        /// `Mon 2026-03-02`.
        public var label: String
        /// Its stretches, in order.
        public var stretches: [Stretch]
    }

    /// Schedule id.
    public var schedule: String
    /// Schedule name.
    public var name: String
    /// The seven days.
    public var days: [Day]

    /// Creates a value from its parts.
    public init(schedule: String, name: String, days: [Day]) {
        self.schedule = schedule
        self.name = name
        self.days = days
    }
}
