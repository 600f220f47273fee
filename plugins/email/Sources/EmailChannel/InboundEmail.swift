import Foundation

/// A received RFC 5322 message read for its answer: unfolded headers, the sender, the thread's message ids and the
/// reply's own text (the first text/plain part, else text/html without tags; transfer encodings and common charsets
/// decoded; quoted text, the "On … wrote:" line and signatures cut off). Reads any bytes without trapping.
struct InboundEmail: Sendable {
    /// Header fields in order, names lower-cased, values unfolded.
    var headers: [(name: String, value: String)]
    /// The body as received.
    var body: [UInt8]

    /// The most a reply's text may be, in characters, after cutting quotes and signatures.
    static let longestText = 4_000
    /// How deep multipart parts are followed.
    static let deepestPart = 6

    /// The first value of a header (any case).
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// Reads a message: headers up to the first empty line, then the body.
    static func parse(_ bytes: [UInt8]) -> InboundEmail {
        let (head, body) = split(bytes)
        return InboundEmail(headers: headerFields(head), body: body)
    }

    /// The header block and the body, split at the first empty line (CRLF or LF).
    static func split(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        var index = 0
        var lineStart = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                let line = bytes[lineStart..<index]
                if line.isEmpty || line == [13] { return (Array(bytes[0..<lineStart]), Array(bytes[(index + 1)...])) }
                lineStart = index + 1
            }
            index += 1
        }
        return (bytes, [])
    }

    /// Header lines unfolded (a line starting with a space or tab continues the one before).
    static func headerFields(_ head: [UInt8]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for raw in String(decoding: head, as: UTF8.self).split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if let first = line.first, first == " " || first == "\t" {
                if let last = fields.indices.last { fields[last].value += " " + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, fields.count < 500 else { continue }
            fields.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return fields
    }

    /// The address in a From or Sender field (`Name <a@b>`, `a@b`, `a@b (Name)`), lower-cased; nil when there is none.
    static func address(in field: String) -> String? {
        var text = field
        if let open = field.lastIndex(of: "<"), let close = field[open...].firstIndex(of: ">") {
            text = String(field[field.index(after: open)..<close])
        } else if let paren = field.firstIndex(of: "(") {
            text = String(field[..<paren])
        }
        let address = text.trimmingCharacters(in: .whitespaces).lowercased()
        return EmailChannel.isAddress(address) ? address : nil
    }

    /// The sender: the From field's address.
    var from: String? { header("from").flatMap(Self.address(in:)) }

    /// The message ids (`<…>`) of a header, in order.
    static func messageIDs(_ field: String?) -> [String] {
        guard let field else { return [] }
        var ids: [String] = []
        var rest = Substring(field)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">"), ids.count < 100 {
            ids.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }

    /// The incident this message answers, from the ids this channel wrote (`<incident@domain>` is the thread's root,
    /// `<incident/n4/0@domain>` one message of it) in References (oldest first) or In-Reply-To; nil when none is ours.
    func incident(domain: String) -> String? {
        Self.incident(references: header("references"), inReplyTo: header("in-reply-to"), domain: domain)
    }

    /// The incident named by the first of the given ids that this channel's domain wrote.
    static func incident(references: String?, inReplyTo: String?, domain: String) -> String? {
        for id in messageIDs(references) + messageIDs(inReplyTo) {
            guard let at = id.lastIndex(of: "@"), id[id.index(after: at)...].lowercased() == domain.lowercased() else { continue }
            let decoded = decodeIDPart(id[..<at])
            let incident = decoded.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if !incident.isEmpty { return incident }
        }
        return nil
    }

    /// Undoes `EmailChannel.idPart`: `=XX` is a byte.
    static func decodeIDPart(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "="), index + 2 < utf8.count, let high = hex(utf8[index + 1]), let low = hex(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }

    /// The reply's own text: the readable body without quotes and signatures.
    var replyText: String { Self.cleaned(Self.readable(headers: headers, body: body, depth: 0) ?? "") }

    /// The text of a part: text/plain as it is, text/html without tags; a multipart's text/plain part first, else its
    /// first readable part.
    static func readable(headers: [(name: String, value: String)], body: [UInt8], depth: Int) -> String? {
        let type = headers.first { $0.name == "content-type" }?.value ?? "text/plain"
        let (mime, parameters) = contentType(type)
        let encoding = headers.first { $0.name == "content-transfer-encoding" }?.value.lowercased().trimmingCharacters(in: .whitespaces) ?? ""
        if mime.hasPrefix("multipart/") {
            guard depth < deepestPart, let boundary = parameters["boundary"], !boundary.isEmpty else { return nil }
            let parts = self.parts(body, boundary: boundary).prefix(50).map { part -> (headers: [(name: String, value: String)], body: [UInt8]) in
                let (head, rest) = split(part)
                return (headerFields(head), rest)
            }
            func mimeOf(_ part: (headers: [(name: String, value: String)], body: [UInt8])) -> String {
                contentType(part.headers.first { $0.name == "content-type" }?.value ?? "text/plain").0
            }
            let ordered = parts.filter { mimeOf($0) == "text/plain" } + parts.filter { mimeOf($0) != "text/plain" }
            for part in ordered {
                if let text = readable(headers: part.headers, body: part.body, depth: depth + 1) { return text }
            }
            return nil
        }
        guard mime == "text/plain" || mime == "text/html" else { return nil }
        let decoded: [UInt8] =
            switch encoding {
            case "quoted-printable": quotedPrintable(body)
            case "base64": Data(base64Encoded: String(decoding: body, as: UTF8.self).filter { !$0.isWhitespace }).map { Array($0) } ?? []
            default: body
            }
        let charset = parameters["charset"]?.lowercased() ?? "utf-8"
        let text =
            ["iso-8859-1", "iso-8859-15", "latin1", "windows-1252"].contains(charset)
            ? String(String.UnicodeScalarView(decoded.map { Unicode.Scalar($0) })) : String(decoding: decoded, as: UTF8.self)
        return mime == "text/html" ? withoutTags(text) : text
    }

    /// `text/plain; charset="utf-8"` → ("text/plain", ["charset": "utf-8"]).
    static func contentType(_ value: String) -> (String, [String: String]) {
        let pieces = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            parameters[pair[0].lowercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ((pieces.first ?? "text/plain").lowercased(), parameters)
    }

    /// The parts of a multipart body between `--boundary` lines (up to `--boundary--`).
    static func parts(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let (open, close) = (Array("--\(boundary)".utf8), Array("--\(boundary)--".utf8))
        var parts: [[UInt8]] = []
        var current: [[UInt8]]?
        func finish() {
            if let current { parts.append(Array(current.joined(separator: [13, 10]))) }
        }
        for raw in body.split(separator: 10, omittingEmptySubsequences: false) {
            let line = raw.last == 13 ? Array(raw.dropLast()) : Array(raw)
            if line == close {
                finish()
                return parts
            }
            if line == open {
                finish()
                current = []
                continue
            }
            current?.append(line)
        }
        finish()
        return parts
    }

    /// Decodes quoted-printable: `=XX` is a byte, `=` at a line's end joins it to the next.
    static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                if index + 1 < bytes.count, bytes[index + 1] == 10 {
                    index += 2
                    continue
                }
                if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 {
                    index += 3
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    /// HTML as text: quoted blocks dropped, line breaks kept, tags removed, the common entities decoded.
    static func withoutTags(_ html: String) -> String {
        var text = html
        for quote in ["<blockquote", "<div class=\"gmail_quote", "<div id=\"divRplyFwdMsg", "<div id=\"appendonsend"] {
            if let range = text.range(of: quote, options: .caseInsensitive) { text = String(text[..<range.lowerBound]) }
        }
        for breaking in ["<br>", "<br/>", "<br />", "</p>", "</div>", "</li>", "</tr>"] {
            text = text.replacingOccurrences(of: breaking, with: "\n", options: .caseInsensitive)
        }
        var plain = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { plain.append(character) }
        }
        for (entity, character) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            plain = plain.replacingOccurrences(of: entity, with: character)
        }
        return plain
    }

    /// The lines a responder wrote: quoted lines (`>`) left out, and nothing from the first line that starts the
    /// quoted message (`On … wrote:`, `-----Original Message-----`, an Outlook `From:` block) or a signature (`-- `,
    /// `Sent from my …`) on.
    static func cleaned(_ text: String) -> String {
        var kept: [String] = []
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let lower = line.lowercased()
            if line == "--" || raw.hasPrefix("-- ") || lower.hasPrefix("-----original message") || lower.hasPrefix("________________")
                || lower.hasSuffix("wrote:") || lower.hasPrefix("sent from my ") || (lower.hasPrefix("from:") && !kept.isEmpty)
            {
                break
            }
            if line.hasPrefix(">") { continue }
            kept.append(line)
            if kept.count > 200 { break }
        }
        return String(kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines).prefix(longestText))
    }
}
