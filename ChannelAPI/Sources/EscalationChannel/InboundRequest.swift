import EscalationCore

/// A request a provider sent to `POST /v1/inbound/{channel}` (an SMS reply, a keypress callback, a button press),
/// handed to the channel's plugin as it arrived, so the plugin can check the provider's signature over it.
public struct InboundRequest: Sendable {
    /// The HTTP method (`POST`).
    public var method: String
    /// The URL the provider called, as it knows it: the server's public base URL, the path and the query.
    public var url: String
    /// Header fields with lower-case names (a repeated field's values joined by `, `).
    public var headers: [String: String]
    /// The body as received.
    public var body: [UInt8]
    /// When it arrived (for replay windows).
    public var receivedAt: Instant

    /// Creates a request; header names are lower-cased.
    public init(method: String = "POST", url: String, headers: [String: String] = [:], body: [UInt8], receivedAt: Instant) {
        self.method = method
        self.url = url
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
        self.body = body
        self.receivedAt = receivedAt
    }

    /// A header's value by name (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body read as an `application/x-www-form-urlencoded` form, in order (`+` is a space; bad escapes kept as they are).
    public var form: [(name: String, value: String)] { Self.formFields(text) }

    /// The first value of a form field.
    public func formValue(_ name: String) -> String? { form.first { $0.name == name }?.value }

    /// Reads `a=1&b=x+y` into name/value pairs.
    public static func formFields(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeFormComponent(parts[0])
            let value = parts.count > 1 ? decodeFormComponent(parts[1]) : ""
            return (name, value)
        }
    }

    /// Decodes one form component: `+` is a space, `%XX` a byte; an incomplete escape is kept as written.
    public static func decodeFormComponent(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
