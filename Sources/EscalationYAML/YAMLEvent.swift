import CYaml

/// One node event as the composer takes it, from libyaml's parser or from `YAMLFastScanner`: a scalar (value bytes,
/// style, anchor, tag), the start or end of a sequence or mapping (style, anchor, tag), or an alias (its name in
/// `value`). Marks are libyaml's (line and column from 0). The buffers point into the source's own storage and are
/// valid only while `YAMLComposer.add(_:)` runs.
struct YAMLEvent {
    /// What the event is; `other` for libyaml's stream and document events, which add no node.
    enum Kind: UInt8 {
        case scalar, sequenceStart, mappingStart, sequenceEnd, mappingEnd, alias, other
    }

    var kind: Kind
    /// libyaml's style number (a scalar's `YAMLNode.Style`; block 1 or flow 2 for a collection).
    var style: UInt8 = 0
    var line: Int = 0
    var column: Int = 0
    /// A scalar's value bytes, or an alias's anchor name.
    var value = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The anchor's name, if one was written.
    var anchor: UnsafeBufferPointer<UInt8>?
    /// libyaml's tag, a C string (nil when none was written; the fast scanner declines tags).
    var tag: UnsafeMutablePointer<yaml_char_t>?
    /// For a scalar, libyaml's `quoted_implicit`; for a collection start, its `implicit`.
    var implicit = false
}
