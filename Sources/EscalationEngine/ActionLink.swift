/// A link in a message that acts on an incident for one recipient (`{{ incident.ack_url }}`). The engine is pure, so
/// it writes a placeholder (`escalate-link:acknowledge:INCIDENT:RECIPIENT!`); whoever sends the message turns it
/// into a URL: the executor into a signed, expiring link when it delivers, the simulator never sees one.
public struct ActionLink: Sendable, Hashable {
    /// What following the link does.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// Acknowledge the incident.
        case acknowledge
        /// Resolve the incident.
        case resolve
        /// Move the ladder to its next layer now.
        case escalate

        /// The verb on the confirmation page: `Acknowledge`, `Resolve`, `Escalate`.
        public var verb: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
        /// The past tense for the timeline: `acknowledged`, `resolved`, `escalated`.
        public var done: String {
            switch self {
            case .acknowledge: "acknowledged"
            case .resolve: "resolved"
            case .escalate: "escalated"
            }
        }
    }

    /// What following the link does.
    public var action: Action
    /// The incident.
    public var incident: String
    /// The contact the message goes to (empty for a message to a channel, which has no one recipient).
    public var recipient: String

    /// Creates a link.
    public init(action: Action, incident: String, recipient: String) {
        self.action = action
        self.incident = incident
        self.recipient = recipient
    }

    static let prefix = "escalate-link:"

    /// The text the engine renders in place of the URL.
    public var placeholder: String { "\(Self.prefix)\(action.rawValue):\(Self.escape(incident)):\(Self.escape(recipient))!" }

    /// `text` with every placeholder replaced by `url(link)`; text that merely looks like one is kept. The prefix and
    /// the closing `!` are found in the UTF-8 bytes (every sent message is scanned; Foundation's `range(of:)` cost
    /// more than signing the link).
    public static func substitute(in text: String, _ url: (ActionLink) -> String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard var start = firstPrefix(in: bytes, from: 0) else { return nil }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 128)
            var copied = 0
            while true {
                let after = start + prefixBytes.count
                if let end = bytes[after...].firstIndex(of: UInt8(ascii: "!")), let link = parse(UnsafeBufferPointer(rebasing: bytes[after..<end])) {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                    result.append(contentsOf: url(link).utf8)
                    copied = end + 1
                    guard let next = firstPrefix(in: bytes, from: copied) else { break }
                    start = next
                } else {
                    guard let next = firstPrefix(in: bytes, from: after) else { break }
                    start = next
                }
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: result, as: UTF8.self)
        } ?? text
    }

    static let prefixBytes = Array(prefix.utf8)

    /// The offset of the first placeholder prefix at or after `from`.
    static func firstPrefix(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let count = prefixBytes.count
        guard bytes.count >= count else { return nil }
        var index = from
        while index <= bytes.count - count {
            if bytes[index] == prefixBytes[0] {
                var matched = 1
                while matched < count, bytes[index + matched] == prefixBytes[matched] { matched += 1 }
                if matched == count { return index }
            }
            index += 1
        }
        return nil
    }

    /// `parse` of the placeholder's body as UTF-8 bytes, without splitting it into strings first: the same link or
    /// nil for every input (`ActionLinkParseTests`). A part with a byte other than a letter, a digit, `-` or `_` is
    /// unescaped by `unescape` as before; the usual part has none and is taken as it is.
    static func parse(_ body: UnsafeBufferPointer<UInt8>) -> ActionLink? {
        let colon = UInt8(ascii: ":")
        guard let first = body.firstIndex(of: colon) else { return nil }
        let rest = body[(first + 1)...]
        guard let second = rest.firstIndex(of: colon), !body[(second + 1)...].contains(colon),
            let action = action(UnsafeBufferPointer(rebasing: body[..<first])),
            let incident = part(UnsafeBufferPointer(rebasing: body[(first + 1)..<second])), !incident.isEmpty,
            let recipient = part(UnsafeBufferPointer(rebasing: body[(second + 1)...]))
        else { return nil }
        return ActionLink(action: action, incident: incident, recipient: recipient)
    }

    /// The action whose raw value is exactly these bytes.
    static func action(_ bytes: UnsafeBufferPointer<UInt8>) -> Action? {
        for action in Action.allCases where action.rawValue.utf8.elementsEqual(bytes) { return action }
        return nil
    }

    /// One part of a placeholder unescaped: taken as it is when every byte is plain, else as `unescape` reads it.
    static func part(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.allSatisfy(isPlain) { return String(decoding: bytes, as: UTF8.self) }
        return unescape(Substring(decoding: bytes, as: UTF8.self))
    }

    static func isPlain(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 95
    }

    /// Letters, digits, `-` and `_` as they are; every other byte as `%XX`, so `:` and `!` never occur.
    static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if isPlain(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 37 {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let value = UInt8(String(decoding: [utf8[high], utf8[low]], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                index = utf8.index(after: low)
            } else {
                guard isPlain(byte) else { return nil }
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
