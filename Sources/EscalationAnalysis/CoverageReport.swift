import EscalationGraph
import EscalationCore
import Foundation

/// The coverage of one policy over a range: the windows in which its first layer reaches nobody, and those in
/// which its whole ladder does. Encodes to the JSON of `escalate coverage`.
public struct CoverageReport: Sendable, Hashable, Encodable {
    /// Organisation id.
    public var organisation: String
    /// The organisation's zone, in which windows are shown.
    public var timezone: String
    /// Policy id.
    public var policy: String
    /// Policy name.
    public var name: String
    /// The range analysed.
    public var range: CoverageWindow
    /// Its length in local days.
    public var days: Int
    /// The first layer's id (nil: the policy has no layers).
    public var firstLayer: String?
    /// Windows in which the first layer reaches nobody (its `when` fails, or its targets resolve to nobody).
    public var firstLayerGaps: [CoverageWindow]
    /// Windows in which no layer reaches anyone.
    public var ladderGaps: [CoverageWindow]
    /// Assumptions made: field targets counted as reached, field conditions assumed to hold.
    public var notes: [String]

    /// Total seconds in which the first layer reaches nobody.
    public var firstLayerGapSeconds: Int { firstLayerGaps.map(\.span.seconds).reduce(0, +) }
    /// Total seconds in which the whole ladder reaches nobody.
    public var ladderGapSeconds: Int { ladderGaps.map(\.span.seconds).reduce(0, +) }

    enum CodingKeys: String, CodingKey {
        case organisation, timezone, policy, name, from, to, days, firstLayer, firstLayerGaps, firstLayerGapSeconds, ladderGaps
        case ladderGapSeconds, notes
    }

    /// Encodes the report with the range as `from`/`to` (ISO 8601 in the organisation's zone) and gap totals.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(organisation, forKey: .organisation)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(policy, forKey: .policy)
        try container.encode(name, forKey: .name)
        try container.encode(range.start, forKey: .from)
        try container.encode(range.end, forKey: .to)
        try container.encode(days, forKey: .days)
        try container.encodeIfPresent(firstLayer, forKey: .firstLayer)
        try container.encode(firstLayerGaps, forKey: .firstLayerGaps)
        try container.encode(firstLayerGapSeconds, forKey: .firstLayerGapSeconds)
        try container.encode(ladderGaps, forKey: .ladderGaps)
        try container.encode(ladderGapSeconds, forKey: .ladderGapSeconds)
        try container.encode(notes, forKey: .notes)
    }
}
