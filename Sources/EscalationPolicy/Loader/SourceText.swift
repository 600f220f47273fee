import EscalationCore

/// A file's text indexed by line, to turn YAML marks into locations and search near them.
struct SourceText {
    let file: String
    let lines: [[Unicode.Scalar]]

    init(file: String, text: String) {
        self.file = file
        var lines: [[Unicode.Scalar]] = [[]]
        for scalar in text.unicodeScalars {
            if scalar == "\n" { lines.append([]) } else { lines[lines.count - 1].append(scalar) }
        }
        self.lines = lines
    }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// The positions (1-based) of each occurrence of `needle` at or after a position, in order.
    func occurrences(of needle: String, from line: Int, column: Int, limit: Int) -> [SourceLocation] {
        let pattern = Array(needle.unicodeScalars)
        var found: [SourceLocation] = []
        var lineIndex = max(line - 1, 0)
        var start = max(column - 1, 0)
        while lineIndex < lines.count, found.count < limit {
            let text = lines[lineIndex]
            var i = start
            while i + pattern.count <= text.count, found.count < limit {
                if Array(text[i..<(i + pattern.count)]) == pattern {
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

    /// The line (1-based) of the next `key:` at `column` after a first occurrence, within the same block.
    func duplicateKeyLine(key: String, firstLine: Int, column: Int) -> Int? {
        let candidates = [key, "\"\(key)\"", "'\(key)'"].map { Array("\($0):".unicodeScalars) }
        for index in firstLine..<lines.count {
            let text = lines[index]
            guard let firstNonSpace = text.firstIndex(where: { $0 != " " }), text[firstNonSpace] != "#" else { continue }
            if firstNonSpace < column - 1 { return nil }
            if firstNonSpace == column - 1, candidates.contains(where: { text[firstNonSpace...].starts(with: $0) }) {
                return index + 1
            }
        }
        return nil
    }
}
