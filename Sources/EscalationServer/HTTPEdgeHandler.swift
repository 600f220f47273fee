import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// The socket-level edges of the HTTP server, which a route never sees: every answer is JSON `{"error": …}` and
/// the connection is closed after it.
///
/// - A request head that does not arrive within `headerTimeout` of the connection opening (or of the previous
///   response ending) is answered 408 (slowloris); a body that stops arriving for `bodyIdleTimeout` is answered 408.
/// - A head the parser refuses is 431 when its header fields are too large, else 400 naming the problem; a malformed
///   chunked body is 400 (not 413).
/// - `Expect: 100-continue` is answered `100 Continue` when the body may come, 413 at once when its `Content-Length`
///   is over `maxBodyBytes`; any other expectation is 417.
/// - A connection kept alive after a response and then idle for `headerTimeout` is closed without an answer (a
///   client reusing it would take a 408 for its next request's answer).
public final class HTTPEdgeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    /// What arrives: request parts from Hummingbird's codec.
    public typealias InboundIn = HTTPRequestPart
    /// What is passed on: the same parts.
    public typealias InboundOut = HTTPRequestPart
    /// What the server writes: response parts.
    public typealias OutboundIn = HTTPResponsePart
    /// What goes to the codec: the same parts.
    public typealias OutboundOut = HTTPResponsePart

    /// The limits and timeouts of one connection.
    public struct Limits: Sendable {
        /// Longest wait for a request head.
        public var headerTimeout: TimeAmount
        /// Longest pause while a body is arriving.
        public var bodyIdleTimeout: TimeAmount
        /// Largest body accepted (the API's limit).
        public var maxBodyBytes: Int

        /// Creates limits.
        public init(headerTimeout: TimeAmount = .seconds(30), bodyIdleTimeout: TimeAmount = .seconds(60), maxBodyBytes: Int = 256 * 1024) {
            self.headerTimeout = headerTimeout
            self.bodyIdleTimeout = bodyIdleTimeout
            self.maxBodyBytes = maxBodyBytes
        }
    }

    private enum State {
        /// Waiting for a request head (a timer runs).
        case awaitingHead
        /// A body is arriving (a timer runs, reset by each part).
        case readingBody
        /// The request is read; the server is answering (no timer).
        case answering
        /// This handler answered and closes the connection; the server's own writes are dropped.
        case closed
    }

    private let limits: Limits
    private var state = State.awaitingHead
    /// The timeout running: when it falls due and what it is for (nil: none).
    private var due: (at: NIODeadline, reason: Timeout)?
    /// The event loop task that checks `due`, and when it runs. A keep-alive connection arms and stops a timeout
    /// three times a request; the task is kept across them and only replaced for an earlier instant, so a request
    /// schedules and cancels no loop task (at most one every `headerTimeout` or so, when the task runs early and
    /// schedules itself for what is due then).
    private var timer: (task: Scheduled<Void>, at: NIODeadline)?
    /// Whether a response head has been written for the current request.
    private var responding = false
    /// Whether the current response has ended (the route may answer before the body is read).
    private var responseEnded = false
    /// Whether a response has been completed on this connection (it is then kept alive, idle).
    private var servedOne = false
    /// The client's IP address as written into each request's `peerField`, once found (at the connection's first
    /// request): a connection's peer does not change, and looking it up (a locked copy of the address, then `inet_ntop`) cost
    /// about 0.3 % of a trigger's CPU per request.
    private var peer: String?
    /// The name of `peerField`, parsed once.
    private static let peerName = HTTPField.Name(peerField)

    /// The request header this handler sets to the client's IP address (whatever the client sent in it is replaced).
    public static let peerField = "Escalate-Client-Address"

    /// Creates the handler for one connection.
    public init(limits: Limits) {
        self.limits = limits
    }

    /// Arms the head timeout when the handler joins an active connection.
    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, after: limits.headerTimeout, reason: .header) }
    }

    /// Cancels the timer.
    public func handlerRemoved(context: ChannelHandlerContext) { stopTimer() }

    /// Arms the head timeout when the connection opens.
    public func channelActive(context: ChannelHandlerContext) {
        arm(context, after: limits.headerTimeout, reason: .header)
        context.fireChannelActive()
    }

    /// Cancels the timer.
    public func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    /// Watches request parts: heads (length and expectations checked), body parts (idle timer), ends.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Once answered here, what else arrives (the rest of a refused body) is read and dropped.
        if case .closed = state { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            cancelTimer()
            responding = false
            responseEnded = false
            if let refusal = refusal(of: head) {
                // Read on for a moment so a client still sending its body gets the answer rather than a reset.
                answer(context, refusal.status, refusal.message, linger: .seconds(2))
                return
            }
            if let expect = head.headerFields[.expect], expect.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
            state = .readingBody
            arm(context, after: limits.bodyIdleTimeout, reason: .body)
            // The client's address, for routes that count per client (console sign-in failures); a value the client
            // sent itself is replaced, so it cannot be forged.
            var forwarded = head
            if let name = Self.peerName {
                if peer == nil { peer = context.channel.remoteAddress?.ipAddress }
                forwarded.headerFields[name] = peer ?? "unknown"
            }
            context.fireChannelRead(wrapInboundOut(.head(forwarded)))
            return
        case .body:
            if case .readingBody = state { arm(context, after: limits.bodyIdleTimeout, reason: .body) }
        case .end:
            cancelTimer()
            state = .answering
            if responseEnded { awaitNextHead(context) }
        }
        context.fireChannelRead(data)
    }

    /// Drops the server's writes once this handler has answered; re-arms the head timeout when a response ends.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .closed = state {
            promise?.succeed(())
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responding = true
        case .end:
            responseEnded = true
            servedOne = true
            if case .answering = state { awaitNextHead(context) }
        default: break
        }
        context.write(data, promise: promise)
    }

    /// Answers a parse error in JSON: 431 for header fields too large, 400 for anything else (a malformed chunked
    /// body among them) unless a response has started, then closes.
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .closed = state { return }
        if let parse = error as? HTTPParserError, !responding {
            let (status, message) = Self.describe(parse)
            answer(context, status, message)
            // The route reading the body hears of it too (its answer is dropped).
            context.fireErrorCaught(error)
            return
        }
        context.fireErrorCaught(error)
    }

    /// The status and message for a parse error.
    static func describe(_ error: HTTPParserError) -> (HTTPResponse.Status, String) {
        switch error {
        case .headerOverflow:
            return (.requestHeaderFieldsTooLarge, "the request's header fields are too large (at most 80 KiB in all); send smaller headers")
        case .invalidChunkSize:
            return (.badRequest, "the chunked body is malformed (a chunk size is not valid hexadecimal); send a valid chunked body or a Content-Length")
        case .invalidContentLength, .unexpectedContentLength:
            return (.badRequest, "the Content-Length header is not valid")
        default:
            return (.badRequest, "the request is not valid HTTP/1.1 (\(error))")
        }
    }

    /// Why a head is refused before its body is read: a body announced larger than the limit (413), an
    /// expectation other than 100-continue (417).
    func refusal(of head: HTTPRequest) -> (status: HTTPResponse.Status, message: String)? {
        let expect = head.headerFields[.expect]?.lowercased()
        // Without an expectation the client sends the body anyway: the route reads up to the limit and answers 413 in
        // its own format (PagerDuty's, Opsgenie's).
        if expect == "100-continue", let length = head.headerFields[.contentLength], let bytes = Int(length), bytes > limits.maxBodyBytes {
            return (.contentTooLarge, "the body is \(bytes) bytes, larger than the limit of \(limits.maxBodyBytes) bytes")
        }
        if let expect, expect != "100-continue" {
            return (.expectationFailed, "only 'Expect: 100-continue' is supported, not '\(head.headerFields[.expect] ?? expect)'")
        }
        return nil
    }

    private enum Timeout { case header, body }

    /// Both the request and its response are complete: the next head's wait starts.
    private func awaitNextHead(_ context: ChannelHandlerContext) {
        state = .awaitingHead
        arm(context, after: limits.headerTimeout, reason: .header)
    }

    /// Starts a timeout (replacing the one running): `reason`'s, due `delay` from the loop's now.
    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount, reason: Timeout) {
        let at = context.eventLoop.now + delay
        due = (at, reason)
        // A task that runs no later serves: it finds the timeout not due yet and schedules itself for it.
        if let timer, timer.at <= at { return }
        schedule(context, at: at)
    }

    /// Replaces the loop task by one that runs at `at` and checks what is due then.
    private func schedule(_ context: ChannelHandlerContext, at: NIODeadline) {
        timer?.task.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: at) {
            let (handler, context) = loopBound.value
            handler.timerRan(context)
        }
        timer = (task, at)
    }

    /// Stops the timeout running; the loop task stays, finds nothing due and ends (see `timerRan`).
    private func cancelTimer() { due = nil }

    /// Stops the timeout and cancels the loop task (the connection is gone or the handler removed).
    private func stopTimer() {
        due = nil
        timer?.task.cancel()
        timer = nil
    }

    /// The loop task ran: the timeout times out if it is due, or the task is scheduled again for when it will be.
    private func timerRan(_ context: ChannelHandlerContext) {
        timer = nil
        guard let due else { return }
        guard due.at <= context.eventLoop.now else { return schedule(context, at: due.at) }
        self.due = nil
        timedOut(context, due.reason)
    }

    private func timedOut(_ context: ChannelHandlerContext, _ reason: Timeout) {
        switch (reason, state) {
        case (.header, .awaitingHead) where servedOne:
            state = .closed
            context.close(promise: nil)
        case (.header, .awaitingHead):
            answer(context, .requestTimeout, "no request head arrived within \(Self.seconds(limits.headerTimeout)); the connection is closed")
        case (.body, .readingBody) where !responding:
            answer(context, .requestTimeout, "the body stopped arriving for \(Self.seconds(limits.bodyIdleTimeout)); the connection is closed")
        case (.body, .readingBody):
            state = .closed
            context.close(promise: nil)
        default: break
        }
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }

    /// Writes a complete JSON error response with `Connection: close` and closes the connection (with `linger`, only
    /// its output at first, and the rest after that long).
    private func answer(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status, _ message: String, linger: TimeAmount? = nil) {
        cancelTimer()
        state = .closed
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data("{}".utf8)
        var body = context.channel.allocator.buffer(capacity: data.count + 1)
        body.writeBytes(data)
        body.writeString("\n")
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.contentLength] = "\(body.readableBytes)"
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        let channel = context.channel
        written.futureResult.whenComplete { _ in
            guard let linger else { return channel.close(promise: nil) }
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
        }
    }
}
