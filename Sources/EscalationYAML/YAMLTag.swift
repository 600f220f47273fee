/// A node's resolved tag as `Yams.compose` with `Resolver.basic` gives it: an untagged (or `!`) scalar is `str`, an
/// untagged collection `seq` or `map`, any other tag as libyaml resolved it. Kept as an index into its document's
/// tag names; the common tags have fixed indices, so comparing them compares two integers.
public struct YAMLTag: Hashable, Sendable {
    /// The index in `YAMLDocument.tagNames`.
    public let index: UInt32

    @usableFromInline init(index: UInt32) { self.index = index }

    /// `tag:yaml.org,2002:str`.
    public static let str = YAMLTag(index: 0)
    /// `tag:yaml.org,2002:seq`.
    public static let seq = YAMLTag(index: 1)
    /// `tag:yaml.org,2002:map`.
    public static let map = YAMLTag(index: 2)
    /// `tag:yaml.org,2002:null`.
    public static let null = YAMLTag(index: 3)
    /// `tag:yaml.org,2002:merge`.
    public static let merge = YAMLTag(index: 4)
    /// `tag:yaml.org,2002:int`.
    public static let int = YAMLTag(index: 5)
    /// `tag:yaml.org,2002:bool`.
    public static let bool = YAMLTag(index: 6)
    /// `tag:yaml.org,2002:float`.
    public static let float = YAMLTag(index: 7)
    /// `tag:yaml.org,2002:timestamp`.
    public static let timestamp = YAMLTag(index: 8)
    /// `tag:yaml.org,2002:value`.
    public static let value = YAMLTag(index: 9)

    /// The names of the fixed tags, in index order.
    public static let fixedNames = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge",
        "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:value",
    ]
}
