import Logging
import NIOCore
import NIOPosix

/// The SMTP listener of `serve --smtp-listen HOST:PORT`: takes replies to escalation messages over plain SMTP (put it
/// behind your mail exchanger, which checks SPF/DKIM and relays replies to it) and hands each message to `deliver`,
/// whose verdict (an SMTP code and a line of text) is the answer to the message's data. Sessions are independent;
/// one idle for `idleSeconds` is told so and closed.
public struct InboundMailServer: Sendable {
    /// The envelope and text of one received message.
    public typealias Deliver = @Sendable (_ data: [UInt8], _ from: String, _ to: [String], _ peer: String) async -> (code: Int, text: String)

    /// The name given in greetings.
    public var hostname: String
    /// The largest message taken, in bytes.
    public var maxMessageBytes: Int
    /// How long a session may stay silent.
    public var idleSeconds: Int64
    /// The most sessions at once; a client beyond them is told to try later (421) and closed.
    public var maxSessions: Int
    /// Where messages go.
    public var deliver: Deliver
    /// Where sessions are logged.
    public var logger: Logger

    /// A listener handing messages to `deliver`.
    public init(
        hostname: String, maxMessageBytes: Int = 1 << 20, idleSeconds: Int64 = 60, maxSessions: Int = 64, logger: Logger, deliver: @escaping Deliver
    ) {
        self.hostname = hostname
        self.maxMessageBytes = maxMessageBytes
        self.idleSeconds = idleSeconds
        self.maxSessions = maxSessions
        self.logger = logger
        self.deliver = deliver
    }

    /// A bound listener: its port, and `run()` to take sessions until the task is cancelled.
    public struct Bound: Sendable {
        /// The port bound (useful with port 0).
        public let port: Int
        let channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        let server: InboundMailServer

        /// Takes sessions, each in its own task, until cancelled; then closes the listening socket.
        public func run() async {
            let sessions = SMTPSessionCount(limit: server.maxSessions)
            do {
                try await channel.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { group in
                        for try await connection in inbound {
                            group.addTask {
                                guard await sessions.enter() else {
                                    try? await connection.executeThenClose { _, outbound in
                                        try await outbound.write(ByteBuffer(string: "421 4.7.0 too many sessions; try again later\r\n"))
                                    }
                                    return
                                }
                                await server.session(connection)
                                await sessions.leave()
                            }
                        }
                    }
                }
            } catch {
                if !Task.isCancelled { server.logger.error("the SMTP listener stopped", metadata: ["error": "\(error)"]) }
            }
        }
    }

    /// Binds `host:port`.
    public func bind(host: String, port: Int) async throws -> Bound {
        let idle = TimeAmount.seconds(idleSeconds)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try child.pipeline.syncOperations.addHandler(SMTPIdleCloser())
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        return Bound(port: channel.channel.localAddress?.port ?? port, channel: channel, server: self)
    }

    /// One SMTP session: lines in, answers out, each complete message handed to `deliver`.
    func session(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let peer = connection.channel.remoteAddress?.description ?? "?"
        do {
            try await connection.executeThenClose { inbound, outbound in
                var receiver = SMTPReceiver(hostname: hostname, maxMessageBytes: maxMessageBytes)
                try await outbound.write(ByteBuffer(string: receiver.greeting))
                var pending: [UInt8] = []
                for try await var buffer in inbound {
                    pending += buffer.readBytes(length: buffer.readableBytes) ?? []
                    var start = 0
                    while let newline = pending[start...].firstIndex(of: 10) {
                        var line = Array(pending[start..<newline])
                        start = newline + 1
                        if line.last == 13 { line.removeLast() }
                        switch receiver.feed(line) {
                        case .none: continue
                        case .reply(let text): try await outbound.write(ByteBuffer(string: text))
                        case .close(let text):
                            try await outbound.write(ByteBuffer(string: text))
                            return
                        case .message(let data, let from, let to):
                            let verdict = await deliver(data, from, to, peer)
                            let code = (200...599).contains(verdict.code) ? verdict.code : 451
                            let status = code < 300 ? "2.0.0" : code < 500 ? "4.3.0" : "5.7.1"
                            try await outbound.write(ByteBuffer(string: "\(code) \(status) \(SMTPReceiver.replyText(verdict.text))\r\n"))
                        }
                    }
                    pending.removeFirst(start)
                    // A command line without an end, or a data line far longer than any mail program writes.
                    if pending.count > (receiver.readingData ? 1 << 16 : SMTPReceiver.maxCommandLine) {
                        try await outbound.write(ByteBuffer(string: "500 5.5.2 line too long; closing\r\n"))
                        return
                    }
                }
            }
        } catch {
            logger.debug("SMTP session ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
    }
}
