import EscalationYAML

/// YAML 1.1's implicit int, float, merge, null, timestamp and value rules for a plain scalar that starts with no
/// letter, as Yams' default resolver writes them as regular expressions (tried in its order: int, float, merge, null,
/// timestamp, value; the bool words all start with a letter). Each rule is matched over the text's bytes: none of
/// them matches a byte above ASCII, and a regular expression's `$` also matches before one final line break.
extension ImplicitTag {
    /// The implicit tag of a plain scalar's text whose first character is no letter.
    static func of(unlettered text: String) -> YAMLTag {
        var text = text
        return text.withUTF8 { all in
            var bytes = all
            // `$` without the multi-line option matches before a final line break too (\n, VT, FF, \r, \r\n, NEL, LS,
            // PS: ICU's line terminators).
            if bytes.count >= 2, bytes[bytes.count - 2] == 0x0D, bytes[bytes.count - 1] == 0x0A {
                bytes = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 2)])
            } else if let last = bytes.last, last >= 0x0A && last <= 0x0D {
                bytes = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 1)])
            } else if bytes.count >= 2, bytes[bytes.count - 2] == 0xC2, bytes[bytes.count - 1] == 0x85 {
                bytes = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 2)])
            } else if bytes.count >= 3, bytes[bytes.count - 3] == 0xE2, bytes[bytes.count - 2] == 0x80,
                bytes[bytes.count - 1] == 0xA8 || bytes[bytes.count - 1] == 0xA9
            {
                bytes = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 3)])
            }
            var scanner = ByteScanner(bytes: bytes)
            if scanner.matchesInt() { return .int }
            scanner.position = 0
            if scanner.matchesFloat() { return .float }
            switch Array(bytes) {
            case [0x3C, 0x3C]: return .merge  // <<
            case [], [0x7E]: return .null  // nothing, ~
            case [0x3D]: return .value  // =
            default: break
            }
            scanner.position = 0
            return scanner.matchesTimestamp() ? .timestamp : .str
        }
    }
}

/// A cursor over a scalar's bytes with the pieces the implicit rules are written in.
private struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var atEnd: Bool { position == bytes.count }

    /// Takes one byte that satisfies `test`.
    mutating func take(_ test: (UInt8) -> Bool) -> Bool {
        guard position < bytes.count, test(bytes[position]) else { return false }
        position += 1
        return true
    }

    mutating func take(_ byte: UInt8) -> Bool { take { $0 == byte } }

    /// Takes as many bytes as satisfy `test`; returns how many.
    @discardableResult mutating func takeAll(_ test: (UInt8) -> Bool) -> Int {
        let start = position
        while position < bytes.count, test(bytes[position]) { position += 1 }
        return position - start
    }

    static func digit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func digitOrUnderscore(_ byte: UInt8) -> Bool { digit(byte) || byte == 0x5F }
    static func sign(_ byte: UInt8) -> Bool { byte == 0x2B || byte == 0x2D }
    static func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// Runs `rule` from `start`; true when it took every byte.
    mutating func whole(from start: Int, _ rule: (inout ByteScanner) -> Bool) -> Bool {
        position = start
        return rule(&self) && atEnd
    }

    /// `(?::[0-5]?[0-9])+`: one or more sexagesimal groups, each a colon and one digit, or two with the first 0-5.
    mutating func sexagesimalGroups() -> Bool {
        var groups = 0
        while take(0x3A) {
            let start = position
            let count = takeAll(Self.digit)
            guard count == 1 || count == 2 && bytes[start] <= 0x35 else { return false }
            groups += 1
        }
        return groups > 0
    }

    /// `^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`
    mutating func matchesInt() -> Bool {
        _ = take(Self.sign)
        let start = position
        if whole(from: start, { $0.take(0x30) && $0.take(0x62) && $0.takeAll { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F } > 0 }) { return true }
        let octal = whole(from: start) {
            guard $0.take(0x30) else { return false }
            _ = $0.take(0x6F)
            return $0.takeAll { $0 >= 0x30 && $0 <= 0x37 || $0 == 0x5F } > 0
        }
        if octal { return true }
        if whole(from: start, { $0.take(0x30) }) { return true }
        if whole(from: start, { $0.take { $0 >= 0x31 && $0 <= 0x39 } && $0.takeAll(Self.digitOrUnderscore) >= 0 }) { return true }
        if whole(
            from: start,
            { $0.take(0x30) && $0.take(0x78) && $0.takeAll { Self.digitOrUnderscore($0) || $0 >= 0x61 && $0 <= 0x66 || $0 >= 0x41 && $0 <= 0x46 } > 0 })
        {
            return true
        }
        return whole(from: start, { $0.take { $0 >= 0x31 && $0 <= 0x39 } && $0.takeAll(Self.digitOrUnderscore) >= 0 && $0.sexagesimalGroups() })
    }

    /// `^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?`
    /// `|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`
    mutating func matchesFloat() -> Bool {
        let signed = take(Self.sign)
        let start = position
        if whole(
            from: start,
            {
                guard $0.take(Self.digit) else { return false }
                $0.takeAll(Self.digitOrUnderscore)
                if $0.take(0x2E) { $0.takeAll(Self.digitOrUnderscore) }
                if $0.take({ $0 == 0x65 || $0 == 0x45 }) {
                    _ = $0.take(Self.sign)
                    return $0.takeAll(Self.digit) > 0
                }
                return true
            })
        {
            return true
        }
        if !signed,
            whole(
                from: start,
                {
                    guard $0.take(0x2E), $0.takeAll(Self.digitOrUnderscore) > 0 else { return false }
                    if $0.take({ $0 == 0x65 || $0 == 0x45 }) { return $0.take(Self.sign) && $0.takeAll(Self.digit) > 0 }
                    return true
                })
        {
            return true
        }
        if whole(
            from: start,
            {
                guard $0.take(Self.digit) else { return false }
                $0.takeAll(Self.digitOrUnderscore)
                guard $0.sexagesimalGroups(), $0.take(0x2E) else { return false }
                $0.takeAll(Self.digitOrUnderscore)
                return true
            })
        {
            return true
        }
        if whole(from: start, { $0.take(0x2E) && $0.word(["inf", "Inf", "INF"]) }) { return true }
        return !signed && whole(from: start, { $0.take(0x2E) && $0.word(["nan", "NaN", "NAN"]) })
    }

    /// Takes one of `words` (all of one length).
    mutating func word(_ words: [StaticString]) -> Bool {
        for word in words where bytes.count - position >= word.utf8CodeUnitCount {
            let candidate = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            if candidate.indices.allSatisfy({ bytes[position + $0] == candidate[$0] }) {
                position += candidate.count
                return true
            }
        }
        return false
    }

    /// `^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}`
    /// `(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`
    mutating func matchesTimestamp() -> Bool {
        if whole(from: 0, { $0.digits(4) && $0.take(0x2D) && $0.digits(2) && $0.take(0x2D) && $0.digits(2) }) { return true }
        return whole(from: 0) {
            guard $0.digits(4), $0.take(0x2D), $0.oneOrTwoDigits(), $0.take(0x2D), $0.oneOrTwoDigits() else { return false }
            guard $0.take({ $0 == 0x54 || $0 == 0x74 }) || $0.takeAll(Self.blank) > 0 else { return false }
            guard $0.oneOrTwoDigits(), $0.take(0x3A), $0.digits(2), $0.take(0x3A), $0.digits(2) else { return false }
            if $0.take(0x2E) { $0.takeAll(Self.digit) }
            if $0.atEnd { return true }
            $0.takeAll(Self.blank)
            if $0.take(0x5A) { return true }
            guard $0.take(Self.sign), $0.oneOrTwoDigits() else { return false }
            if $0.take(0x3A) { return $0.digits(2) }
            return true
        }
    }

    /// Exactly `count` digits.
    mutating func digits(_ count: Int) -> Bool {
        for _ in 0..<count where !take(Self.digit) { return false }
        return true
    }

    /// `[0-9][0-9]?`, taking the second digit when there is one (what follows is never a digit).
    mutating func oneOrTwoDigits() -> Bool {
        guard take(Self.digit) else { return false }
        _ = take(Self.digit)
        return true
    }
}
