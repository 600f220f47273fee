import Foundation

/// The receiving side of one SMTP session (RFC 5321), as a pure state machine: fed one line at a time (without its
/// line end), it says what to answer, when a message is complete, and when to hang up. No TLS, no AUTH, no relaying:
/// it takes replies addressed to this server and nothing else. Any bytes are read without trapping.
public struct SMTPReceiver: Sendable {
    /// What the session does after a line.
    public enum Step: Sendable, Equatable {
        /// Answer with these lines (already formatted, each ending CRLF).
        case reply(String)
        /// Nothing to say yet (a line of message data).
        case none
        /// A complete message with its envelope sender (empty for a bounce) and recipients; answer with the verdict.
        case message(data: [UInt8], from: String, to: [String])
        /// Answer and hang up.
        case close(String)
    }

    /// The name given in the greeting and EHLO answer.
    public let hostname: String
    /// The largest message taken, in bytes (answered 552 when larger).
    public let maxMessageBytes: Int
    /// The most recipients one message may have.
    public static let maxRecipients = 100
    /// The most commands that fail before the session is closed.
    public static let maxErrors = 10
    /// The longest command line, in bytes (RFC 5321: 512; a little more is taken).
    public static let maxCommandLine = 2_048

    private var from: String?
    private var to: [String] = []
    private var inData = false
    private var data: [UInt8] = []
    private var tooBig = false
    private var errors = 0

    /// A session for `hostname` taking messages up to `maxMessageBytes`.
    public init(hostname: String, maxMessageBytes: Int) {
        self.hostname = hostname
        self.maxMessageBytes = maxMessageBytes
    }

    /// The greeting sent when a client connects.
    public var greeting: String { "220 \(hostname) ESMTP escalate: replies to escalation messages only\r\n" }

    /// Whether message data is being read (where long lines are allowed).
    public var readingData: Bool { inData }

    /// Feeds one line (without CRLF or LF).
    public mutating func feed(_ line: [UInt8]) -> Step {
        if inData { return dataLine(line) }
        guard line.count <= Self.maxCommandLine else { return failure("500 5.5.2 line too long") }
        let text = String(decoding: line, as: UTF8.self)
        let word = text.prefix { $0 != " " && $0 != ":" }
        let verb = word.uppercased()
        let argument = text[word.endIndex...].trimmingCharacters(in: .whitespaces)
        switch verb {
        case "EHLO":
            reset()
            return .reply("250-\(hostname)\r\n250-SIZE \(maxMessageBytes)\r\n250-8BITMIME\r\n250 PIPELINING\r\n")
        case "HELO":
            reset()
            return .reply("250 \(hostname)\r\n")
        case "MAIL":
            guard from == nil else { return failure("503 5.5.1 MAIL already given; RSET first") }
            guard argument.uppercased().hasPrefix("FROM:"), let address = Self.path(argument.dropFirst(5)) else {
                return failure("501 5.5.4 write MAIL FROM:<address>")
            }
            from = address
            return .reply("250 2.1.0 OK\r\n")
        case "RCPT":
            guard from != nil else { return failure("503 5.5.1 MAIL FROM first") }
            guard argument.uppercased().hasPrefix("TO:"), let address = Self.path(argument.dropFirst(3)), !address.isEmpty else {
                return failure("501 5.5.4 write RCPT TO:<address>")
            }
            guard to.count < Self.maxRecipients else { return failure("452 4.5.3 too many recipients") }
            to.append(address)
            return .reply("250 2.1.5 OK\r\n")
        case "DATA":
            guard from != nil, !to.isEmpty else { return failure("503 5.5.1 MAIL FROM and RCPT TO first") }
            inData = true
            return .reply("354 end the message with a line holding only a dot\r\n")
        case "RSET":
            reset()
            return .reply("250 2.0.0 OK\r\n")
        case "NOOP":
            return .reply("250 2.0.0 OK\r\n")
        case "VRFY":
            return .reply("252 2.5.0 cannot verify\r\n")
        case "QUIT":
            return .close("221 2.0.0 bye\r\n")
        default:
            return failure("502 5.5.1 command not taken here (replies to escalation messages only)")
        }
    }

    private mutating func dataLine(_ line: [UInt8]) -> Step {
        var line = line
        if line.last == 13 { line.removeLast() }
        if line == [UInt8(ascii: ".")] {
            defer { reset() }
            if tooBig { return .reply("552 5.3.4 the message is larger than \(maxMessageBytes) bytes\r\n") }
            return .message(data: data, from: from ?? "", to: to)
        }
        if line.first == UInt8(ascii: ".") { line.removeFirst() }
        if data.count + line.count + 2 > maxMessageBytes {
            tooBig = true
            data = []
        } else if !tooBig {
            data += line + [13, 10]
        }
        return .none
    }

    private mutating func reset() {
        (from, to, inData, data, tooBig) = (nil, [], false, [], false)
    }

    private mutating func failure(_ text: String) -> Step {
        errors += 1
        if errors >= Self.maxErrors { return .close("421 4.7.0 too many errors; closing\r\n") }
        return .reply(text + "\r\n")
    }

    /// The address of `<a@b>` (parameters after it ignored); `<>` is empty; nil when not a path.
    static func path(_ text: Substring) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("<"), let close = trimmed.firstIndex(of: ">") else { return nil }
        let address = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
        guard address.count <= 320, !address.contains(where: { $0 == " " || $0 == "<" || $0.isNewline }) else { return nil }
        return address
    }

    /// One line of an SMTP reply: ASCII printable only, at most 400 characters.
    public static func replyText(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? Character($0) : " " }.prefix(400))
    }
}
