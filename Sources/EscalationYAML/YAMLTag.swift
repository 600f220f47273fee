/// A node's resolved tag as `Yams.compose` with `Resolver.basic` gives it: an untagged (or `!`) scalar is `str`, an
/// untagged collection `seq` or `map`, any other tag as libyaml resolved it. Kept as an index into its document's
/// tag names; the common tags have fixed indices, so comparing them compares two integers.
struct YAMLTag: Hashable, Sendable {
    /// The index in `YAMLDocument.tagNames`.
    let index: UInt32

    static let str = YAMLTag(index: 0)
    static let seq = YAMLTag(index: 1)
    static let map = YAMLTag(index: 2)
    static let null = YAMLTag(index: 3)
    static let merge = YAMLTag(index: 4)
    static let int = YAMLTag(index: 5)
    static let bool = YAMLTag(index: 6)
    static let float = YAMLTag(index: 7)
    static let timestamp = YAMLTag(index: 8)
    static let value = YAMLTag(index: 9)

    /// The names of the fixed tags, in index order.
    static let fixedNames = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge",
        "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:value",
    ]
}
