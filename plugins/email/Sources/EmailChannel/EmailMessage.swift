import Foundation

/// An RFC 5322 plain-text message: headers (non-ASCII subjects as RFC 2047 encoded words), a body in 7bit or
/// quoted-printable, CRLF line ends, rendered as SMTP DATA (dot-stuffed, ending with CRLF.CRLF).
struct EmailMessage: Sendable {
    /// The From header.
    var from: String
    /// The To addresses.
    var to: [String]
    /// The Cc addresses.
    var cc: [String]
    /// The subject.
    var subject: String
    /// When it was written.
    var date: Date
    /// `<…@…>`.
    var messageID: String
    /// The message it replies to, `<…@…>`.
    var inReplyTo: String?
    /// The thread's message ids, oldest first.
    var references: [String]
    /// Extra headers (name, ASCII value).
    var extraHeaders: [(String, String)]
    /// The body text.
    var body: String

    /// The message as SMTP DATA.
    func data() -> [UInt8] {
        var lines: [String] = []
        lines.append(Self.fold("From: \(from)"))
        if !to.isEmpty { lines.append(Self.fold("To: " + to.joined(separator: ", "))) }
        if !cc.isEmpty { lines.append(Self.fold("Cc: " + cc.joined(separator: ", "))) }
        lines.append("Subject: " + Self.encodedWords(subject))
        lines.append("Date: " + Self.rfc5322(date))
        lines.append("Message-ID: \(messageID)")
        if let inReplyTo { lines.append("In-Reply-To: \(inReplyTo)") }
        if !references.isEmpty { lines.append(Self.fold("References: " + references.joined(separator: " "))) }
        for (name, value) in extraHeaders { lines.append(Self.fold("\(name): \(value)")) }
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=utf-8")
        let bodyLines = body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if bodyLines.allSatisfy({ $0.utf8.count <= 998 && $0.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\r" } }) {
            lines.append("Content-Transfer-Encoding: 7bit")
            lines.append("")
            lines += bodyLines
        } else {
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines += bodyLines.flatMap(Self.quotedPrintable)
        }
        let stuffed = lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }
        return Array((stuffed.joined(separator: "\r\n") + "\r\n.\r\n").utf8)
    }

    /// `Sun, 22 Nov 2026 21:56:53 +0000`.
    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// ASCII text as it is; other text as UTF-8 base64 encoded words of at most 75 characters, one per line.
    static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 && $0.value != 127 }), text.utf8.count <= 900 { return text }
        var words: [String] = []
        var chunk = ""
        for character in text where character != "\r" && character != "\n" {
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// A header line folded before list items so no line passes 78 characters where it can be helped.
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var folded: [String] = []
        var current = ""
        for (index, part) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            let candidate = index == 0 ? String(part) : current + " " + part
            if index > 0, candidate.count > 78, !current.isEmpty {
                folded.append(current)
                current = " " + part
            } else {
                current = candidate
            }
        }
        folded.append(current)
        return folded.joined(separator: "\r\n")
    }

    /// One body line as quoted-printable lines (soft breaks `=` at 76 characters).
    static func quotedPrintable(_ line: String) -> [String] {
        var output: [String] = []
        var current = ""
        let bytes = Array(line.utf8)
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
            let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
            if current.count + piece.count > 75 {
                output.append(current + "=")
                current = ""
            }
            current += piece
        }
        output.append(current)
        return output
    }
}
