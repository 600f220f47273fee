/// Where a node starts: line and column from 1, the column counted in Unicode scalars (libyaml's mark plus one, as
/// Yams reports it).
struct YAMLMark: Hashable, Sendable, CustomStringConvertible {
    /// The line, from 1.
    let line: Int
    /// The column, from 1, in Unicode scalars.
    let column: Int

    var description: String { "\(line):\(column)" }
}
