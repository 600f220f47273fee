/// A span of time as written in a policy: wall time (`1h30m`) or business time (`1 business day`).
public struct PolicyDuration: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Wall seconds, or for business time the open seconds beyond `businessDays`.
    public var seconds: Int
    /// Whether the span counts only a calendar's open hours.
    public var isBusiness: Bool
    /// For `N business days`: N (a business day ends at the same open-time offset N open days later).
    public var businessDays: Int

    /// A wall-clock duration.
    public init(seconds: Int) {
        self.seconds = seconds
        self.isBusiness = false
        self.businessDays = 0
    }

    /// A business duration of whole open days plus open seconds.
    public init(businessDays: Int, businessSeconds: Int) {
        self.seconds = businessSeconds
        self.isBusiness = true
        self.businessDays = businessDays
    }

    /// The canonical spelling (`1h30m`, `1 business day`).
    public var description: String {
        guard isBusiness else { return Self.compact(seconds) ?? "0s" }
        func plural(_ n: Int, _ unit: String) -> String { "\(n) business \(unit)\(n == 1 ? "" : "s")" }
        if businessDays > 0 { return plural(businessDays, "day") }
        if seconds % 3_600 == 0 { return plural(seconds / 3_600, "hour") }
        return plural(seconds / 60, "minute")
    }

    /// Formats seconds as `1w2d3h4m5s`, omitting zero units; nil for zero.
    public static func compact(_ total: Int) -> String? {
        guard total != 0 else { return nil }
        var rest = abs(total)
        var text = total < 0 ? "-" : ""
        for (unit, size) in units where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    static let units: [(String, Int)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Spellings people write for the units, mapped to the unit letter.
    static let unitAliases: [String: String] = [
        "min": "m", "mins": "m", "minute": "m", "minutes": "m", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
        "sec": "s", "secs": "s", "second": "s", "seconds": "s", "day": "d", "days": "d", "week": "w", "weeks": "w",
    ]

    /// The unit letter meant by a spelling (`min`, `Hours`, `M`), or nil.
    static func unitLetter(for spelling: String) -> String? {
        let lower = spelling.lowercased()
        if units.contains(where: { $0.0 == lower }) { return lower }
        return unitAliases[lower]
    }

    /// Parses `30s`, `15m`, `1h30m`, `1d`, `1w`, `1 business day`, `4 business hours`, `30 business minutes`.
    /// - Returns: the duration, or a message saying what is wrong (with the corrected spelling when there is one).
    public static func parse(_ text: String) -> Result<PolicyDuration, DurationError> {
        if let seconds = compactSeconds(text) { return .success(PolicyDuration(seconds: seconds)) }
        return parseWritten(text)
    }

    /// The seconds of a duration written the common way, ASCII digits each followed by one unit letter, largest unit
    /// first (`15m`, `1h30m`), read from its bytes; nil for any other text, which `parseWritten` reads (nearly every
    /// duration of a policy is compact, and `parseWritten` trims, splits and walks characters through Foundation,
    /// 13,500 instructions a duration). Where this answers, `parseWritten` gives the same duration: such a text has no
    /// space, so it is one word of pieces whose units are single known letters. Numbers of more than 12 digits are
    /// left to `parseWritten`, so no sum here can overflow.
    static func compactSeconds(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            var total = 0
            var number = 0
            var digits = 0
            var lastUnit = -1
            for byte in bytes {
                if byte >= 0x30, byte <= 0x39 {
                    guard digits < 12 else { return nil }
                    number = number * 10 + Int(byte - 0x30)
                    digits += 1
                    continue
                }
                let unit: Int
                switch byte {
                case UInt8(ascii: "w"): unit = 0
                case UInt8(ascii: "d"): unit = 1
                case UInt8(ascii: "h"): unit = 2
                case UInt8(ascii: "m"): unit = 3
                case UInt8(ascii: "s"): unit = 4
                default: return nil
                }
                // A unit needs a number before it and must come after the larger ones.
                guard digits > 0, unit > lastUnit else { return nil }
                total += number * units[unit].1
                lastUnit = unit
                number = 0
                digits = 0
            }
            // A number without a unit, or no text at all, is for `parseWritten` to report.
            guard digits == 0, lastUnit >= 0 else { return nil }
            return total
        }
    }

    /// `parse` for any text: trimmed, split into words, and read piece by piece.
    static func parseWritten(_ text: String) -> Result<PolicyDuration, DurationError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .failure(DurationError("the duration is empty")) }
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        if words.count == 3, words[1] == "business" {
            guard let count = Int(words[0]), count >= 0 else {
                return .failure(DurationError("'\(words[0])' is not a whole number"))
            }
            switch words[2] {
            case "day", "days": return .success(PolicyDuration(businessDays: count, businessSeconds: 0))
            case "hour", "hours": return .success(PolicyDuration(businessDays: 0, businessSeconds: count * 3_600))
            case "minute", "minutes": return .success(PolicyDuration(businessDays: 0, businessSeconds: count * 60))
            default:
                return .failure(DurationError("unknown business unit '\(words[2])'; use days, hours or minutes"))
            }
        }
        if words.count == 2, let count = Int(words[0]), let letter = unitLetter(for: String(words[1])) {
            return .failure(DurationError("write \(count)\(letter) (a one-letter unit, no space)"))
        }
        if words.count != 1 {
            return .failure(DurationError("write a duration like 30s, 15m, 1h30m or '1 business day'"))
        }
        // Runs of digits, each followed by a run of non-digits: its unit.
        var pieces: [(number: String, unit: String)] = []
        for character in trimmed {
            let isDigit = character.isASCII && character.isNumber
            if isDigit {
                if pieces.isEmpty || !(pieces[pieces.count - 1].unit.isEmpty) { pieces.append(("", "")) }
                pieces[pieces.count - 1].number.append(character)
            } else {
                if pieces.isEmpty { pieces.append(("", "")) }
                pieces[pieces.count - 1].unit.append(character)
            }
        }
        var total = 0
        var lastUnitIndex = -1
        for piece in pieces {
            if piece.unit.isEmpty {
                return .failure(DurationError("'\(trimmed)' has no unit; write \(trimmed)m for minutes or \(trimmed)s for seconds"))
            }
            if piece.unit.hasPrefix("."), !piece.number.isEmpty {
                return .failure(DurationError("durations are whole numbers of a unit; write e.g. 1h30m instead of 1.5h"))
            }
            guard let index = units.firstIndex(where: { $0.0 == piece.unit }) else {
                let corrected = pieces.map { piece in "\(piece.number)\(unitLetter(for: piece.unit) ?? piece.unit)" }.joined()
                if pieces.allSatisfy({ unitLetter(for: $0.unit) != nil && !$0.number.isEmpty }),
                    case .success = parse(corrected)
                {
                    return .failure(DurationError("unknown unit '\(piece.unit)'; write \(corrected)"))
                }
                return .failure(DurationError("unknown unit '\(piece.unit)'; units are w, d, h, m, s"))
            }
            guard let value = Int(piece.number) else {
                return .failure(DurationError("a number must come before the unit '\(piece.unit)'"))
            }
            guard index > lastUnitIndex else {
                return .failure(DurationError("units must each appear once, largest first (e.g. 1h30m)"))
            }
            lastUnitIndex = index
            total += value * units[index].1
        }
        return .success(PolicyDuration(seconds: total))
    }
}

/// Why a duration could not be read.
public struct DurationError: Error, Hashable, Sendable {
    /// What is wrong.
    public var message: String
    public init(_ message: String) { self.message = message }
}
