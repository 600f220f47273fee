import NIOCore

/// Splits the server's bytes into SMTP replies: lines of `CODE-text` continued until a `CODE text` line.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// The longest line accepted (RFC 5321 says 512; servers send longer EHLO lines in practice).
    static let maximumLine = 8_192

    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLine { throw SMTPFailure(retryable: true, "the server sent a line longer than 8 KiB") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        while line.last == "\n" || line.last == "\r" || line.last == "\r\n" { line.removeLast() }
        let characters = Array(line)
        guard characters.count >= 3, let code = Int(String(characters[0..<3])), (200...599).contains(code) else {
            throw SMTPFailure(retryable: true, "the server sent something that is not an SMTP reply")
        }
        let text = characters.count > 4 ? String(characters[4...]) : ""
        pending.append(text)
        if characters.count > 3, characters[3] == "-" { return .continue }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
        pending = []
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
