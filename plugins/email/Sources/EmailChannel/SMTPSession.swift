import NIOCore

/// Reading replies and writing commands on an open SMTP connection, inside one task.
struct SMTPSession {
    /// The server's replies.
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    /// Where commands go.
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// The next reply; fails when it is not `code` (4xx retryable, 5xx not) or the connection closes.
    @discardableResult
    mutating func expect(_ code: Int, during step: String) async throws -> SMTPReply {
        let reply = try await next(during: step)
        guard reply.code == code else {
            if reply.isPositive { throw SMTPFailure(retryable: false, "the mail server answered \(step) with an unexpected \(reply.code) \(reply.text)") }
            throw SMTPFailure(reply, during: step)
        }
        return reply
    }

    /// Sends a command line and returns the reply whatever its code.
    mutating func command(_ line: String, during step: String) async throws -> SMTPReply {
        try await send(ByteBuffer(string: line + "\r\n"))
        return try await next(during: step)
    }

    /// Sends a command line and expects `code`.
    @discardableResult
    mutating func command(_ line: String, expect code: Int, during step: String) async throws -> SMTPReply {
        try await send(ByteBuffer(string: line + "\r\n"))
        return try await expect(code, during: step)
    }

    /// Sends raw bytes (the message data).
    mutating func write(_ bytes: [UInt8]) async throws {
        try await send(ByteBuffer(bytes: bytes))
    }

    /// Writes; when the connection is gone, its reason (a TLS handshake failure, say) is on the inbound side.
    private mutating func send(_ buffer: ByteBuffer) async throws {
        do {
            try await outbound.write(buffer)
        } catch {
            _ = try await replies.next()
            throw error
        }
    }

    private mutating func next(during step: String) async throws -> SMTPReply {
        guard let reply = try await replies.next() else {
            throw SMTPFailure(retryable: true, "the mail server closed the connection during \(step)")
        }
        return reply
    }
}
