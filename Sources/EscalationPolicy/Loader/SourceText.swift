import EscalationCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's text indexed by line, to turn YAML marks into locations and search near them. The text is kept as one
/// array of scalars with the offset where each line starts (one allocation, not one per line), built on first use:
/// turning a mark into a location needs neither, and most files need them only for a diagnostic or a template.
struct SourceText {
    /// The scalars and line starts, built once when first asked for.
    private final class Index {
        let text: String
        /// Every scalar of the text, line breaks included, and the offset at which each line starts (the first at 0,
        /// then one after each line break).
        lazy var lines: (scalars: [Unicode.Scalar], starts: [Int]) = Self.lines(of: text, asciiStarts: asciiStarts)
        /// For ASCII text (one scalar per byte, nearly every policy file), the offset at which each line starts; nil
        /// for other text. Templates' placeholders are found from these and the bytes, without `lines`.
        lazy var asciiStarts: [Int]? = Self.asciiStarts(of: text)

        init(text: String) { self.text = text }

        private static func asciiStarts(of text: String) -> [Int]? {
            text.utf8.withContiguousStorageIfAvailable { bytes -> [Int]? in
                // Whether every byte is ASCII, in a loop without branches (which the compiler vectorises), then the
                // line breaks by `memchr`: a third of the instructions of one loop asking both of each byte.
                var any: UInt8 = 0
                for byte in bytes { any |= byte }
                guard any < 0x80 else { return nil }
                var starts = [0]
                guard let base = bytes.baseAddress else { return starts }
                var offset = 0
                while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
                    offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) + 1
                    starts.append(offset)
                }
                return starts
            } ?? nil
        }

        private static func lines(of text: String, asciiStarts: [Int]?) -> (scalars: [Unicode.Scalar], starts: [Int]) {
            // ASCII text is one scalar per byte; other text is decoded.
            if let asciiStarts,
                let ascii = text.utf8.withContiguousStorageIfAvailable({ bytes in
                    [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                        for index in bytes.indices { buffer.initializeElement(at: index, to: Unicode.Scalar(bytes[index])) }
                        count = bytes.count
                    }
                })
            {
                return (ascii, asciiStarts)
            }
            let scalars = Array(text.unicodeScalars)
            var starts = [0]
            for index in scalars.indices where scalars[index] == "\n" { starts.append(index + 1) }
            return (scalars, starts)
        }
    }

    let file: String
    private let storage: Index

    init(file: String, text: String) {
        self.file = file
        storage = Index(text: text)
    }

    /// Every scalar of the text, line breaks included.
    private var scalars: [Unicode.Scalar] { storage.lines.scalars }
    /// The offset in `scalars` at which each line starts (the first at 0, then one after each line break).
    private var starts: [Int] { storage.lines.starts }

    /// The number of lines (one more than the line breaks).
    private var lineCount: Int { starts.count }

    /// Where line `index` (0-based) lies in `scalars`, without its line break.
    private func range(_ index: Int) -> Range<Int> {
        starts[index]..<(index + 1 < starts.count ? starts[index + 1] - 1 : scalars.count)
    }

    /// The scalars of line `index` (0-based), without its line break.
    private func line(_ index: Int) -> [Unicode.Scalar] { Array(scalars[range(index)]) }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// The text of a line (1-based), without its line break; empty past the end.
    func text(line: Int) -> String {
        guard line >= 1, line <= lineCount else { return "" }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[range(line - 1)])
        return String(text)
    }

    /// The character at a position (1-based), or nil past the end of its line.
    func character(line: Int, column: Int) -> Unicode.Scalar? {
        guard line >= 1, line <= lineCount else { return nil }
        let bounds = range(line - 1)
        guard column >= 1, column <= bounds.count else { return nil }
        return scalars[bounds.lowerBound + column - 1]
    }

    /// The positions (1-based) of each occurrence of `needle` at or after a position, in order.
    func occurrences(of needle: String, from line: Int, column: Int, limit: Int) -> [SourceLocation] {
        if let found = asciiOccurrences(of: needle, from: line, column: column, limit: limit) { return found }
        let pattern = Array(needle.unicodeScalars)
        // The arrays once, not through the lazy index at every scalar.
        let (scalars, starts) = storage.lines
        var found: [SourceLocation] = []
        var lineIndex = max(line - 1, 0)
        var start = max(column - 1, 0)
        while lineIndex < starts.count, found.count < limit {
            let lower = starts[lineIndex]
            let count = (lineIndex + 1 < starts.count ? starts[lineIndex + 1] - 1 : scalars.count) - lower
            var i = start
            while i + pattern.count <= count, found.count < limit {
                if Self.matches(pattern, in: scalars, at: lower + i) {
                    found.append(location(line: lineIndex + 1, column: i + 1))
                    i += pattern.count
                } else {
                    i += 1
                }
            }
            lineIndex += 1
            start = 0
        }
        return found
    }

    /// `occurrences` in ASCII text, over its bytes: the text's scalars are its bytes, so offsets, lines and columns
    /// are the same. Nil (ask `occurrences`' scalar search) when the text is not ASCII or the needle is empty, not
    /// ASCII or holds a line break. Each template's placeholders are located this way (about a third of the cost of
    /// reading templates was building the scalars array of their file).
    private func asciiOccurrences(of needle: String, from line: Int, column: Int, limit: Int) -> [SourceLocation]? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, pattern.allSatisfy({ $0 < 0x80 && $0 != 0x0A }), let starts = storage.asciiStarts else { return nil }
        return storage.text.utf8.withContiguousStorageIfAvailable { bytes -> [SourceLocation] in
            // The needle holds no line break, so a match in the whole text lies within one line: the text is searched
            // from the position on by `memchr` for the needle's first byte, and each match's line found from `starts`.
            var lineIndex = max(line - 1, 0)
            guard lineIndex < starts.count, limit > 0, let base = bytes.baseAddress else { return [] }
            let lineEnd = lineIndex + 1 < starts.count ? starts[lineIndex + 1] - 1 : bytes.count
            // A column past the end of its line starts at the next line.
            var offset = min(starts[lineIndex] + max(column - 1, 0), lineEnd)
            var found: [SourceLocation] = []
            while found.count < limit, offset + pattern.count <= bytes.count,
                let hit = memchr(base + offset, Int32(first), bytes.count - pattern.count + 1 - offset)
            {
                let at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                guard Self.matches(pattern, in: bytes, at: at) else {
                    offset = at + 1
                    continue
                }
                while lineIndex + 1 < starts.count, starts[lineIndex + 1] <= at { lineIndex += 1 }
                found.append(location(line: lineIndex + 1, column: at - starts[lineIndex] + 1))
                offset = at + pattern.count
            }
            return found
        }
    }

    /// Whether `pattern` stands in `bytes` at `offset` (which leaves room for it).
    private static func matches(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        for index in pattern.indices where bytes[offset + index] != pattern[index] { return false }
        return true
    }

    /// Whether `pattern` stands in `scalars` at `offset` (which leaves room for it).
    private static func matches(_ pattern: [Unicode.Scalar], in scalars: [Unicode.Scalar], at offset: Int) -> Bool {
        for index in pattern.indices where scalars[offset + index] != pattern[index] { return false }
        return true
    }

    /// Where a key that YAML found twice in one mapping appears again after its first occurrence at
    /// `firstLine`:`column`: later on the same line for a flow mapping (`{ a: 1, a: 2 }`), else the next
    /// `key:` at the same column within the same block.
    func duplicateKey(key: String, firstLine: Int, column: Int) -> SourceLocation? {
        let candidates = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        if firstLine >= 1, firstLine <= lineCount {
            let text = line(firstLine - 1)
            let before = text[..<min(max(column - 1, 0), text.count)].last { $0 != " " && $0 != "\t" }
            if before == "{" || before == "," {
                // A flow mapping: look for `, key:` or `{ key:` after the first occurrence on the same line.
                var index = column
                while index < text.count {
                    let previous = text[..<index].last { $0 != " " && $0 != "\t" }
                    if previous == "," || previous == "{", let candidate = candidates.first(where: { text[index...].starts(with: $0) })
                    {
                        var after = index + candidate.count
                        while after < text.count, text[after] == " " { after += 1 }
                        if after < text.count, text[after] == ":" { return location(line: firstLine, column: index + 1) }
                    }
                    index += 1
                }
            }
        }
        let blockCandidates = candidates.map { $0 + [":"] }
        for index in firstLine..<lineCount {
            let text = line(index)
            guard let firstNonSpace = text.firstIndex(where: { $0 != " " }), text[firstNonSpace] != "#" else { continue }
            if firstNonSpace < column - 1 { return nil }
            if firstNonSpace == column - 1, blockCandidates.contains(where: { text[firstNonSpace...].starts(with: $0) }) {
                return location(line: index + 1, column: column)
            }
        }
        return nil
    }

    /// The name of the alias (`*name`) at a position, if there is one.
    func alias(line: Int, column: Int) -> String? {
        guard character(line: line, column: column) == "*", line >= 1, line <= lineCount else { return nil }
        let name = self.line(line - 1).dropFirst(column).prefix { !Self.endsAnchorName($0) }
        guard !name.isEmpty else { return nil }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: name)
        return String(text)
    }

    /// Every anchor (`&name`) defined in the file with its position, in order.
    func anchors() -> [(name: String, location: SourceLocation)] {
        var result: [(name: String, location: SourceLocation)] = []
        for index in 0..<lineCount {
            let text = line(index)
            var quote: Unicode.Scalar?
            var column = 0
            while column < text.count {
                let scalar = text[column]
                if let open = quote {
                    if scalar == open { quote = nil }
                } else if scalar == "#", column == 0 || text[column - 1] == " " {
                    break
                } else if scalar == "\"" || scalar == "'", column == 0 || " [{,:-".unicodeScalars.contains(text[column - 1]) {
                    quote = scalar
                } else if scalar == "&", column == 0 || " [{,-:".unicodeScalars.contains(text[column - 1]) {
                    let name = text[(column + 1)...].prefix { !Self.endsAnchorName($0) }
                    if !name.isEmpty {
                        var view = String.UnicodeScalarView()
                        view.append(contentsOf: name)
                        result.append((String(view), location(line: index + 1, column: column + 1)))
                    }
                    column += name.count
                }
                column += 1
            }
        }
        return result
    }

    private static func endsAnchorName(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || ",[]{}".unicodeScalars.contains(scalar)
    }
}
