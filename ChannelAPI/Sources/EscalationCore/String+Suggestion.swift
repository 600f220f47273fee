extension String {
    /// The Levenshtein distance to another string, in characters.
    public func editDistance(to other: String) -> Int {
        let lhs = Array(self)
        let rhs = Array(other)
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: rhs.count)
            for (j, right) in rhs.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            previous = current
        }
        return previous[rhs.count]
    }

    /// The closest candidate within a third of this string's length (at least 2 edits), if any.
    public func closest(in candidates: some Sequence<String>) -> String? {
        let limit = Swift.max(2, count / 3)
        return candidates
            .map { ($0, editDistance(to: $0)) }
            .filter { $0.1 <= limit }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// ` (did you mean 'x'?)` for the closest candidate, or an empty string.
    public func didYouMean(_ candidates: some Sequence<String>) -> String {
        closest(in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
