import EscalationCore
import EscalationSimulator

/// The random organisations draw from the seeded generator (SplitMix64, in EscalationCore), so each is reproducible.
typealias CoverageRandom = SplitMix64

extension SplitMix64 {
    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension String {
    /// The string padded on the left with zeros to `width` characters.
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
