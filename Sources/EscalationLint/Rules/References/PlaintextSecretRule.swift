import EscalationCore
import EscalationPolicy

/// A channel setting whose name looks secret must be an `${env:NAME}` reference, and every env reference must be well formed.
public struct PlaintextSecretRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// Words that make a setting name look secret.
    public static let secretWords = [
        "token", "secret", "password", "passwd", "api_key", "apikey", "auth", "credential", "private_key", "webhook_url",
    ]

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "plaintext_secret", code: "E028", severity: .error),
        name: "Plaintext secret",
        summary: "A channel setting whose name looks secret (token, secret, password, api_key, auth…, webhook_url, …_key) must be "
            + "exactly an ${env:NAME} reference; env references anywhere in settings must be well formed (NAME in upper case).",
        nonTriggeringExamples: [
            RuleExample(
                """
                channels:
                  chat:
                    plugin: slack
                    settings:
                      channel: "#incidents"
                      bot_token: ${env:CHAT_BOT_TOKEN}
                      api_url: https://slack.example.org/api
                      auth:
                        client_id: escalate
                        client_secret: ${env:CHAT_CLIENT_SECRET}
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                channels:
                  chat:
                    plugin: slack
                    settings:
                      channel: "#incidents"
                      bot_token: ↓xoxb-1234-abcd
                      auth:
                        client_secret: ↓"s3cr3t"
                      webhook_url: ↓https://hooks.example.org/T000/B000
                      signing_key: ↓Bearer ${env:CHAT_SIGNING_KEY}
                """),
            RuleExample(
                """
                channels:
                  pager:
                    plugin: webhook
                    settings:
                      url: ↓https://pager.example.org/${ENV:PAGER_PATH}
                      api_key: ↓${env:}
                      password: ↓${env:pager_password}
                """),
        ])

    /// Reports plaintext values under secret-looking settings and malformed env references.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for channel in context.organisation.channels {
            guard let settings = channel.settings else { continue }
            for (path, value, location) in settings.scalars() {
                // The message parts are built only for a setting that is reported.
                func what() -> String { "setting '\(path)' of channel '\(channel.id.value)'" }
                func hint() -> String {
                    "move it to an environment variable and write ${env:\(Self.suggestedName(channel: channel.id.value, path: path))}"
                }
                if let problem = Self.malformedReference(in: value) {
                    result.append(kind("\(what()) has a malformed environment reference: \(problem)", at: location, hint: hint()))
                } else if Self.looksSecret(path), !value.isEmpty, !Self.isReference(value) {
                    let message =
                        value.contains("${env:")
                        ? "\(what()) looks secret but mixes plaintext with an environment reference; a secret must be exactly one ${env:NAME}"
                        : "\(what()) looks secret but holds a plaintext value (\(value.count) characters)"
                    result.append(kind(message, at: location, hint: hint()))
                }
            }
        }
        return result
    }

    /// Whether the last component of a dotted setting path (`auth.token`, `tokens[0]`) looks secret.
    static func looksSecret(_ path: String) -> Bool {
        // An ASCII path (every setting in practice) is read byte by byte: the same answer, without splitting strings.
        if path.utf8.allSatisfy({ $0 < 0x80 }) { return asciiLooksSecret(Array(path.utf8)) }
        let last = path.split(separator: ".").last.map(String.init) ?? path
        let name = String(last.prefix { $0 != "[" }).lowercased()
        let bytes = Array(name.utf8)
        return secretWords.indices.contains { contains(bytes, name, ascii: secretWordBytes[$0], secretWords[$0]) } || name.hasSuffix("_key")
    }

    /// `looksSecret(_:)` for an ASCII path, given its bytes: the last non-empty '.'-separated part (the whole path when
    /// there is none), up to its first '[', in lower case, holds a secret word or ends in `_key`.
    static func asciiLooksSecret(_ path: [UInt8]) -> Bool {
        let dot = UInt8(ascii: ".")
        var end = path.count
        while end > 0, path[end - 1] == dot { end -= 1 }
        var start = end
        while start > 0, path[start - 1] != dot { start -= 1 }
        let last = start < end ? path[start..<end] : path[...]
        let name = last.prefix { $0 != UInt8(ascii: "[") }.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return secretWordBytes.contains { word in
            guard let first = word.first, name.count >= word.count else { return word.isEmpty }
            for offset in 0...(name.count - word.count) where name[offset] == first {
                if name[offset..<(offset + word.count)].elementsEqual(word) { return true }
            }
            return false
        } || name.count >= 4 && name.suffix(4).elementsEqual("_key".utf8)
    }

    /// Whether `text` holds `word` (ASCII), as `text.contains(word)` answers. ASCII text is searched byte by byte;
    /// other text keeps the string search, which does not match a letter that a combining mark follows.
    static func contains(_ text: String, ascii word: String) -> Bool {
        contains(Array(text.utf8), text, ascii: Array(word.utf8), word)
    }

    /// The UTF-8 bytes of each of `secretWords`.
    private static let secretWordBytes = secretWords.map { Array($0.utf8) }

    /// `contains(_:ascii:)`, given the UTF-8 bytes of the text and of the word too.
    private static func contains(_ bytes: [UInt8], _ text: String, ascii needle: [UInt8], _ word: String) -> Bool {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return text.contains(word) }
        guard let first = needle.first else { return true }
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == first {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Whether the text is exactly `${env:NAME}` with NAME in `[A-Z_][A-Z0-9_]*`.
    static func isReference(_ text: String) -> Bool {
        // ASCII text (every value in practice) is read byte by byte: each character is one byte there (a "\r\n" is
        // never part of the prefix, the brace or a name), so the prefix, the brace and the name are bytes.
        if let ascii = text.utf8.withContiguousStorageIfAvailable({ bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let prefix = referencePrefix
            guard bytes.count > prefix.count, bytes.last == UInt8(ascii: "}") else { return false }
            for index in prefix.indices where bytes[index] != prefix[index] { return false }
            return isVariableName(bytes: bytes[prefix.count..<(bytes.count - 1)])
        }), let answer = ascii {
            return answer
        }
        guard text.hasPrefix("${env:"), text.hasSuffix("}") else { return false }
        return isVariableName(text.dropFirst("${env:".count).dropLast())
    }

    /// The bytes of `${env:`.
    private static let referencePrefix = Array("${env:".utf8)

    /// `[A-Z_][A-Z0-9_]*`.
    static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// What is wrong with the first malformed `${env…}` reference in the text (without echoing it), or nil.
    static func malformedReference(in text: String) -> String? {
        // Without a '$' there is no reference to check (and no need for a string search).
        guard text.utf8.contains(UInt8(ascii: "$")) else { return nil }
        // ASCII text (every value in practice) is scanned byte by byte: the same answers, without string searches.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiMalformedReference(Array(text.utf8)) }
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            let after = rest[open.upperBound...]
            guard after.lowercased().hasPrefix("env") else {
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else { return "it has no closing '}'" }
            let inner = after[..<close]
            rest = after[after.index(after: close)...]
            guard inner.hasPrefix("env") else { return "the prefix must be lower-case 'env:'" }
            guard inner.hasPrefix("env:") else { return "write a colon after 'env', as in ${env:NAME}" }
            let name = inner.dropFirst("env:".count)
            if name.isEmpty { return "the variable name is empty" }
            if !isVariableName(name) {
                return "the variable name must be upper-case letters, digits and '_', not starting with a digit"
            }
        }
        return nil
    }

    /// `malformedReference(in:)` for ASCII text, given its bytes. In ASCII every character is one byte except "\r\n",
    /// which never matches '$', '{', '}', ':' or a letter, so each string search of the general loop is a byte search.
    static func asciiMalformedReference(_ bytes: [UInt8]) -> String? {
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), colon = UInt8(ascii: ":")
        let e = UInt8(ascii: "e"), n = UInt8(ascii: "n"), v = UInt8(ascii: "v")
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == dollar, bytes[index + 1] == open else {
                index += 1
                continue
            }
            let after = index + 2
            // `after.lowercased().hasPrefix("env")`.
            guard after + 3 <= bytes.count, lower(bytes[after]) == e, lower(bytes[after + 1]) == n, lower(bytes[after + 2]) == v else {
                index = after
                continue
            }
            // The first '}' lies past "env" (none of its bytes is a '}').
            guard let end = bytes[after...].firstIndex(of: close) else { return "it has no closing '}'" }
            index = end + 1
            guard bytes[after] == e, bytes[after + 1] == n, bytes[after + 2] == v else { return "the prefix must be lower-case 'env:'" }
            guard after + 3 < end, bytes[after + 3] == colon else { return "write a colon after 'env', as in ${env:NAME}" }
            let name = bytes[(after + 4)..<end]
            if name.isEmpty { return "the variable name is empty" }
            if !isVariableName(bytes: name) {
                return "the variable name must be upper-case letters, digits and '_', not starting with a digit"
            }
        }
        return nil
    }

    /// `isVariableName(_:)` for ASCII bytes: `[A-Z_][A-Z0-9_]*`.
    private static func isVariableName<Bytes: Collection<UInt8>>(bytes: Bytes) -> Bool {
        func upper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
        guard let first = bytes.first, first == UInt8(ascii: "_") || upper(first) else { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || upper($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// An environment variable name for a setting: `CHANNEL_PATH` in upper case.
    static func suggestedName(channel: String, path: String) -> String {
        var name = ""
        for scalar in "\(channel)_\(path)".uppercased().unicodeScalars {
            let keep = ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            if keep {
                name.unicodeScalars.append(scalar)
            } else if !name.isEmpty, !name.hasSuffix("_") {
                name += "_"
            }
        }
        while name.hasSuffix("_") { name.removeLast() }
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "_" + name }
        return name.isEmpty ? "NAME" : name
    }
}
