// Shared test source: linked (symlink) into every built-in network plugin's test target.

import EscalationChannel
import EscalationCore

/// Reads the small YAML subset that plugin settings examples and tests use into `ChannelSettings`, since plugin
/// modules and their tests may not depend on Yams: block maps nested by indentation, `- item` lists, flow lists
/// `[a, b]`, plain, "double" and 'single' quoted scalars, `null`, and `#` comments.
struct SettingsYAML {
    /// Settings for a channel from YAML text; line numbers in locations are 1-based lines of the text.
    static func settings(_ yaml: String, channel: String = "test") -> ChannelSettings {
        var reader = SettingsYAML(yaml)
        let value = reader.block(indent: 0)
        return ChannelSettings(channel: channel, value: value, location: SourceLocation(file: "example.yaml", line: 1, column: 1))
    }

    private var lines: [(number: Int, indent: Int, text: String)]
    private var index = 0

    private init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            let body = Self.stripComment(String(line))
            let trimmed = body.drop { $0 == " " }
            guard !trimmed.isEmpty else { return nil }
            return (offset + 1, body.count - trimmed.count, String(trimmed).trimmingTrailingSpaces)
        }
    }

    private func at(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(file: "example.yaml", line: line, column: column) }

    /// A map or list whose lines are indented at least `indent`.
    private mutating func block(indent: Int) -> SettingValue? {
        guard index < lines.count, lines[index].indent >= indent else { return nil }
        let first = lines[index]
        if first.text.hasPrefix("- ") || first.text == "-" {
            var items: [SettingValue] = []
            while index < lines.count, lines[index].indent == first.indent, lines[index].text.hasPrefix("-") {
                let line = lines[index]
                index += 1
                items.append(scalar(String(line.text.dropFirst().drop { $0 == " " }), line.number, line.indent + 3))
            }
            return .list(items, at(first.number, first.indent + 1))
        }
        var pairs: [(key: Located<String>, value: SettingValue)] = []
        while index < lines.count, lines[index].indent == first.indent {
            let line = lines[index]
            index += 1
            guard let colon = line.text.firstIndex(of: ":") else { continue }
            let key = Located(Self.unquote(String(line.text[..<colon])), at: at(line.number, line.indent + 1))
            let rest = String(line.text[line.text.index(after: colon)...]).drop { $0 == " " }
            let column = line.indent + line.text.distance(from: line.text.startIndex, to: colon) + 3
            if rest.isEmpty {
                pairs.append((key, block(indent: line.indent + 1) ?? .null(at(line.number, column))))
            } else {
                pairs.append((key, scalar(String(rest), line.number, column)))
            }
        }
        return .map(pairs, at(first.number, first.indent + 1))
    }

    /// A scalar, `null` or a flow list `[a, b]`.
    private func scalar(_ text: String, _ line: Int, _ column: Int) -> SettingValue {
        if text == "null" || text == "~" { return .null(at(line, column)) }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let items = text.dropFirst().dropLast().split(separator: ",").map { item in
                SettingValue.scalar(Self.unquote(item.trimming(" ")), at(line, column))
            }
            return .list(items, at(line, column))
        }
        return .scalar(Self.unquote(text), at(line, column))
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            return String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return text
    }

    /// A line without a ` #` comment outside quotes.
    private static func stripComment(_ line: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " {
                return String(line.prefix(offset))
            }
            previous = character
        }
        return line
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension Substring {
    fileprivate func trimming(_ character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
