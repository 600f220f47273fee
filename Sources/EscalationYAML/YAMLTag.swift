/// A node's resolved tag as `Yams.compose` with `Resolver.basic` gives it: an untagged (or `!`) scalar is `str`, an
/// untagged collection `seq` or `map`, any other tag as libyaml resolved it. Kept as an index into its document's
/// tag names; the common tags have fixed indices, so comparing them compares two integers.
public struct YAMLTag: Hashable, Sendable {
    /// The index in `YAMLDocument.tagNames`.
    public let index: UInt32

    @usableFromInline init(index: UInt32) { self.index = index }

    /// `tag:yaml.org,2002:str`.
    @inlinable public static var str: YAMLTag { YAMLTag(index: 0) }
    /// `tag:yaml.org,2002:seq`.
    @inlinable public static var seq: YAMLTag { YAMLTag(index: 1) }
    /// `tag:yaml.org,2002:map`.
    @inlinable public static var map: YAMLTag { YAMLTag(index: 2) }
    /// `tag:yaml.org,2002:null`.
    @inlinable public static var null: YAMLTag { YAMLTag(index: 3) }
    /// `tag:yaml.org,2002:merge`.
    @inlinable public static var merge: YAMLTag { YAMLTag(index: 4) }
    /// `tag:yaml.org,2002:int`.
    @inlinable public static var int: YAMLTag { YAMLTag(index: 5) }
    /// `tag:yaml.org,2002:bool`.
    @inlinable public static var bool: YAMLTag { YAMLTag(index: 6) }
    /// `tag:yaml.org,2002:float`.
    @inlinable public static var float: YAMLTag { YAMLTag(index: 7) }
    /// `tag:yaml.org,2002:timestamp`.
    @inlinable public static var timestamp: YAMLTag { YAMLTag(index: 8) }
    /// `tag:yaml.org,2002:value`.
    @inlinable public static var value: YAMLTag { YAMLTag(index: 9) }

    /// The names of the fixed tags, in index order.
    public static let fixedNames = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge",
        "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:value",
    ]
}
