/// What an address means to Slack: a user to mention, a channel to post in, or a broadcast.
struct SlackAddress: Sendable {
    /// A user id (U… or W…).
    var user: String?
    /// A channel id (C…, G…, D…) or `#name`.
    var channel: String?
    /// The mention put before the text: `<@U…>`, `<!here>`, `<!channel>`, or `@name` for anything else.
    var mention: String?

    /// Reads an address.
    init(_ address: String) {
        let text = Self.trimmingSpaces(address)
        if ["@here", "here", "@channel", "@everyone"].contains(text) {
            mention = "<!\(text.hasPrefix("@") ? String(text.dropFirst()) : text)>"
        } else if Self.isID(text, prefixes: "UW") {
            user = text
            mention = "<@\(text)>"
        } else if Self.isID(text, prefixes: "CGD") {
            channel = text
        } else if text.hasPrefix("#"), text.count > 1, !text.contains(" ") {
            channel = text
        } else if text.hasPrefix("<@"), text.hasSuffix(">") {
            user = String(text.dropFirst(2).dropLast())
            mention = text
        } else if !text.isEmpty {
            mention = text.hasPrefix("@") ? text : "@\(text)"
        }
    }

    /// A Slack id: one of the prefixes, then at least two upper-case letters or digits.
    private static func isID(_ text: String, prefixes: String) -> Bool {
        guard let first = text.first, prefixes.contains(first), text.count >= 3 else { return false }
        return text.dropFirst().allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }

    /// The text without its leading and trailing spaces (characters equal to " "). ASCII text is trimmed by bytes:
    /// there every character but CR LF is one byte, so a space character is exactly the byte 0x20. Other text is
    /// trimmed by characters (a space followed by a combining mark is not a space). The lint rule
    /// `invalid_channel_settings` reads every Slack channel's address, and trimming by characters cost about 130,000
    /// instructions an address.
    static func trimmingSpaces(_ address: String) -> String {
        let bytes = address.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return String(address.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        guard let first = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }),
            let last = bytes.lastIndex(where: { $0 != UInt8(ascii: " ") })
        else { return "" }
        return String(address[first...last])
    }
}
