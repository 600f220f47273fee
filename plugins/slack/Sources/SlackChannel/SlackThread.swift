/// A posted message a reply can thread under: its channel and `ts`, kept in a receipt as `CHANNEL/TS`.
struct SlackThread: Sendable {
    /// The channel id the message was posted in.
    var channel: String
    /// The message's timestamp id.
    var ts: String

    /// A thread from its parts.
    init(channel: String, ts: String) {
        self.channel = channel
        self.ts = ts
    }

    /// A thread from a receipt id `CHANNEL/TS`; nil for anything else.
    init?(_ id: String) {
        guard let slash = id.lastIndex(of: "/") else { return nil }
        channel = String(id[..<slash])
        ts = String(id[id.index(after: slash)...])
        if channel.isEmpty || ts.isEmpty { return nil }
    }

    /// `CHANNEL/TS`, for a receipt.
    var id: String { "\(channel)/\(ts)" }
}
