import EscalationCore

extension SplitMix64 {
    /// The text of a random YAML mapping of one to six lines, each key at most once (a repeat is skipped): keys drawn
    /// from `keys`, each value written by `value` (which may draw from the same generator).
    mutating func mappingText(keys: [String], value: (String, inout SplitMix64) -> String) -> String {
        var seen = Set<String>()
        var text = ""
        for _ in 0..<(1 + Int(next() % 6)) {
            let key = keys[Int(next() % UInt64(keys.count))]
            guard seen.insert(key).inserted else { continue }
            text += "\(key): \(value(key, &self))\n"
        }
        return text
    }
}
