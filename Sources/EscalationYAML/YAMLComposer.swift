import CYaml

/// Composes YAML text into a `YAMLDocument` over libyaml's event API, giving what `Yams.compose(yaml:_:_:_:)` gives
/// with `Resolver.basic` and UTF-8 (the loader's call before): the same nodes, texts, styles, resolved tags and marks,
/// aliases resolved to the node their anchor names (an anchor counts once its node is complete; a later anchor of the
/// same name replaces it), the same duplicate-key check when a mapping ends, and the same errors at the same event:
/// libyaml's reader, scanner and parser errors with its problem, context and marks, "found undefined alias", and a
/// second document ("expected a single document in the stream"). Nodes live in flat arrays rather than Yams' tree
/// of enums, tags and anchors, which was most of the loader's time.
public struct YAMLComposer {
    /// A collection whose end event has not come yet.
    private struct Open {
        let record: Int32
        /// Where its children start in `pending`.
        let firstChild: Int
        let anchor: String?
    }

    /// The largest text composed, in bytes (1 GiB).
    public static let maximumBytes = 1 << 30

    private var records: [YAMLDocument.Record] = []
    private var bytes: [UInt8] = []
    private var children: [Int32] = []
    private var tagNames = YAMLTag.fixedNames
    /// The tags found that are not fixed, by name.
    private var tagIndex: [String: YAMLTag] = [:]
    private var anchors: [String: Int32] = [:]
    /// The children of the open collections, innermost last.
    private var pending: [Int32] = []
    private var open: [Open] = []

    /// The fixed tags by name, built once.
    private static let fixedTags: [String: YAMLTag] = Dictionary(
        uniqueKeysWithValues: YAMLTag.fixedNames.enumerated().map { ($1, YAMLTag(index: UInt32($0))) })

    /// Composes the single document of `text` (nil root for a stream with none). `YAMLFastScanner` reads it first;
    /// whenever it meets anything outside its subset of YAML, or anything that may be an error, libyaml composes the
    /// whole text, so every error and its wording comes from libyaml.
    public static func compose(_ text: String) throws(YAMLError) -> YAMLDocument {
        // Offsets, counts, lines and columns are kept as Int32; a scalar's text is at most 1.5 times what it was
        // written with (`\L` is three bytes), so up to 1 GiB of text fits.
        guard text.utf8.count <= maximumBytes else { throw .tooLarge }
        if let document = composeFast(text) { return document }
        return try composeWithLibYAML(text)
    }

    /// The document by `YAMLFastScanner` alone; nil when it declines the text.
    static func composeFast(_ text: String) -> YAMLDocument? {
        guard text.utf8.count <= maximumBytes else { return nil }
        var text = text
        return text.withUTF8 { buffer in
            var scanner = YAMLFastScanner(text: buffer, composer: YAMLComposer(reservingFor: buffer.count))
            guard let root = scanner.run() else { return nil }
            return scanner.composer.document(root: YAMLNode(index: root))
        }
    }

    /// The document by libyaml alone (the fast scanner not asked).
    static func composeWithLibYAML(_ text: String) throws(YAMLError) -> YAMLDocument {
        guard text.utf8.count <= maximumBytes else { throw .tooLarge }
        var composer = YAMLComposer(reservingFor: text.utf8.count)
        var text = text
        let result: Result<YAMLNode?, YAMLError> = text.withUTF8 { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .failure(.memory) }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            // libyaml wants a pointer even for no bytes.
            let empty: [UInt8] = [0]
            return empty.withUnsafeBufferPointer { zero in
                yaml_parser_set_input_string(&parser, buffer.baseAddress ?? zero.baseAddress, buffer.count)
                do throws(YAMLError) {
                    return .success(try composer.run(&parser))
                } catch {
                    return .failure(error)
                }
            }
        }
        let root = try result.get()
        return composer.document(root: root)
    }

    /// A composer with room for what a policy file of `size` bytes needs (about one node per 24 bytes, scalars' text
    /// at most the text's size), so that the arrays are not grown and copied while composing.
    init(reservingFor size: Int) {
        records.reserveCapacity(size / 16 + 16)
        children.reserveCapacity(size / 16 + 16)
        bytes.reserveCapacity(size)
    }

    /// The composed document.
    func document(root: YAMLNode?) -> YAMLDocument {
        YAMLDocument(records: records, bytes: bytes, children: children, tagNames: tagNames, root: root)
    }

    /// The event loop: stream start, then nothing or one document, then stream end.
    private mutating func run(_ parser: inout yaml_parser_t) throws(YAMLError) -> YAMLNode? {
        var event = yaml_event_t()
        try Self.parse(&parser, &event)  // stream start
        yaml_event_delete(&event)
        try Self.parse(&parser, &event)
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { return nil }
        // A document start; then its root node's events.
        var root: Int32?
        while root == nil {
            yaml_event_delete(&event)
            try Self.parse(&parser, &event)
            root = try add(Self.event(&event))
        }
        yaml_event_delete(&event)
        try Self.parse(&parser, &event)  // document end
        yaml_event_delete(&event)
        try Self.parse(&parser, &event)
        if event.type != YAML_STREAM_END_EVENT {
            throw .composer(
                context: YAMLError.Context(text: "expected a single document in the stream", mark: YAMLMark(line: 1, column: 1)),
                problem: "but found another document", mark: Self.mark(event.start_mark))
        }
        return root.map { YAMLNode(index: $0) }
    }

    /// Adds one node event; returns the node when it completes the root.
    mutating func add(_ event: YAMLEvent) throws(YAMLError) -> Int32? {
        var done: Int32
        switch event.kind {
        case .alias:
            guard let target = anchors[String(decoding: event.value, as: UTF8.self)] else {
                throw .composer(context: nil, problem: "found undefined alias", mark: YAMLMark(line: event.line + 1, column: event.column + 1))
            }
            done = target
        case .scalar:
            let start = bytes.count
            if event.value.count > 0 { bytes.append(contentsOf: event.value) }
            let tag = event.implicit ? YAMLTag.str : self.tag(event.tag, implicit: .str)
            done = Int32(records.count)
            records.append(
                YAMLDocument.Record(
                    kind: .scalar, style: event.style, tagWritten: Self.isWritten(event.tag), tag: tag, line: Int32(event.line + 1),
                    column: Int32(event.column + 1), start: Int32(start), count: Int32(event.value.count)))
            if let anchor = event.anchor { anchors[String(decoding: anchor, as: UTF8.self)] = done }
        case .sequenceStart, .mappingStart:
            let sequence = event.kind == .sequenceStart
            let tag = event.implicit ? (sequence ? YAMLTag.seq : .map) : self.tag(event.tag, implicit: sequence ? .seq : .map)
            let index = Int32(records.count)
            records.append(
                YAMLDocument.Record(
                    kind: sequence ? .sequence : .mapping, style: event.style, tagWritten: !event.implicit && Self.isWritten(event.tag), tag: tag,
                    line: Int32(event.line + 1), column: Int32(event.column + 1), start: 0, count: 0))
            open.append(Open(record: index, firstChild: pending.count, anchor: event.anchor.map { String(decoding: $0, as: UTF8.self) }))
            return nil
        case .sequenceEnd, .mappingEnd:
            guard let collection = open.popLast() else { return nil }
            let first = children.count
            children.append(contentsOf: pending[collection.firstChild...])
            let childCount = pending.count - collection.firstChild
            pending.removeSubrange(collection.firstChild...)
            let isMapping = records[Int(collection.record)].kind == .mapping
            records[Int(collection.record)].start = Int32(first)
            records[Int(collection.record)].count = Int32(isMapping ? childCount / 2 : childCount)
            if isMapping { try checkDuplicates(YAMLNode(index: collection.record)) }
            if let anchor = collection.anchor { anchors[anchor] = collection.record }
            done = collection.record
        case .other:
            return nil
        }
        if open.isEmpty { return done }
        pending.append(done)
        return nil
    }

    /// libyaml's event as the composer takes it (its buffers stay libyaml's, valid until the event is deleted).
    @inline(__always) private static func event(_ event: inout yaml_event_t) -> YAMLEvent {
        let line = Int(event.start_mark.line)
        let column = Int(event.start_mark.column)
        switch event.type {
        case YAML_ALIAS_EVENT:
            return YAMLEvent(kind: .alias, line: line, column: column, value: bytes(event.data.alias.anchor) ?? UnsafeBufferPointer(start: nil, count: 0))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = scalar.length > 0 && scalar.value != nil
                ? UnsafeBufferPointer(start: scalar.value, count: scalar.length) : UnsafeBufferPointer(start: nil, count: 0)
            return YAMLEvent(
                kind: .scalar, style: UInt8(truncatingIfNeeded: scalar.style.rawValue), line: line, column: column, value: value,
                anchor: bytes(scalar.anchor), tag: scalar.tag, implicit: scalar.quoted_implicit == 1)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return YAMLEvent(
                kind: .sequenceStart, style: UInt8(truncatingIfNeeded: start.style.rawValue), line: line, column: column,
                anchor: bytes(start.anchor), tag: start.tag, implicit: start.implicit != 0)
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return YAMLEvent(
                kind: .mappingStart, style: UInt8(truncatingIfNeeded: start.style.rawValue), line: line, column: column,
                anchor: bytes(start.anchor), tag: start.tag, implicit: start.implicit != 0)
        case YAML_SEQUENCE_END_EVENT: return YAMLEvent(kind: .sequenceEnd)
        case YAML_MAPPING_END_EVENT: return YAMLEvent(kind: .mappingEnd)
        default: return YAMLEvent(kind: .other)
        }
    }

    /// A C string from libyaml (an anchor's name) as its bytes, without the terminating zero.
    private static func bytes(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer else { return nil }
        var count = 0
        while pointer[count] != 0 { count += 1 }
        return UnsafeBufferPointer(start: pointer, count: count)
    }

    /// The interned tag of a written tag (`!` and none resolve to `implicit`, as Yams' `Resolver.basic` does).
    private mutating func tag(_ pointer: UnsafeMutablePointer<yaml_char_t>?, implicit: YAMLTag) -> YAMLTag {
        guard let name = Self.string(pointer), name != "!" else { return implicit }
        if let known = Self.fixedTags[name] ?? tagIndex[name] { return known }
        // At most one tag per byte of a text of at most `maximumBytes`, so the count fits.
        let tag = YAMLTag(index: UInt32(tagNames.count))
        tagNames.append(name)
        tagIndex[name] = tag
        return tag
    }

    /// Whether libyaml reports a written tag other than the non-specific `!` (which, as for Yams and PyYAML, leaves a
    /// plain scalar to be resolved by its look).
    private static func isWritten(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> Bool {
        guard let pointer, pointer[0] != 0 else { return false }
        return !(pointer[0] == UInt8(ascii: "!") && pointer[1] == 0)
    }

    /// Throws Yams' `duplicatedKeysInMapping` for a mapping with keys equal as Yams' `Node` compares them.
    private func checkDuplicates(_ mapping: YAMLNode) throws(YAMLError) {
        let record = records[Int(mapping.index)]
        guard record.count > 1 else { return }
        if record.count <= 16, asciiKeysDiffer(record) { return }
        let document = YAMLDocument(records: records, bytes: bytes, children: children, tagNames: tagNames, root: nil)
        guard let duplicates = YAMLKeys.duplicates(in: mapping, of: document) else { return }
        throw .duplicatedKeys(keys: duplicates.keys, mark: duplicates.mark)
    }

    /// Whether a mapping's keys are all ASCII scalars that differ in text or tag, compared byte by byte: then no two
    /// are equal as Swift compares strings either, and no key text need be made (nearly every mapping).
    private func asciiKeysDiffer(_ record: YAMLDocument.Record) -> Bool {
        let first = Int(record.start)
        let count = Int(record.count)
        return records.withUnsafeBufferPointer { records in
            bytes.withUnsafeBufferPointer { bytes in
                for pair in 0..<count {
                    let key = records[Int(children[first + 2 * pair])]
                    guard key.kind == .scalar else { return false }
                    for index in Int(key.start)..<Int(key.start + key.count) where bytes[index] >= 0x80 { return false }
                    for other in 0..<pair {
                        let earlier = records[Int(children[first + 2 * other])]
                        guard earlier.count == key.count, earlier.tag == key.tag else { continue }
                        var same = true
                        for offset in 0..<Int(key.count) where bytes[Int(key.start) + offset] != bytes[Int(earlier.start) + offset] {
                            same = false
                            break
                        }
                        if same { return false }
                    }
                }
                return true
            }
        }
    }

    private static func parse(_ parser: inout yaml_parser_t, _ event: inout yaml_event_t) throws(YAMLError) {
        guard yaml_parser_parse(&parser, &event) == 1 else { throw error(parser) }
    }

    /// Yams' `YamlError(from:with:)` for libyaml's error state.
    private static func error(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? ""
        let context = parser.context.map { YAMLError.Context(text: String(cString: $0), mark: mark(parser.context_mark)) }
        switch parser.error {
        case YAML_READER_ERROR: return .reader(problem: problem, offset: Int(parser.problem_offset), value: parser.problem_value)
        case YAML_SCANNER_ERROR: return .scanner(context: context, problem: problem, mark: mark(parser.problem_mark))
        case YAML_PARSER_ERROR: return .parser(context: context, problem: problem, mark: mark(parser.problem_mark))
        case YAML_COMPOSER_ERROR: return .composer(context: context, problem: problem, mark: mark(parser.problem_mark))
        default: return .memory
        }
    }

    private static func mark(_ mark: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// A C string from libyaml (an anchor or tag), decoded as Yams decodes it (invalid bytes repaired).
    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String.decodeCString(pointer, as: UTF8.self, repairingInvalidCodeUnits: true)?.result
    }
}
