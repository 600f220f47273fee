import EscalationEngine
import Foundation

/// Where a listing of incidents goes on from: the incidents older than the last one a page returned.
/// Its `token` is opaque to clients (`GET /v1/incidents?cursor=…`).
public struct IncidentCursor: Sendable, Hashable {
    /// The store's position of the last incident returned (incidents are listed by descending position).
    public var position: Int64

    /// A cursor after a store position.
    public init(position: Int64) { self.position = position }

    private static let prefix = "i1:"

    /// The opaque text form handed to clients.
    public var token: String {
        Data((Self.prefix + String(position)).utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Reads a cursor from its text form; nil when the text is not a cursor this store made.
    public init?(token: String) {
        guard !token.isEmpty, token.count <= 64, token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8), text.hasPrefix(Self.prefix),
            let position = Int64(text.dropFirst(Self.prefix.count)), position > 0
        else { return nil }
        self.position = position
    }
}

/// Which incidents to list: an organisation's (all when nil), optionally of one status, after a cursor, at most `limit`.
public struct IncidentQuery: Sendable, Hashable {
    /// The organisation (nil: every organisation).
    public var organisation: String?
    /// Only incidents with this status (nil: any).
    public var status: IncidentState.Status?
    /// Start after this cursor (nil: from the newest).
    public var after: IncidentCursor?
    /// At most this many (at least 1).
    public var limit: Int

    /// Creates a query.
    public init(organisation: String?, status: IncidentState.Status? = nil, after: IncidentCursor? = nil, limit: Int) {
        self.organisation = organisation
        self.status = status
        self.after = after
        self.limit = max(1, limit)
    }
}

/// One page of a listing, newest first, and where the next page starts (nil when this is the last).
public struct IncidentPage: Sendable {
    /// The incidents, newest first.
    public var incidents: [StoredIncident]
    /// The cursor of the next page, or nil.
    public var next: IncidentCursor?

    /// Creates a page.
    public init(incidents: [StoredIncident], next: IncidentCursor?) {
        self.incidents = incidents
        self.next = next
    }
}

/// A channel of an organisation: the unit deliveries are bounded by, so one channel cannot take another's slots.
public struct DeliveryChannel: Sendable, Hashable, CustomStringConvertible {
    /// Organisation id.
    public var organisation: String
    /// Channel id within the organisation.
    public var channel: String

    /// Creates a key.
    public init(organisation: String, channel: String) {
        self.organisation = organisation
        self.channel = channel
    }

    /// The channel of an outbox item.
    public init(_ item: OutboxItem) { self.init(organisation: item.organisation, channel: item.channel) }

    /// `organisation/channel`.
    public var description: String { "\(organisation)/\(channel)" }
}

/// How many deliveries one claim may take: in all, and per organisation and channel given those already in flight.
public struct DeliveryBudget: Sendable {
    /// At most this many in all.
    public var total: Int
    /// At most this many in flight per channel (nil: no bound per channel).
    public var perChannel: Int?
    /// Deliveries already in flight per channel.
    public var inFlight: [DeliveryChannel: Int]

    /// Creates a budget.
    public init(total: Int, perChannel: Int? = nil, inFlight: [DeliveryChannel: Int] = [:]) {
        self.total = total
        self.perChannel = perChannel
        self.inFlight = inFlight
    }

    /// How many more a channel may start.
    public func room(for channel: DeliveryChannel) -> Int {
        guard let perChannel else { return total }
        return max(0, perChannel - inFlight[channel, default: 0])
    }

    /// A running selection under this budget (stores feed it candidates in claim order).
    public func selection() -> Selection { Selection(budget: self) }

    /// Candidates taken so far under a budget: at most `total`, and per channel at most its room.
    public struct Selection: Sendable {
        let budget: DeliveryBudget
        var taken: [DeliveryChannel: Int] = [:]
        /// How many were taken.
        public private(set) var count = 0

        /// Whether the budget is used up (stop looking).
        public var isFull: Bool { count >= budget.total }

        /// Takes a candidate of a channel if it fits; returns whether it did.
        public mutating func take(_ channel: DeliveryChannel) -> Bool {
            guard !isFull, taken[channel, default: 0] < budget.room(for: channel) else { return false }
            taken[channel, default: 0] += 1
            count += 1
            return true
        }
    }
}
