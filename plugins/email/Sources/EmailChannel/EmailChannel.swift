import EscalationChannel
import EscalationCore
import Foundation
import NIOSSL

/// Sends messages as e-mail over SMTP (`plugin: email`), with copies, STARTTLS, login, and the messages of one
/// incident threaded together.
///
/// Each message's `Message-ID` is `<idempotency-key@domain>` (so a retry carries the same id). Every message
/// refers to the incident's root id `<incident-id@domain>` in `References`, and replies (`In-Reply-To`) to the
/// previous message this channel sent for the incident, or to the root when there is none (the first message,
/// or after a restart), so mail programs show one thread per incident.
public struct EmailChannel: NotificationChannel {
    /// What the e-mail plugin is and which settings it reads.
    public static let descriptor = ChannelDescriptor(
        id: "email",
        summary: "sends plain-text e-mail over SMTP (STARTTLS, AUTH PLAIN/LOGIN), copies cc, threads each incident; takes replies",
        capabilities: [.threading, .cc, .idempotency, .mail],
        settings: [
            .init("host", required: true, "the SMTP server's host name or address"),
            .init("port", kind: .port, "the SMTP port (default 587 with starttls, else 25)"),
            .init("from", required: true, "the sender, 'ops@example.org' or 'Ops <ops@example.org>'"),
            .init("username", "the SMTP login (plain or a ${env:NAME} reference); needs password"),
            .init("password", secret: true, "the SMTP password; needs username"),
            .init("starttls", kind: .boolean, "true to upgrade the connection with STARTTLS before anything else (default false)"),
            .init("ca_file", "a PEM file of certificate authorities to trust instead of the system's (with starttls)"),
            .init("domain", "the domain of Message-IDs (default: the sender's domain)"),
            .init("helo", "the name given in EHLO (default: the domain)"),
            .init("timeout", kind: .duration, "how long sending one message may take, e.g. 30s (default 30s)"),
            .init(
                "inbound_signing_key", secret: true,
                "the key that verifies replies posted by an inbound-parse webhook (hex HMAC-SHA256 of timestamp + token); replies by SMTP need none"),
        ],
        validExamples: [
            """
            host: smtp.example.org
            from: ops@example.org
            """,
            """
            host: smtp.example.org
            port: 587
            from: Hubbard Ops <ops@example.org>
            username: ${env:SMTP_USER}
            password: ${env:SMTP_PASSWORD}
            starttls: true
            timeout: 45s
            """,
            """
            host: 127.0.0.1
            port: 2525
            from: alerts@example.org
            domain: alerts.example.org
            helo: escalate.example.org
            """,
        ],
        invalidExamples: [
            "from: ops@example.org",
            // A port that is a list (at send time it used to fall back to port 25 silently).
            """
            host: smtp.example.org
            from: ops@example.org
            port: [1]
            """,
            """
            host: smtp.example.org
            from: ops@example.org
            port: 70000
            """,
            """
            host: smtp.example.org
            from: ops@example.org
            starttls: yes please
            """,
            """
            host: smtp.example.org
            from: ops
            """,
            """
            host: smtp.example.org
            from: ops@example.org
            password: hunter2
            username: ops
            """,
            """
            host: smtp.example.org
            from: ops@example.org
            password: ${env:SMTP_PASSWORD}
            """,
            """
            host: smtp.example.org
            from: ops@example.org
            port: 99999
            """,
            """
            host: smtp://smtp.example.org
            from: ops@example.org
            """,
            """
            host: smtp.example.org
            from: ops@example.org
            starttls: maybe
            """,
            """
            host: smtp.example.org
            from: ops@example.org
            ca_file: /etc/ssl/private-ca.pem
            """,
        ])

    /// Checks host, port, sender, login pair, flags and timeout on top of required keys and the password reference.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor) + settings.checkDuration("timeout") + settings.checkFlag("starttls")
        if let host = settings.raw("host"), !ChannelEnvironment.isReference(host), !isHostName(host) {
            problems.append(settings.problem("host", "'\(host)' is not a host name or address", hint: "write e.g. 'host: smtp.example.org'"))
        }
        if let port = settings.raw("port"), !(1...65_535).contains(Int(port) ?? 0) {
            problems.append(settings.problem("port", "'port' must be a number from 1 to 65535, not '\(port)'"))
        }
        if let from = settings.raw("from"), !ChannelEnvironment.isReference(from), mailbox(from) == nil {
            problems.append(
                settings.problem("from", "'\(from)' is not an e-mail address", hint: "write 'from: ops@example.org' or 'from: Ops <ops@example.org>'"))
        }
        for (key, other) in [("username", "password"), ("password", "username")] where settings.raw(key) != nil && settings.raw(other) == nil {
            problems.append(settings.problem(key, "'\(key)' needs '\(other)' too", hint: "set both to log in, or neither"))
        }
        if settings.raw("ca_file") != nil, settings.flag("starttls") != true {
            problems.append(settings.problem("ca_file", "'ca_file' is used with 'starttls: true' only"))
        }
        for key in ["domain", "helo"] {
            if let name = settings.raw(key), !isHostName(name) { problems.append(settings.problem(key, "'\(name)' is not a domain name")) }
        }
        return problems
    }

    let client: SMTPClient
    let from: String
    let sender: String
    let domain: String
    private let secrets: [String]
    let inboundSigningKey: String?
    private let threads = EmailThreads()

    /// Resolves the host, sender and login; fails when a reference is unset, a value is malformed or ca_file is unreadable.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        let host = try settings.required("host", in: environment)
        guard Self.isHostName(host) else { throw ChannelSetupError("\(settings.channel).host is not a host name or address") }
        from = try settings.required("from", in: environment)
        guard let sender = Self.mailbox(from) else { throw ChannelSetupError("\(settings.channel).from is not an e-mail address") }
        self.sender = sender
        domain = settings.raw("domain") ?? String(sender.split(separator: "@").last ?? "localhost")
        let startTLS = settings.flag("starttls") ?? false
        let port = settings.raw("port").flatMap(Int.init) ?? (startTLS ? 587 : 25)
        var credentials: (username: String, password: String)?
        var secrets: [String] = []
        if settings.raw("username") != nil || settings.raw("password") != nil {
            let username = try settings.required("username", in: environment)
            let password = try settings.required("password", in: environment)
            credentials = (username, password)
            secrets = [
                password, Data(password.utf8).base64EncodedString(), Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString(),
            ]
        }
        self.secrets = secrets
        inboundSigningKey = try settings.resolved("inbound_signing_key", in: environment)
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = settings.raw("ca_file") {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ChannelSetupError("\(settings.channel).ca_file '\(file)' cannot be read")
            }
            tls.trustRoots = .file(file)
        }
        client = SMTPClient(
            host: host, port: port, startTLS: startTLS, tls: tls, credentials: credentials, heloName: settings.raw("helo") ?? domain,
            timeout: try settings.timeout(default: .seconds(30)))
    }

    /// The executor waits a little longer than the SMTP timeout, so the client's own error (with its reason) wins.
    public var deliveryTimeout: Double? { Double(client.timeout.components.seconds) + 5 }

    /// Sends the message to the address with copies to `cc` (all in RCPT TO; the copies in a Cc header).
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        let to = address.map { [$0] } ?? []
        var recipients: [String] = []
        for candidate in to + message.cc where !recipients.contains(candidate) {
            guard Self.isAddress(candidate) else {
                return .failed(DeliveryFailure(retryable: false, reason: "'\(candidate)' is not an e-mail address"))
            }
            recipients.append(candidate)
        }
        guard !recipients.isEmpty else {
            return .failed(DeliveryFailure(retryable: false, reason: "the message has no e-mail recipient"))
        }
        let messageID = "<\(Self.idPart(message.idempotencyKey))@\(domain)>"
        let root = "<\(Self.idPart(message.incidentID))@\(domain)>"
        let previous = await threads.lastMessage(of: message.incidentID).flatMap { $0 == messageID ? nil : $0 }
        let email = EmailMessage(
            from: from, to: to, cc: message.cc.filter { !to.contains($0) }, subject: message.subject ?? "Incident \(message.incidentID)",
            date: Date(), messageID: messageID, inReplyTo: previous ?? root, references: [root] + (previous.map { [$0] } ?? []),
            extraHeaders: [
                ("Auto-Submitted", "auto-generated"), ("X-Escalate-Incident", Self.idPart(message.incidentID)),
                ("X-Escalate-Kind", message.kind.rawValue),
            ],
            body: message.body)
        do {
            _ = try await client.send(from: sender, to: recipients, data: email.data())
        } catch {
            return .failed(DeliveryFailure(retryable: error.retryable, reason: mask(error.description)))
        }
        await threads.sent(messageID, in: message.incidentID)
        return .delivered(DeliveryReceipt(externalID: messageID))
    }

    private func mask(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// The address in `addr@host` or `Name <addr@host>`; nil when there is none.
    static func mailbox(_ text: String) -> String? {
        var address = text
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            guard text[..<open].unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) else { return nil }
        }
        return isAddress(address) ? address : nil
    }

    /// `local@domain` with no spaces, controls or brackets.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), isHostName(String(parts[1])) else { return false }
        return parts[0].unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 && !"<>()[],;:\"\\".unicodeScalars.contains($0) }
    }

    /// Letters, digits, `-` and `.`, or an IP address.
    static func isHostName(_ text: String) -> Bool {
        // Text of ASCII letters, digits, `-` and `.` only (the usual case) is answered from its bytes: each is one
        // character, and the character check below holds for it.
        if !text.isEmpty, text.utf8.allSatisfy({ isHostByte($0) }) { return text.utf8.count <= 253 }
        guard !text.isEmpty, text.count <= 253 else { return false }
        return SMTPClient.isIPAddress(text) || text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    /// An ASCII letter, digit, `-` or `.`.
    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "-"), UInt8(ascii: "."): return true
        default: return false
        }
    }

    /// Text as the left part of a message id: RFC 5322 atext kept, every other byte (and `=`, `.`) as `=XX`.
    static func idPart(_ text: String) -> String {
        let kept = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/?^_`{|}~".utf8)
        return text.utf8.map { kept.contains($0) ? String(UnicodeScalar($0)) : String(format: "=%02X", $0) }.joined()
    }
}
