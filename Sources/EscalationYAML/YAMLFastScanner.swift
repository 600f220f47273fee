/// A hand-written reader for the YAML that policies are written in, feeding the same node events libyaml's parser
/// gives (values, styles, anchors, libyaml's start marks) to `YAMLComposer.add(_:)`. It reads a declared subset and
/// declines everything else, and anything that might be an error, so that libyaml composes the whole text instead:
///
/// - the text: printable ASCII and `\n` only (no tab, CR, byte order mark, control or non-ASCII byte anywhere, even in
///   comments); no `%` directive, `---` or `...` at the start of a line; a root that is a block mapping or sequence;
/// - block mappings whose keys are one-line plain or quoted scalars followed by `:` and a space or the line's end
///   (no `?` keys, no anchors, aliases or collections as keys); block sequences, compact ones (`- - a`,
///   `- a: 1`) and indentless ones under a key; empty values (`key:`, `-`);
/// - one-line plain scalars (a line more indented than its collection after a scalar, which would continue or break
///   it, is declined); one-line single- and double-quoted scalars with every escape libyaml knows; literal and folded
///   block scalars with chomping and indentation indicators, read by libyaml's own rules;
/// - one-line flow sequences and mappings, nested, without trailing commas, empty values, anchors or single pairs;
/// - anchors (`&a`) before a scalar, a flow collection or a block collection on the next lines, and aliases as values.
///
/// The composer's own errors (an undefined alias, repeated keys) also make it decline, so that the error comes with
/// libyaml's marks and at libyaml's event.
struct YAMLFastScanner {
    /// The reason to hand the text to libyaml.
    private struct Decline: Error {}

    /// A scalar read but not yet added: where it starts, its style, and its value (in the text or in `scratch`).
    private struct Scalar {
        var line: Int
        var column: Int
        var style: UInt8
        var start: Int
        var count: Int
        var inScratch: Bool
    }

    /// The block styles and the scalar styles, numbered as libyaml numbers them.
    private static let blockStyle: UInt8 = 1
    private static let flowStyle: UInt8 = 2
    private static let plain: UInt8 = 1
    private static let singleQuoted: UInt8 = 2
    private static let doubleQuoted: UInt8 = 3
    private static let literal: UInt8 = 4
    private static let folded: UInt8 = 5

    /// Deeper nesting is declined (libyaml has its own limit).
    private static let maximumDepth = 200
    /// Longer keys are declined (libyaml looks for a simple key's `:` within 1,024 characters).
    private static let maximumKeyLength = 1_000

    private let text: UnsafeBufferPointer<UInt8>
    private let end: Int
    private var position = 0
    private var line = 0
    private var lineStart = 0
    private var depth = 0
    /// Values that are not a slice of the text (escapes, block scalars).
    private var scratch: [UInt8] = []
    /// The composer the events go to.
    var composer: YAMLComposer

    init(text: UnsafeBufferPointer<UInt8>, composer: YAMLComposer) {
        self.text = text
        self.end = text.count
        self.composer = composer
    }

    /// Reads the whole text; the root's record, or nil when the text is declined.
    mutating func run() -> Int32? {
        do throws(Decline) {
            try nextContent()
            guard position < end else { throw Decline() }
            let root = try blockCollection(anchor: nil, markLine: line, markColumn: column)
            guard position == end, let root else { throw Decline() }
            return root
        } catch {
            declinedLine = line + 1
            return nil
        }
    }

    /// The line (from 1) where the scanner declined, for tests and diagnosis; 0 while it has not.
    private(set) var declinedLine = 0

    private var column: Int { position - lineStart }

    @inline(__always) private func byte(_ index: Int) -> UInt8 { index < end ? text[index] : 0 }

    /// Whether the byte at `index` is a space, a line break or the end (libyaml's blank-or-end, in the subset).
    @inline(__always) private func isBlankOrEnd(_ index: Int) -> Bool {
        index >= end || text[index] == 0x20 || text[index] == 0x0A
    }

    @inline(__always) private mutating func newline() {
        position += 1
        line += 1
        lineStart = position
    }

    // MARK: Lines

    /// Skips a comment from its `#` to the line's end. Besides printable ASCII, a comment may hold the characters
    /// libyaml reads as printable and not as a line break (no mark after it on its line depends on their count);
    /// anything else is declined.
    private mutating func skipComment() throws(Decline) {
        while position < end {
            let byte = text[position]
            if byte == 0x0A { return }
            if byte >= 0x20, byte < 0x7F {
                position += 1
                continue
            }
            guard byte >= 0xC2 else { throw Decline() }
            // The text is a Swift string, so its UTF-8 is valid: the lead byte gives the length.
            let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            guard position + length <= end else { throw Decline() }
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length { value = value << 6 | UInt32(text[position + offset] & 0x3F) }
            let printable = (value >= 0xA0 && value <= 0xD7FF && value != 0x2028 && value != 0x2029) || (value >= 0xE000 && value <= 0xFFFD)
                || value >= 0x10000
            guard printable else { throw Decline() }
            position += length
        }
    }

    /// After a node that ends its line: spaces, then a comment after at least one space, then the line's end.
    private mutating func restOfLine() throws(Decline) {
        let start = position
        while position < end, text[position] == 0x20 { position += 1 }
        guard position < end else { return }
        if text[position] == 0x23 {
            guard position > start else { throw Decline() }
            try skipComment()
        }
        guard position >= end || text[position] == 0x0A else { throw Decline() }
    }

    /// Moves to the next line's first character that is not a space and does not start a comment (or to the end),
    /// over blank and comment lines. Declines a document marker or directive there.
    private mutating func nextContent() throws(Decline) {
        while position < end {
            let byte = text[position]
            if byte == 0x20 {
                position += 1
            } else if byte == 0x0A {
                newline()
            } else if byte == 0x23 {
                try skipComment()
            } else {
                break
            }
        }
        guard position < end, position == lineStart else { return }
        let byte = text[position]
        if byte == 0x25 { throw Decline() }
        if byte == 0x2D || byte == 0x2E, position + 2 < end, text[position + 1] == byte, text[position + 2] == byte { throw Decline() }
    }

    // MARK: Events

    private mutating func emit(_ event: YAMLEvent) throws(Decline) -> Int32? {
        do throws(YAMLError) {
            return try composer.add(event)
        } catch {
            throw Decline()
        }
    }

    private func anchorBuffer(_ anchor: Range<Int>?) -> UnsafeBufferPointer<UInt8>? {
        guard let anchor else { return nil }
        return UnsafeBufferPointer(rebasing: text[anchor])
    }

    private mutating func emit(_ scalar: Scalar, anchor: Range<Int>?, markLine: Int, markColumn: Int) throws(Decline) -> Int32? {
        var event = YAMLEvent(kind: .scalar, style: scalar.style, line: markLine, column: markColumn, anchor: anchorBuffer(anchor))
        if scalar.inScratch {
            let count = scalar.count
            // A second reference for the call (no copy: the scanner does not write `scratch` while it is held).
            let buffer = scratch
            let result: Result<Int32?, Decline> = buffer.withUnsafeBufferPointer { buffer in
                event.value = UnsafeBufferPointer(rebasing: buffer[0..<count])
                do throws(Decline) {
                    return .success(try emit(event))
                } catch {
                    return .failure(error)
                }
            }
            return try result.get()
        }
        event.value = UnsafeBufferPointer(rebasing: text[scalar.start..<scalar.start + scalar.count])
        return try emit(event)
    }

    private mutating func emitEmpty(line: Int, column: Int) throws(Decline) -> Int32? {
        try emit(YAMLEvent(kind: .scalar, style: Self.plain, line: line, column: column))
    }

    private mutating func start(_ kind: YAMLEvent.Kind, style: UInt8, anchor: Range<Int>?, line: Int, column: Int) throws(Decline) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw Decline() }
        _ = try emit(YAMLEvent(kind: kind, style: style, line: line, column: column, anchor: anchorBuffer(anchor), implicit: true))
    }

    private mutating func finish(_ kind: YAMLEvent.Kind) throws(Decline) -> Int32? {
        depth -= 1
        return try emit(YAMLEvent(kind: kind))
    }

    // MARK: Block collections

    /// Whether the text at `position` is a block entry (`-` then a space, a line break or the end).
    private func isBlockEntry() -> Bool {
        position < end && text[position] == 0x2D && isBlankOrEnd(position + 1)
    }

    /// A block sequence or mapping starting at `position`, on a line of its own or after `- `; its mark is
    /// `markLine`/`markColumn` (an anchor's when one was written before it).
    private mutating func blockCollection(anchor: Range<Int>?, markLine: Int, markColumn: Int) throws(Decline) -> Int32? {
        if isBlockEntry() {
            return try blockSequence(indent: column, indentless: false, anchor: anchor, markLine: markLine, markColumn: markColumn)
        }
        guard let key = try scalar(flow: false), isKeyEnd() else { throw Decline() }
        return try blockMapping(indent: key.column, firstKey: key, anchor: anchor, markLine: markLine, markColumn: markColumn)
    }

    /// Whether a key just read ends with `:` and then a space, a line break or the end (and is short enough for
    /// libyaml to take it as a simple key).
    private func isKeyEnd() -> Bool {
        position < end && text[position] == 0x3A && isBlankOrEnd(position + 1)
    }

    /// A block mapping at column `indent` whose first key has been read (the position is at its `:`).
    private mutating func blockMapping(indent: Int, firstKey: Scalar, anchor: Range<Int>?, markLine: Int, markColumn: Int) throws(Decline)
        -> Int32?
    {
        try start(.mappingStart, style: Self.blockStyle, anchor: anchor, line: markLine, column: markColumn)
        var key = firstKey
        while true {
            guard column - key.column <= Self.maximumKeyLength else { throw Decline() }
            _ = try emit(key, anchor: nil, markLine: key.line, markColumn: key.column)
            position += 1  // the `:`
            try blockValue(indent: indent, emptyLine: line, emptyColumn: column)
            if position >= end || column < indent { break }
            guard column == indent, let next = try scalar(flow: false), isKeyEnd() else { throw Decline() }
            key = next
        }
        return try finish(.mappingEnd)
    }

    /// A block sequence at column `indent` (the position is at its first `-`). An indentless one (under a key, at the
    /// key's column) ends at a line of that column that is not an entry.
    private mutating func blockSequence(indent: Int, indentless: Bool, anchor: Range<Int>?, markLine: Int, markColumn: Int) throws(Decline)
        -> Int32?
    {
        try start(.sequenceStart, style: Self.blockStyle, anchor: anchor, line: markLine, column: markColumn)
        while true {
            position += 1  // the `-`
            try sequenceItem(indent: indent, emptyLine: line, emptyColumn: column)
            if position >= end || column < indent { break }
            guard column == indent else { throw Decline() }
            if !isBlockEntry() {
                guard indentless else { throw Decline() }
                break
            }
        }
        return try finish(.sequenceEnd)
    }

    /// A mapping's value after its `:` (in a mapping at column `indent`); ends at the next content.
    private mutating func blockValue(indent: Int, emptyLine: Int, emptyColumn: Int) throws(Decline) {
        while position < end, text[position] == 0x20 { position += 1 }
        if position >= end || text[position] == 0x0A || text[position] == 0x23 {
            // A `#` here follows a space (the `:` or `-` before needed one).
            if position < end, text[position] == 0x23 { try skipComment() }
            try nextContent()
            if position < end, column > indent {
                _ = try blockCollection(anchor: nil, markLine: line, markColumn: column)
            } else if position < end, column == indent, isBlockEntry() {
                _ = try blockSequence(indent: indent, indentless: true, anchor: nil, markLine: line, markColumn: column)
            } else {
                _ = try emitEmpty(line: emptyLine, column: emptyColumn)
            }
            return
        }
        try inlineNode(indent: indent, compact: false)
    }

    /// A sequence item after its `-` (in a sequence at column `indent`); ends at the next content.
    private mutating func sequenceItem(indent: Int, emptyLine: Int, emptyColumn: Int) throws(Decline) {
        while position < end, text[position] == 0x20 { position += 1 }
        if position >= end || text[position] == 0x0A || text[position] == 0x23 {
            // A `#` here follows a space (the `:` or `-` before needed one).
            if position < end, text[position] == 0x23 { try skipComment() }
            try nextContent()
            if position < end, column > indent {
                _ = try blockCollection(anchor: nil, markLine: line, markColumn: column)
            } else {
                _ = try emitEmpty(line: emptyLine, column: emptyColumn)
            }
            return
        }
        if isBlockEntry() {
            _ = try blockSequence(indent: column, indentless: false, anchor: nil, markLine: line, markColumn: column)
            return
        }
        try inlineNode(indent: indent, compact: true)
    }

    /// A node that starts on the line of its key or `-` (the position is at its first character): an anchor, an
    /// alias, a block scalar, a flow collection or a scalar; after `-` (`compact`) a scalar followed by `:` starts a
    /// mapping at its column. Ends at the next content.
    private mutating func inlineNode(indent: Int, compact: Bool) throws(Decline) {
        var anchor: Range<Int>?
        let markLine = line
        let markColumn = column
        if text[position] == 0x26 {  // &
            anchor = try name()
            guard position < end, text[position] == 0x20 || text[position] == 0x0A else { throw Decline() }
            while position < end, text[position] == 0x20 { position += 1 }
            if position >= end || text[position] == 0x0A || text[position] == 0x23 {
                // The anchored node is a block collection on the next lines.
                if position < end, text[position] == 0x23 { try skipComment() }
                try nextContent()
                guard position < end, column > indent else { throw Decline() }
                _ = try blockCollection(anchor: anchor, markLine: markLine, markColumn: markColumn)
                return
            }
        }
        switch text[position] {
        case 0x2A:  // *
            guard anchor == nil else { throw Decline() }
            let name = try self.name()
            _ = try emit(YAMLEvent(kind: .alias, line: markLine, column: markColumn, value: UnsafeBufferPointer(rebasing: text[name])))
            try restOfLine()
        case 0x7C, 0x3E:  // | >
            let scalar = try blockScalar(indent: indent)
            _ = try emit(scalar, anchor: anchor, markLine: markLine, markColumn: markColumn)
        case 0x5B, 0x7B:  // [ {
            _ = try flowCollection(anchor: anchor, markLine: markLine, markColumn: markColumn)
            try restOfLine()
        default:
            guard let scalar = try scalar(flow: false) else { throw Decline() }
            if isKeyEnd() {
                guard compact, anchor == nil else { throw Decline() }
                _ = try blockMapping(indent: scalar.column, firstKey: scalar, anchor: nil, markLine: scalar.line, markColumn: scalar.column)
                return
            }
            _ = try emit(scalar, anchor: anchor, markLine: markLine, markColumn: markColumn)
            try restOfLine()
        }
        try nextContent()
    }

    /// An anchor's or alias's name after its `&` or `*` (libyaml's letters: ASCII letters, digits, `_` and `-`).
    private mutating func name() throws(Decline) -> Range<Int> {
        position += 1
        let start = position
        while position < end {
            let byte = text[position]
            let isLetter = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
            guard isLetter else { break }
            position += 1
        }
        guard position > start else { throw Decline() }
        return start..<position
    }

    // MARK: Scalars

    /// A plain or quoted scalar at `position`, nil if none starts there. A plain scalar ends before `: `, ` #` or the
    /// line's end (and in flow before `,[]{}`), its trailing spaces left out; the position is left at what ended it.
    private mutating func scalar(flow: Bool) throws(Decline) -> Scalar? {
        guard position < end else { return nil }
        let first = text[position]
        if first == 0x27 { return try singleQuoted() }
        if first == 0x22 { return try doubleQuoted() }
        guard first > 0x20, first < 0x7F else { throw Decline() }
        switch first {
        case 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x25, 0x40, 0x60, 0x3F, 0x3A:
            return nil
        case 0x2D:
            let next = byte(position + 1)
            let isAlphanumeric = (next >= 0x30 && next <= 0x39) || (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A) || next == 0x2E
            guard isAlphanumeric else { return nil }
        default:
            break
        }
        let startLine = line
        let startColumn = column
        let start = position
        var contentEnd = position
        while position < end {
            let byte = text[position]
            // Most bytes: printable, not a space, `:` or (in flow) a flow indicator.
            if byte > 0x20, byte < 0x7F, byte != 0x3A,
                !flow || (byte != 0x2C && byte != 0x5B && byte != 0x5D && byte != 0x7B && byte != 0x7D)
            {
                position += 1
                contentEnd = position
                continue
            }
            if byte == 0x0A { break }
            if byte == 0x20 {
                if self.byte(position + 1) == 0x23 { break }
                position += 1
                continue
            }
            if byte == 0x3A {
                if isBlankOrEnd(position + 1) { break }
                // In flow, libyaml refuses `:` before `,?[]{}`; before anything else it is part of the scalar.
                if flow {
                    let next = self.byte(position + 1)
                    if next == 0x2C || next == 0x3F || next == 0x5B || next == 0x5D || next == 0x7B || next == 0x7D { throw Decline() }
                }
            }
            guard byte > 0x20, byte < 0x7F else { throw Decline() }
            if flow, byte == 0x2C || byte == 0x5B || byte == 0x5D || byte == 0x7B || byte == 0x7D { break }
            position += 1
            contentEnd = position
        }
        return Scalar(line: startLine, column: startColumn, style: Self.plain, start: start, count: contentEnd - start, inScratch: false)
    }

    /// Starts a quoted scalar's value in `scratch` at its first escape: the bytes read so far, from `start`.
    @inline(__always) private mutating func startScratch(from start: Int) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<position]))
    }

    /// A single-quoted scalar on one line (`''` is a quote).
    private mutating func singleQuoted() throws(Decline) -> Scalar {
        let startLine = line
        let startColumn = column
        position += 1
        let start = position
        var escaped = false
        while true {
            guard position < end else { throw Decline() }
            let byte = text[position]
            if byte == 0x27 {
                if self.byte(position + 1) != 0x27 { break }
                if !escaped {
                    escaped = true
                    startScratch(from: start)
                }
                scratch.append(0x27)
                position += 2
                continue
            }
            guard byte >= 0x20, byte < 0x7F else { throw Decline() }
            if escaped { scratch.append(byte) }
            position += 1
        }
        let count = escaped ? scratch.count : position - start
        position += 1  // the closing quote
        return Scalar(line: startLine, column: startColumn, style: Self.singleQuoted, start: start, count: count, inScratch: escaped)
    }

    /// A double-quoted scalar on one line, with libyaml's escapes.
    private mutating func doubleQuoted() throws(Decline) -> Scalar {
        let startLine = line
        let startColumn = column
        position += 1
        let start = position
        var escaped = false
        while true {
            guard position < end else { throw Decline() }
            let byte = text[position]
            if byte == 0x22 { break }
            guard byte >= 0x20, byte < 0x7F else { throw Decline() }
            if byte != 0x5C {
                if escaped { scratch.append(byte) }
                position += 1
                continue
            }
            if !escaped {
                escaped = true
                startScratch(from: start)
            }
            position += 1
            guard position < end else { throw Decline() }
            let code = text[position]
            position += 1
            var digits = 0
            switch code {
            case 0x30: scratch.append(0)  // 0
            case 0x61: scratch.append(7)  // a
            case 0x62: scratch.append(8)  // b
            case 0x74: scratch.append(9)  // t
            case 0x6E: scratch.append(0x0A)  // n
            case 0x76: scratch.append(0x0B)  // v
            case 0x66: scratch.append(0x0C)  // f
            case 0x72: scratch.append(0x0D)  // r
            case 0x65: scratch.append(0x1B)  // e
            case 0x20, 0x22, 0x2F, 0x5C: scratch.append(code)
            case 0x4E: appendScalar(0x85)  // N
            case 0x5F: appendScalar(0xA0)  // _
            case 0x4C: appendScalar(0x2028)  // L
            case 0x50: appendScalar(0x2029)  // P
            case 0x78: digits = 2  // x
            case 0x75: digits = 4  // u
            case 0x55: digits = 8  // U
            default: throw Decline()
            }
            if digits > 0 {
                var value: UInt32 = 0
                for _ in 0..<digits {
                    guard position < end else { throw Decline() }
                    let digit = text[position]
                    let nibble: UInt8
                    switch digit {
                    case 0x30...0x39: nibble = digit - 0x30
                    case 0x41...0x46: nibble = digit - 0x41 + 10
                    case 0x61...0x66: nibble = digit - 0x61 + 10
                    default: throw Decline()
                    }
                    value = value << 4 | UInt32(nibble)
                    position += 1
                }
                guard value < 0xD800 || (value > 0xDFFF && value <= 0x10FFFF) else { throw Decline() }
                appendScalar(value)
            }
        }
        let count = escaped ? scratch.count : position - start
        position += 1  // the closing quote
        return Scalar(line: startLine, column: startColumn, style: Self.doubleQuoted, start: start, count: count, inScratch: escaped)
    }

    /// Appends a Unicode scalar's UTF-8 bytes to `scratch` (as libyaml writes an escape).
    private mutating func appendScalar(_ value: UInt32) {
        if value < 0x80 {
            scratch.append(UInt8(value))
        } else if value < 0x800 {
            scratch.append(UInt8(0xC0 | value >> 6))
            scratch.append(UInt8(0x80 | value & 0x3F))
        } else if value < 0x10000 {
            scratch.append(UInt8(0xE0 | value >> 12))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        } else {
            scratch.append(UInt8(0xF0 | value >> 18))
            scratch.append(UInt8(0x80 | value >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// A literal or folded block scalar from its `|` or `>` (in a collection at column `indent`), read by libyaml's
    /// `yaml_parser_scan_block_scalar`; ends at the first line less indented than its text, or the end.
    private mutating func blockScalar(indent blockIndent: Int) throws(Decline) -> Scalar {
        let literal = text[position] == 0x7C
        let startLine = line
        let startColumn = column
        position += 1
        var chomping = 0
        var increment = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        if byte(position) == 0x2B || byte(position) == 0x2D {
            chomping = byte(position) == 0x2B ? 1 : -1
            position += 1
            if isDigit(byte(position)) {
                increment = Int(byte(position) - 0x30)
                position += 1
            }
        } else if isDigit(byte(position)) {
            increment = Int(byte(position) - 0x30)
            position += 1
            if byte(position) == 0x2B || byte(position) == 0x2D {
                chomping = byte(position) == 0x2B ? 1 : -1
                position += 1
            }
        }
        guard increment != 0 || !isDigit(byte(position - 1)) else { throw Decline() }  // `0` is an error
        try restOfLine()
        if position < end { newline() }
        var indent = increment > 0 ? (blockIndent >= 0 ? blockIndent + increment : increment) : 0
        scratch.removeAll(keepingCapacity: true)
        var leadingBreak = false
        var trailingBreaks = 0
        var leadingBlank = false
        try blockScalarBreaks(indent: &indent, breaks: &trailingBreaks, blockIndent: blockIndent)
        while column == indent, position < end {
            let trailingBlank = text[position] == 0x20
            if !literal, leadingBreak, !leadingBlank, !trailingBlank {
                if trailingBreaks == 0 { scratch.append(0x20) }
            } else if leadingBreak {
                scratch.append(0x0A)
            }
            leadingBreak = false
            for _ in 0..<trailingBreaks { scratch.append(0x0A) }
            trailingBreaks = 0
            leadingBlank = text[position] == 0x20
            let lineBegin = position
            while position < end {
                let byte = text[position]
                if byte == 0x0A { break }
                guard byte >= 0x20, byte < 0x7F else { throw Decline() }
                position += 1
            }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: text[lineBegin..<position]))
            if position < end {
                leadingBreak = true
                newline()
            }
            try blockScalarBreaks(indent: &indent, breaks: &trailingBreaks, blockIndent: blockIndent)
        }
        if chomping != -1, leadingBreak { scratch.append(0x0A) }
        if chomping == 1 { for _ in 0..<trailingBreaks { scratch.append(0x0A) } }
        return Scalar(
            line: startLine, column: startColumn, style: literal ? Self.literal : Self.folded, start: 0, count: scratch.count, inScratch: true)
    }

    /// libyaml's `yaml_parser_scan_block_scalar_breaks`: the indentation and empty lines before a block scalar's next
    /// line, and the indentation found from them if none was given.
    private mutating func blockScalarBreaks(indent: inout Int, breaks: inout Int, blockIndent: Int) throws(Decline) {
        var maximumIndent = 0
        while true {
            while indent == 0 || column < indent, position < end, text[position] == 0x20 { position += 1 }
            if column > maximumIndent { maximumIndent = column }
            guard position < end, text[position] == 0x0A else { break }
            breaks += 1
            newline()
        }
        if indent == 0 { indent = max(maximumIndent, blockIndent + 1, 1) }
    }

    // MARK: Flow collections

    /// Skips spaces inside a flow collection; a line break or a comment there is declined.
    private mutating func flowSpaces() throws(Decline) {
        while position < end, text[position] == 0x20 { position += 1 }
        guard position < end, text[position] != 0x0A, text[position] != 0x23 else { throw Decline() }
    }

    /// A flow sequence or mapping from its `[` or `{`, all on one line; the position is left after its closing bracket.
    private mutating func flowCollection(anchor: Range<Int>?, markLine: Int, markColumn: Int) throws(Decline) -> Int32? {
        let mapping = text[position] == 0x7B
        let closing: UInt8 = mapping ? 0x7D : 0x5D
        try start(mapping ? .mappingStart : .sequenceStart, style: Self.flowStyle, anchor: anchor, line: markLine, column: markColumn)
        position += 1
        try flowSpaces()
        if text[position] != closing {
            while true {
                if mapping {
                    let keyStart = position
                    guard let key = try scalar(flow: true), isKeyEnd(), position - keyStart <= Self.maximumKeyLength else { throw Decline() }
                    _ = try emit(key, anchor: nil, markLine: key.line, markColumn: key.column)
                    position += 1
                    try flowSpaces()
                    guard text[position] != 0x2C, text[position] != 0x7D else { throw Decline() }
                }
                try flowNode()
                try flowSpaces()
                if text[position] == 0x2C {
                    position += 1
                    try flowSpaces()
                    guard text[position] != closing else { throw Decline() }  // a trailing comma
                    continue
                }
                guard text[position] == closing else { throw Decline() }
                break
            }
        }
        position += 1
        return try finish(mapping ? .mappingEnd : .sequenceEnd)
    }

    /// A node inside a flow collection: a nested one, an alias or a scalar (not a single pair).
    private mutating func flowNode() throws(Decline) {
        let markLine = line
        let markColumn = column
        switch text[position] {
        case 0x5B, 0x7B:
            _ = try flowCollection(anchor: nil, markLine: markLine, markColumn: markColumn)
        case 0x2A:
            let name = try self.name()
            _ = try emit(YAMLEvent(kind: .alias, line: markLine, column: markColumn, value: UnsafeBufferPointer(rebasing: text[name])))
        default:
            guard let scalar = try scalar(flow: true) else { throw Decline() }
            _ = try emit(scalar, anchor: nil, markLine: markLine, markColumn: markColumn)
        }
        guard position < end, text[position] != 0x3A else { throw Decline() }
    }
}
