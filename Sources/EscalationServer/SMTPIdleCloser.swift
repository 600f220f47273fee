import NIOCore

/// Closes a session that stayed silent too long, telling the client why.
final class SMTPIdleCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else { return context.fireUserInboundEventTriggered(event) }
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: "421 4.4.2 idle too long; closing\r\n")), promise: nil)
        context.close(promise: nil)
    }
}
