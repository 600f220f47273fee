import EscalationCore
import Foundation

/// An on-call rotation with overrides, evaluated exactly: who is on call at an instant, and over a span.
public struct CompiledSchedule: Codable, Sendable, Hashable {
    /// A temporary replacement during `[from, to)`.
    public struct Override: Codable, Sendable, Hashable {
        /// Who is on call instead.
        public var contact: String
        /// Start.
        public var from: Instant
        /// End.
        public var to: Instant

        /// An override.
        public init(contact: String, from: Instant, to: Instant) {
            self.contact = contact
            self.from = from
            self.to = to
        }
    }

    /// Id.
    public var id: String
    /// Display name.
    public var name: String
    /// IANA zone of hand-offs.
    public var timezone: String
    /// Members in shift order.
    public var members: [String]
    /// Shift length in seconds; whole days hand off at the same local time across DST changes.
    public var shiftSeconds: Int
    /// The first hand-off, as written (local) and as an instant.
    public var start: Instant
    /// The rotation covers only this calendar's open hours.
    public var during: String?
    /// Overrides; a later one wins over an earlier one.
    public var overrides: [Override]

    /// Creates a value from its parts.
    public init(id: String, name: String, timezone: String, members: [String], shiftSeconds: Int, start: Instant, during: String? = nil, overrides: [Override]) {
        self.id = id
        self.name = name
        self.timezone = timezone
        self.members = members
        self.shiftSeconds = shiftSeconds
        self.start = start
        self.during = during
        self.overrides = overrides
    }

    var zone: TimeZone { ZonedTime.zone(timezone) ?? ZonedTime.utc }

    /// The start of shift `k` (k may be negative).
    public func shiftStart(_ k: Int) -> Instant {
        if shiftSeconds % 86_400 == 0 {
            let local = ZonedTime.local(start, in: zone)
            return ZonedTime.instant(local.date.adding(days: k * shiftSeconds / 86_400), minutes: local.minutes, in: zone)
                .adding(seconds: local.second)
        }
        return start.adding(seconds: k * shiftSeconds)
    }

    /// The index of the shift holding an instant.
    public func shiftIndex(at instant: Instant) -> Int {
        let elapsed = instant.seconds(since: start)
        var k = elapsed >= 0 ? elapsed / shiftSeconds : -((-elapsed + shiftSeconds - 1) / shiftSeconds)
        while shiftStart(k) > instant { k -= 1 }
        while shiftStart(k + 1) <= instant { k += 1 }
        return k
    }

    /// Why someone is on call.
    public enum Reason: Sendable, Hashable {
        /// An override from … to.
        case override(from: Instant, to: Instant)
        /// Shift k of the rotation, from … to.
        case rotation(shift: Int, from: Instant, to: Instant)
    }

    /// Who is on call at an instant, and why; nil when nobody is (outside `during`, or no members).
    public func onCall(at instant: Instant, calendars: [CompiledCalendar]) -> (contact: String, reason: Reason)? {
        onCall(at: instant) { id in calendars.first { $0.id == id }?.isOpen(at: instant) }
    }

    /// `onCall(at:calendars:)`, told by `duringIsOpen` whether the calendar with an id is open at the instant (nil: no
    /// such calendar, which does not restrict the rotation).
    public func onCall(at instant: Instant, duringIsOpen: (String) -> Bool?) -> (contact: String, reason: Reason)? {
        switch turn(at: instant, duringIsOpen: duringIsOpen, shiftIndex: shiftIndex(at:)) {
        case .none: return nil
        case .override(let override): return (override.contact, .override(from: override.from, to: override.to))
        case .shift(let k): return (member(ofShift: k), .rotation(shift: k, from: shiftStart(k), to: shiftStart(k + 1)))
        }
    }

    /// Who `onCall(at:duringIsOpen:)` gives, without why (so without the shift's bounds), with the index of the shift
    /// holding an instant told by `shiftIndex` (which must answer as `shiftIndex(at:)`).
    public func contactOnCall(at instant: Instant, duringIsOpen: (String) -> Bool?, shiftIndex: (Instant) -> Int) -> String? {
        switch turn(at: instant, duringIsOpen: duringIsOpen, shiftIndex: shiftIndex) {
        case .none: return nil
        case .override(let override): return override.contact
        case .shift(let k): return member(ofShift: k)
        }
    }

    /// Whose turn it is at an instant: an override's, or shift k's; nil when nobody's.
    private enum Turn {
        case override(Override)
        case shift(Int)
    }

    private func turn(at instant: Instant, duringIsOpen: (String) -> Bool?, shiftIndex: (Instant) -> Int) -> Turn? {
        if let override = overrides.last(where: { $0.from <= instant && instant < $0.to }) { return .override(override) }
        guard !members.isEmpty, shiftSeconds > 0 else { return nil }
        if let during, duringIsOpen(during) == false { return nil }
        return .shift(shiftIndex(instant))
    }

    /// The member on call in shift k.
    private func member(ofShift k: Int) -> String { members[((k % members.count) + members.count) % members.count] }

    /// Who is on call over `[from, to)`, as consecutive segments (nil contact = nobody).
    public func coverage(from: Instant, to: Instant, calendars: [CompiledCalendar]) -> [(contact: String?, span: TimeSpan)] {
        guard from < to else { return [] }
        var cuts: Set<Instant> = [from, to]
        if shiftSeconds > 0, !members.isEmpty {
            var k = shiftIndex(at: from)
            while shiftStart(k) < to {
                if shiftStart(k) > from { cuts.insert(shiftStart(k)) }
                k += 1
            }
        }
        for override in overrides {
            for edge in [override.from, override.to] where edge > from && edge < to { cuts.insert(edge) }
        }
        if let during, let calendar = calendars.first(where: { $0.id == during }) {
            for span in calendar.openSpans(from: from, to: to) {
                for edge in [span.start, span.end] where edge > from && edge < to { cuts.insert(edge) }
            }
        }
        let ordered = cuts.sorted()
        var segments: [(contact: String?, span: TimeSpan)] = []
        for (start, end) in zip(ordered, ordered.dropFirst()) {
            let who = onCall(at: start, calendars: calendars)?.contact
            if let last = segments.last, last.contact == who, last.span.end == start {
                segments[segments.count - 1].span.end = end
            } else {
                segments.append((who, TimeSpan(start: start, end: end)))
            }
        }
        return segments
    }
}
