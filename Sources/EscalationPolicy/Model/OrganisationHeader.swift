import EscalationCore

/// The `organisation:` section: identity, zone and calendars.
public struct OrganisationHeader: Sendable {
    /// The organisation id.
    public var id: Located<String>
    /// The display name.
    public var name: Located<String>
    /// The IANA timezone name.
    public var timezone: Located<String>
    /// The calendar used for business durations when none is named.
    public var defaultCalendar: Located<String>?
    /// Business-hours calendars.
    public var calendars: [BusinessCalendar]
    /// Where the section starts.
    public var location: SourceLocation
}
