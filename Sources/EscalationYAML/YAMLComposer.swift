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

    private init() {}

    /// Composes the single document of `text` (nil root for a stream with none).
    public static func compose(_ text: String) throws(YAMLError) -> YAMLDocument {
        // Offsets, counts, lines and columns are kept as Int32; a scalar's text is at most 1.5 times what it was
        // written with (`\L` is three bytes), so up to 1 GiB of text fits.
        guard text.utf8.count <= maximumBytes else { throw .tooLarge }
        var composer = YAMLComposer()
        // Room for what a policy file needs (about one node per 24 bytes, scalars' text at most the text's size), so
        // that the arrays are not grown and copied while composing.
        let size = text.utf8.count
        composer.records.reserveCapacity(size / 16 + 16)
        composer.children.reserveCapacity(size / 16 + 16)
        composer.bytes.reserveCapacity(size)
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
        return YAMLDocument(records: composer.records, bytes: composer.bytes, children: composer.children, tagNames: composer.tagNames, root: root)
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
            root = try add(&event)
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
    private mutating func add(_ event: inout yaml_event_t) throws(YAMLError) -> Int32? {
        var done: Int32
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor)
            guard let name, let target = anchors[name] else {
                throw .composer(context: nil, problem: "found undefined alias", mark: Self.mark(event.start_mark))
            }
            done = target
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let start = bytes.count
            if scalar.length > 0, let value = scalar.value {
                bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: scalar.length))
            }
            let tag: YAMLTag
            if scalar.quoted_implicit == 1 {
                tag = .str
            } else {
                tag = self.tag(scalar.tag, implicit: .str)
            }
            done = Int32(records.count)
            records.append(
                YAMLDocument.Record(
                    kind: .scalar, style: UInt8(truncatingIfNeeded: scalar.style.rawValue), tagWritten: Self.isWritten(scalar.tag), tag: tag,
                    line: Int32(event.start_mark.line + 1),
                    column: Int32(event.start_mark.column + 1), start: Int32(start), count: Int32(scalar.length)))
            if let anchor = Self.string(scalar.anchor) { anchors[anchor] = done }
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let sequence = event.type == YAML_SEQUENCE_START_EVENT
            let start = event.data.sequence_start
            let mapping = event.data.mapping_start
            let implicit = sequence ? start.implicit != 0 : mapping.implicit != 0
            let tag = implicit ? (sequence ? YAMLTag.seq : .map) : self.tag(sequence ? start.tag : mapping.tag, implicit: sequence ? .seq : .map)
            let index = Int32(records.count)
            records.append(
                YAMLDocument.Record(
                    kind: sequence ? .sequence : .mapping,
                    style: UInt8(truncatingIfNeeded: sequence ? start.style.rawValue : mapping.style.rawValue), tagWritten: !implicit && Self.isWritten(sequence ? start.tag : mapping.tag), tag: tag,
                    line: Int32(event.start_mark.line + 1), column: Int32(event.start_mark.column + 1), start: 0, count: 0))
            open.append(Open(record: index, firstChild: pending.count, anchor: Self.string(sequence ? start.anchor : mapping.anchor)))
            return nil
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
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
        default:
            return nil
        }
        if open.isEmpty { return done }
        pending.append(done)
        return nil
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
