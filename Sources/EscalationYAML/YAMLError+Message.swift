import Foundation

extension YAMLError {
    /// The error as `Yams.YamlError`'s description words it for the same text: the mark, the kind, libyaml's context
    /// and problem, and the line it was found on with a caret under the column (the simulator's readers show it).
    public func message(in text: String) -> String {
        switch self {
        case .memory:
            return "Memory error"
        case .reader(let problem, let offset, let value):
            // Yams turns libyaml's byte offset into a count of characters (nil when it is not on one's boundary).
            let characters = text.utf8.index(text.utf8.startIndex, offsetBy: offset, limitedBy: text.utf8.endIndex)?.samePosition(in: text)
                .map { text.distance(from: text.startIndex, to: $0) }
            guard let characters, let (line, column, contents) = Self.lineColumnAndContents(of: text, at: characters) else {
                return "\(problem) at offset: \(String(describing: characters)), value: \(value)"
            }
            return "\(line + 1):\(column + 1): error: reader: \(problem):\n" + Self.endingWithNewLine(contents)
                + String(repeating: " ", count: column) + "^"
        case .scanner(let context, let problem, let mark):
            return "\(mark): error: scanner: \(Self.describe(context))\(problem):\n" + Self.snippet(of: text, at: mark)
        case .parser(let context, let problem, let mark):
            return "\(mark): error: parser: \(Self.describe(context))\(problem):\n" + Self.snippet(of: text, at: mark)
        case .composer(let context, let problem, let mark):
            return "\(mark): error: composer: \(Self.describe(context))\(problem):\n" + Self.snippet(of: text, at: mark)
        case .duplicatedKeys(let keys, let mark):
            let listed = keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return "Parser: expected all keys to be unique but found the following duplicated key(s): \(listed).\nContext:\n"
                + Self.describe(Context(text: text, mark: mark))
        case .tooLarge:
            return "the text is larger than 1 GiB"
        }
    }

    /// Yams' `YamlError.Context.description`.
    private static func describe(_ context: Context?) -> String {
        guard let context else { return "" }
        return context.text + " in line \(context.mark.line), column \(context.mark.column)\n"
    }

    /// Yams' `Mark.snippet(from:)`: the mark's line (ending with a newline) and a caret under its column, indented
    /// by the column's UTF-16 offset.
    private static func snippet(of text: String, at mark: YAMLMark) -> String {
        let contents = line(mark.line - 1, of: text)
        let scalars = contents.unicodeScalars
        let columnIndex =
            scalars.index(scalars.startIndex, offsetBy: mark.column - 1, limitedBy: scalars.endIndex)?.samePosition(in: contents.utf16)
            ?? contents.utf16.endIndex
        let column = contents.utf16.distance(from: contents.utf16.startIndex, to: columnIndex)
        return endingWithNewLine(contents) + String(repeating: " ", count: column) + "^"
    }

    /// Yams' `String.substring(at:)`: line `number` (from 0) with its line ending, or the last line past the end.
    private static func line(_ number: Int, of text: String) -> String {
        var current = 0
        var start = text.startIndex
        var end = text.startIndex
        var contentsEnd = text.startIndex
        text.getLineStart(&start, end: &end, contentsEnd: &contentsEnd, for: text.startIndex..<text.startIndex)
        while current < number && end < text.endIndex {
            current += 1
            text.getLineStart(&start, end: &end, contentsEnd: &contentsEnd, for: end..<end)
        }
        return String(text[start..<end])
    }

    /// Yams' `String.lineNumberColumnAndContents(at:)`: the line (from 0), the UTF-16 column (from 0) and the line's
    /// text at a character offset; nil past the end.
    private static func lineColumnAndContents(of text: String, at offset: Int) -> (Int, Int, String)? {
        guard let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else { return nil }
        var number = 0
        var start = text.startIndex
        var end = text.startIndex
        var contentsEnd = text.startIndex
        text.getLineStart(&start, end: &end, contentsEnd: &contentsEnd, for: text.startIndex..<text.startIndex)
        while end <= index && end < text.endIndex {
            number += 1
            text.getLineStart(&start, end: &end, contentsEnd: &contentsEnd, for: end..<end)
        }
        guard let lineStart = start.samePosition(in: text.utf16), let at = index.samePosition(in: text.utf16) else { return nil }
        return (number, text.utf16.distance(from: lineStart, to: at), String(text[start..<end]))
    }

    /// Yams' `String.endingWithNewLine`.
    private static func endingWithNewLine(_ text: String) -> String {
        let endsWithNewLine = text.unicodeScalars.last.map(CharacterSet.newlines.contains) ?? false
        return endsWithNewLine ? text : text + "\n"
    }
}
