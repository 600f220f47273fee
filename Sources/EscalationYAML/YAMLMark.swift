/// Where a node starts: line and column from 1, the column counted in Unicode scalars (libyaml's mark plus one, as
/// Yams reports it).
public struct YAMLMark: Hashable, Sendable, CustomStringConvertible {
    /// The line, from 1.
    public let line: Int
    /// The column, from 1, in Unicode scalars.
    public let column: Int

    /// A mark at `line` and `column` (both from 1).
    @inlinable public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}
