import EscalationServer
import Foundation
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing

/// The socket-level edges, on the server's own HTTP/1.1 pipeline over an embedded channel (no sockets, no sleeps:
/// timeouts run on the embedded loop's clock).
@Suite("HTTP edges: parse errors, 100-continue, timeouts")
struct HTTPEdgeHandlerTests {
    /// A channel with the pipeline `serve` uses (NIO's HTTP/1.1 codec, Hummingbird's HTTP types codec, the edge handler).
    static func channel(maxBodyBytes: Int = 1024) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: .init())
        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        try channel.pipeline.syncOperations.addHandler(
            HTTPEdgeHandler(limits: .init(headerTimeout: .seconds(30), bodyIdleTimeout: .seconds(60), maxBodyBytes: maxBodyBytes)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// Sends bytes in; a parse error the channel rethrows is ignored (the answer is what matters).
    static func send(_ channel: EmbeddedChannel, _ text: String) {
        _ = try? channel.writeInbound(ByteBuffer(string: text))
    }

    /// Everything written out so far, as text.
    static func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    @Test("a 100 KB header is 431 with a JSON body, not 400")
    func headerTooLarge() throws {
        let channel = try Self.channel()
        Self.send(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n")
        let answer = try Self.written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 431"), "\(answer)")
        #expect(answer.contains(#""error":"the request's header fields are too large"#), "\(answer)")
        #expect(answer.lowercased().contains("connection: close"))
    }

    @Test("a malformed chunked body is 400 naming the chunk, not 413")
    func malformedChunk() throws {
        let channel = try Self.channel()
        Self.send(channel, "POST /v1/incidents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
        let answer = try Self.written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
        #expect(answer.contains("chunked body is malformed"), "\(answer)")
    }

    @Test("Expect: 100-continue is answered 100 and the request goes on")
    func expectContinue() throws {
        let channel = try Self.channel()
        Self.send(channel, "POST /v1/incidents HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(try Self.written(channel) == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil)
    }

    @Test("an announced body over the limit is 413 before it is read; another expectation is 417")
    func refusedEarly() throws {
        let channel = try Self.channel(maxBodyBytes: 1024)
        Self.send(channel, "POST /v1/incidents HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10485760\r\n\r\n")
        let answer = try Self.written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
        #expect(answer.contains("larger than the limit of 1024 bytes"))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)

        let other = try Self.channel()
        Self.send(other, "POST /v1/incidents HTTP/1.1\r\nHost: x\r\nExpect: fancy\r\nContent-Length: 2\r\n\r\n")
        #expect(try Self.written(other).hasPrefix("HTTP/1.1 417"))
    }

    @Test("an announced body over the limit without Expect goes to the route, which answers 413 in its own format")
    func oversizedWithoutExpect() throws {
        let channel = try Self.channel(maxBodyBytes: 1024)
        Self.send(channel, "POST /v2/enqueue HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n")
        #expect(try Self.written(channel).isEmpty)
        #expect(try channel.readInbound(as: HTTPRequestPart.self) != nil)
    }

    @Test("a connection kept alive after a response and left idle is closed without a 408")
    func idleKeepAlive() throws {
        let channel = try Self.channel()
        Self.send(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        var fields = HTTPFields()
        fields[.contentLength] = "0"
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok, headerFields: fields)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        let answer = try Self.written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        channel.embeddedEventLoop.advanceTime(by: .seconds(31))
        #expect(try Self.written(channel).isEmpty)
        #expect(!channel.isActive)
    }

    @Test("a head trickled in slowly is answered 408 and closed after the header timeout, not before")
    func slowHead() throws {
        let channel = try Self.channel()
        Self.send(channel, "POST /v1/incidents HTTP/1.1\r\nHo")
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        Self.send(channel, "st: x\r\n")
        #expect(try Self.written(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        let answer = try Self.written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
        #expect(answer.contains("no request head arrived within 30 s"))
        #expect(!channel.isActive)
    }

    @Test("a body that stops arriving is cut off after the body timeout; a request being answered is not")
    func stalledBody() throws {
        let channel = try Self.channel()
        Self.send(channel, "POST /v1/incidents HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"ti")
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        Self.send(channel, "t")
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(try Self.written(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try Self.written(channel).contains("408"))

        let answering = try Self.channel()
        Self.send(answering, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answering.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(try Self.written(answering).isEmpty)
        #expect(answering.isActive)
    }

    /// Answers the request just read with an empty 200.
    static func answerOK(_ channel: EmbeddedChannel) throws {
        var fields = HTTPFields()
        fields[.contentLength] = "0"
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok, headerFields: fields)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
    }

    @Test("each timeout runs from its own start, however many requests a kept-alive connection served before")
    func timeoutsAfterManyRequests() throws {
        // The handler keeps one loop task across requests and moves it only for an earlier instant: requests 25 s
        // apart are each within the header timeout, though the first task's instant passed long ago.
        let channel = try Self.channel()
        for _ in 0..<10 {
            Self.send(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try Self.answerOK(channel)
            #expect(try Self.written(channel).hasPrefix("HTTP/1.1 200"))
            channel.embeddedEventLoop.advanceTime(by: .seconds(25))
            #expect(channel.isActive)
        }
        // A body that stops arriving: its own 60 s count, not the header timeout's.
        Self.send(channel, "POST /v1/incidents HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"ti")
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(try Self.written(channel).isEmpty)
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try Self.written(channel).contains("408"))
        #expect(!channel.isActive)

        // Idle after the last of many responses: closed 30 s after it, not before, without a 408.
        let idle = try Self.channel()
        for _ in 0..<5 {
            Self.send(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try Self.answerOK(idle)
            _ = try Self.written(idle)
            idle.embeddedEventLoop.advanceTime(by: .seconds(20))
        }
        Self.send(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try Self.answerOK(idle)
        _ = try Self.written(idle)
        idle.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(idle.isActive)
        idle.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try Self.written(idle).isEmpty)
        #expect(!idle.isActive)
    }
}
