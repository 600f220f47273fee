import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client over SwiftNIO, for what no package here provides: one connection per message, EHLO,
/// STARTTLS when asked, AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO for every recipient, DATA, QUIT; all within a
/// deadline. A password is never sent over an unencrypted connection to another machine.
struct SMTPClient: Sendable {
    /// The server's host name or address.
    var host: String
    /// The server's port.
    var port: Int
    /// Whether to upgrade the connection with STARTTLS (and fail when the server does not offer it).
    var startTLS: Bool
    /// How the server's certificate is checked.
    var tls: TLSConfiguration
    /// The login, when the server needs one.
    var credentials: (username: String, password: String)?
    /// The name this client gives in EHLO.
    var heloName: String
    /// How long the whole conversation may take.
    var timeout: Duration

    /// Sends one message (already dot-stuffed and ending in CRLF.CRLF) to every recipient.
    /// - Returns: the server's reply to the message data (often with its queue id).
    func send(from sender: String, to recipients: [String], data: [UInt8]) async throws(SMTPFailure) -> SMTPReply {
        let started = ContinuousClock.now
        do {
            let connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(max(1, timeout.components.seconds)))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            let remaining = timeout - (ContinuousClock.now - started)
            return try await withThrowingTaskGroup(of: SMTPReply.self) { group in
                group.addTask {
                    try await connection.executeThenClose { inbound, outbound in
                        var session = SMTPSession(replies: inbound.makeAsyncIterator(), outbound: outbound)
                        return try await conversation(&session, channel: connection.channel, sender: sender, recipients: recipients, data: data)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: remaining)
                    connection.channel.close(promise: nil)
                    throw SMTPFailure(retryable: true, "the mail server \(host):\(port) did not finish within \(describe(timeout))")
                }
                defer { group.cancelAll() }
                guard let reply = try await group.next() else { throw SMTPFailure(retryable: true, "the SMTP conversation ended early") }
                return reply
            }
        } catch {
            if ContinuousClock.now - started >= timeout {
                throw SMTPFailure(retryable: true, "the mail server \(host):\(port) did not finish within \(describe(timeout))")
            }
            throw failure(for: error)
        }
    }

    /// The conversation after connecting.
    private func conversation(
        _ session: inout SMTPSession, channel: any Channel, sender: String, recipients: [String], data: [UInt8]
    ) async throws -> SMTPReply {
        try await session.expect(220, during: "the connection")
        var extensions = try await hello(&session)
        var encrypted = false
        if startTLS {
            guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                throw SMTPFailure(retryable: false, "the mail server \(host) does not offer STARTTLS, and the channel asks for it")
            }
            try await session.command("STARTTLS", expect: 220, during: "STARTTLS")
            let context = try NIOSSLContext(configuration: tls)
            let name = Self.isIPAddress(host) ? nil : host
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: name), position: .first)
            }.get()
            encrypted = true
            extensions = try await hello(&session)
        }
        if let credentials {
            guard encrypted || Self.isLoopback(host) else {
                throw SMTPFailure(
                    retryable: false, "refusing to send the SMTP password to \(host) over an unencrypted connection; set 'starttls: true'")
            }
            try await authenticate(&session, credentials, mechanisms: Self.mechanisms(extensions))
        }
        try await session.command("MAIL FROM:<\(sender)>", expect: 250, during: "the sender <\(sender)>")
        var refused: [String] = []
        var lastRefusal: SMTPReply?
        for recipient in recipients {
            let reply = try await session.command("RCPT TO:<\(recipient)>", during: "the recipient <\(recipient)>")
            if reply.code != 250, reply.code != 251 {
                refused.append(recipient)
                lastRefusal = reply
            }
        }
        if let lastRefusal {
            _ = try? await session.command("RSET", during: "RSET")
            _ = try? await session.command("QUIT", during: "QUIT")
            throw SMTPFailure(lastRefusal, during: "the recipient\(refused.count == 1 ? "" : "s") \(refused.map { "<\($0)>" }.joined(separator: ", "))")
        }
        try await session.command("DATA", expect: 354, during: "DATA")
        try await session.write(data)
        let accepted = try await session.expect(250, during: "the message")
        _ = try? await session.command("QUIT", during: "QUIT")
        return accepted
    }

    /// EHLO (HELO when the server does not know EHLO); the extensions the server lists.
    private func hello(_ session: inout SMTPSession) async throws -> [String] {
        let reply = try await session.command("EHLO \(heloName)", during: "EHLO")
        if reply.code == 250 { return Array(reply.lines.dropFirst()) }
        try await session.command("HELO \(heloName)", expect: 250, during: "HELO")
        return []
    }

    private func authenticate(_ session: inout SMTPSession, _ login: (username: String, password: String), mechanisms: [String]) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            try await session.command("AUTH PLAIN \(base64("\u{0}\(login.username)\u{0}\(login.password)"))", expect: 235, during: "the login")
        } else if mechanisms.contains("LOGIN") {
            try await session.command("AUTH LOGIN", expect: 334, during: "the login")
            try await session.command(base64(login.username), expect: 334, during: "the login")
            try await session.command(base64(login.password), expect: 235, during: "the login")
        } else {
            throw SMTPFailure(retryable: false, "the mail server \(host) offers no AUTH PLAIN or LOGIN")
        }
    }

    /// The AUTH mechanisms in EHLO extensions (`AUTH PLAIN LOGIN`, `AUTH=LOGIN`).
    static func mechanisms(_ extensions: [String]) -> [String] {
        extensions.flatMap { line -> [String] in
            let upper = line.uppercased()
            guard upper.hasPrefix("AUTH ") || upper.hasPrefix("AUTH=") else { return [] }
            return upper.dropFirst(5).split(separator: " ").map(String.init)
        }
    }

    /// Maps connection and TLS errors to failures.
    private func failure(for error: any Error) -> SMTPFailure {
        switch error {
        case let failure as SMTPFailure: return failure
        case let error as NIOConnectionError:
            let refused = error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
            return SMTPFailure(retryable: true, "could not connect to the mail server \(host):\(port)\(refused ? ": connection refused" : "")")
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return SMTPFailure(retryable: true, "could not connect to the mail server \(host):\(port): connection refused")
        case let error as NIOSSLError:
            return SMTPFailure(retryable: false, "TLS with the mail server \(host) failed: \(error)")
        case let error as BoringSSLError:
            return SMTPFailure(retryable: false, "TLS with the mail server \(host) failed: \(error)")
        case let error as NIOSSLExtraError:
            return SMTPFailure(retryable: false, "TLS with the mail server \(host) failed: \(error)")
        case let error as ChannelError:
            if case .connectTimeout = error {
                return SMTPFailure(retryable: true, "could not connect to the mail server \(host):\(port) within \(describe(timeout))")
            }
            return SMTPFailure(retryable: true, "the mail server \(host):\(port) closed the connection")
        default:
            return SMTPFailure(retryable: true, "SMTP with \(host):\(port) failed: \(error)")
        }
    }

    private func describe(_ duration: Duration) -> String { "\(duration.components.seconds)s" }

    /// Whether text is an IPv4 or IPv6 address (no SNI for those).
    static func isIPAddress(_ text: String) -> Bool { (try? SocketAddress(ipAddress: text, port: 0)) != nil }

    /// Whether the host is this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
