import EscalationCore

/// Open hours and holidays, used by `during`/`outside` conditions and business durations.
public struct BusinessCalendar: Sendable {
    /// The calendar id.
    public var id: Located<String>
    /// The zone, when it differs from the organisation's.
    public var timezone: Located<String>?
    /// The weekly open hours.
    public var hours: [OpenHours]
    /// Dates on which the calendar is closed all day.
    public var holidays: [Holiday]

    /// One weekly open interval: these days, from … to.
    public struct OpenHours: Sendable {
        /// The days it applies to.
        public var days: [Weekday]
        /// Opening time.
        public var from: TimeOfDay
        /// Closing time (after `from`).
        public var to: TimeOfDay
        /// Where it was written.
        public var location: SourceLocation
    }

    /// A closed date.
    public struct Holiday: Sendable {
        /// The date.
        public var date: LocalDate
        /// An optional name.
        public var name: String?
        /// Where it was written.
        public var location: SourceLocation
    }
}
