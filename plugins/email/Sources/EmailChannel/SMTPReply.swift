/// One SMTP reply: a three-digit code and its text lines (several for a multi-line `250-…` reply).
struct SMTPReply: Sendable, Equatable {
    /// The reply code, e.g. 250.
    var code: Int
    /// The text after the code on each line.
    var lines: [String]

    /// 2xx and 3xx.
    var isPositive: Bool { (200..<400).contains(code) }

    /// The lines on one line, for failure reasons (at most 200 characters).
    var text: String {
        let joined = lines.joined(separator: " ").trimmingSpaces
        return joined.count > 200 ? String(joined.prefix(200)) + "…" : joined
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
