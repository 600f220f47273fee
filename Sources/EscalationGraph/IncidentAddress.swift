/// An address an incident carries for someone outside the organisation: `Dana Client <dana@example.org>`,
/// `"Client, Dana" <dana@example.org>` or a bare `+1-555-0150`. Read here once for the engine, `explain` and lint.
public struct IncidentAddress: Sendable, Hashable {
    /// The display name, if one was given.
    public var name: String?
    /// The address itself.
    public var address: String

    /// An address.
    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// The entries of a field's value: one for an `address` field, each comma-separated one for an `address-list`
    /// (commas inside quotes or angle brackets do not separate). One pass over the text, no Foundation.
    public static func entries(_ value: String) -> [IncidentAddress] {
        value.utf8.allSatisfy({ $0 < 0x80 }) ? asciiEntries(value) : characterEntries(value)
    }

    /// `entries` read character by character (any text).
    static func characterEntries(_ value: String) -> [IncidentAddress] {
        var result: [IncidentAddress] = []
        var start = value.startIndex
        var index = value.startIndex
        var quoted = false
        var angled = false
        while index < value.endIndex {
            switch value[index] {
            case "\"": quoted.toggle()
            case "<" where !quoted: angled = true
            case ">" where !quoted: angled = false
            case "," where !quoted && !angled:
                if let entry = parse(value[start..<index]) { result.append(entry) }
                start = value.index(after: index)
            default: break
            }
            index = value.index(after: index)
        }
        if let entry = parse(value[start...]) { result.append(entry) }
        return result
    }

    /// `entries` for ASCII text, on its bytes (the usual case; the same result, without breaking text into
    /// characters). In ASCII, whitespace is tab to carriage return and space, and the blanks trimmed inside a line are
    /// tab and space.
    static func asciiEntries(_ value: String) -> [IncidentAddress] {
        let bytes = Array(value.utf8)
        var result: [IncidentAddress] = []
        var start = 0
        var quoted = false
        var angled = false
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: "<") where !quoted: angled = true
            case UInt8(ascii: ">") where !quoted: angled = false
            case UInt8(ascii: ",") where !quoted && !angled:
                if let entry = asciiEntry(bytes[start..<index]) { result.append(entry) }
                start = index + 1
            default: break
            }
        }
        if let entry = asciiEntry(bytes[start...]) { result.append(entry) }
        return result
    }

    /// One ASCII entry, as `parse` reads it.
    private static func asciiEntry(_ text: ArraySlice<UInt8>) -> IncidentAddress? {
        let whitespace: (UInt8) -> Bool = { (0x09...0x0D).contains($0) || $0 == 0x20 }
        let blank: (UInt8) -> Bool = { $0 == 0x09 || $0 == 0x20 }
        let trimmed = trimBytes(text, whitespace)
        guard let last = trimmed.last else { return nil }
        if last == UInt8(ascii: ">"), let open = trimmed.lastIndex(of: UInt8(ascii: "<")) {
            let address = String(decoding: trimBytes(trimmed[(open + 1)..<(trimmed.endIndex - 1)], blank), as: UTF8.self)
            var name = trimBytes(trimmed[..<open], blank)
            if name.count >= 2, name.first == UInt8(ascii: "\""), name.last == UInt8(ascii: "\"") { name = name.dropFirst().dropLast() }
            return IncidentAddress(name: name.isEmpty ? nil : String(decoding: name, as: UTF8.self), address: address)
        }
        return IncidentAddress(name: nil, address: String(decoding: trimmed, as: UTF8.self))
    }

    /// The bytes without those `drop` holds for at either end.
    private static func trimBytes(_ text: ArraySlice<UInt8>, _ drop: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        var lower = text.startIndex
        var upper = text.endIndex
        while lower < upper, drop(text[lower]) { lower += 1 }
        while upper > lower, drop(text[upper - 1]) { upper -= 1 }
        return text[lower..<upper]
    }

    /// One entry, or nil when it is blank.
    static func parse(_ text: Substring) -> IncidentAddress? {
        let trimmed = trim(text) { $0.isWhitespace }
        guard !trimmed.isEmpty else { return nil }
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            // Inside a line, spaces and tabs (not line breaks) are trimmed, as before.
            let blank: (Character) -> Bool = { $0.isWhitespace && !$0.isNewline }
            let address = String(trim(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)], blank))
            var name = trim(trimmed[..<open], blank)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = name.dropFirst().dropLast() }
            return IncidentAddress(name: name.isEmpty ? nil : String(name), address: address)
        }
        return IncidentAddress(name: nil, address: String(trimmed))
    }

    /// The text without the characters `drop` holds for at either end.
    static func trim(_ text: Substring, _ drop: (Character) -> Bool) -> Substring {
        var lower = text.startIndex
        var upper = text.endIndex
        while lower < upper, drop(text[lower]) { lower = text.index(after: lower) }
        while upper > lower, drop(text[text.index(before: upper)]) { upper = text.index(before: upper) }
        return text[lower..<upper]
    }

    /// Why this is not an address of `kind`, or nil when it is one. E-mail needs `local@domain.tld`; kinds named
    /// like phones (`phone`, `sms`, `voice`, `mobile`) need 7 to 15 digits (spaces, dashes, dots, brackets and a
    /// leading `+` allowed); other kinds need any text without spaces.
    public func problem(kind: String) -> String? {
        if let asciiProblem = asciiProblem(kind: kind) { return asciiProblem }
        return characterProblem(kind: kind)
    }

    /// What an address of a kind must look like.
    enum Shape { case email, phone, other }

    /// The shape an ASCII kind's lower-cased name asks for, as `characterProblem` reads it: `mail` in it is e-mail,
    /// a phone word in it is a phone.
    static func shape(ofASCIIKind lower: [UInt8]) -> Shape {
        // Searched without building an array per word: this runs for every address field of every trigger.
        func contains(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard lower.count >= count else { return false }
            return word.withUTF8Buffer { needle in
                (0...(lower.count - count)).contains { start in (0..<count).allSatisfy { lower[start + $0] == needle[$0] } }
            }
        }
        if contains("mail") { return .email }
        return contains("phone") || contains("sms") || contains("voice") || contains("mobile") || contains("tel") ? .phone : .other
    }

    /// `problem` on the bytes of an ASCII address and kind (the usual case): nil when either is not ASCII, else the
    /// same answer as `characterProblem`. In ASCII, numbers are the digits and whitespace is tab to carriage return
    /// and space.
    func asciiProblem(kind: String) -> String?? {
        guard kind.utf8.allSatisfy({ $0 < 0x80 }), address.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        let bytes = Array(address.utf8)
        let lower = kind.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        let isWhitespace: (UInt8) -> Bool = { (0x09...0x0D).contains($0) || $0 == 0x20 }
        let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
        if bytes.isEmpty { return .some("an empty address") }
        switch Self.shape(ofASCIIKind: lower) {
        case .email:
            var ats = 0
            var at: Int?
            for index in bytes.indices where bytes[index] == UInt8(ascii: "@") {
                ats += 1
                at = index
            }
            let dot = UInt8(ascii: ".")
            guard ats == 1, let split = at, split > 0, bytes[(split + 1)...].contains(dot), bytes[split + 1..<bytes.count].first != dot,
                bytes.last != dot, !bytes.contains(where: isWhitespace)
            else { return .some("'\(address)' is not an e-mail address (write name@example.org)") }
            return .some(nil)
        case .phone:
            let punctuation: (UInt8) -> Bool = { isDigit($0) || [0x20, 0x2D, 0x2E, 0x28, 0x29].contains($0) }
            let digits = bytes.filter(isDigit).count
            let allowed = bytes.allSatisfy(punctuation) || (bytes.first == UInt8(ascii: "+") && bytes.dropFirst().allSatisfy(punctuation))
            guard allowed, (7...15).contains(digits) else { return .some("'\(address)' is not a phone number (write +1-555-0150)") }
            return .some(nil)
        case .other:
            return .some(bytes.contains(where: isWhitespace) ? "'\(address)' has spaces; write the \(kind) address alone" : nil)
        }
    }

    /// `problem` character by character (any text).
    func characterProblem(kind: String) -> String? {
        let lower = kind.lowercased()
        if address.isEmpty { return "an empty address" }
        if lower.contains("mail") {
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
                !address.contains(where: \.isWhitespace)
            else { return "'\(address)' is not an e-mail address (write name@example.org)" }
            return nil
        }
        if ["phone", "sms", "voice", "mobile", "tel"].contains(where: lower.contains) {
            let digits = address.filter(\.isNumber).count
            let allowed = address.allSatisfy { $0.isNumber || " -.()".contains($0) } || (address.hasPrefix("+") && address.dropFirst().allSatisfy { $0.isNumber || " -.()".contains($0) })
            guard allowed, (7...15).contains(digits) else { return "'\(address)' is not a phone number (write +1-555-0150)" }
            return nil
        }
        return address.contains(where: \.isWhitespace) ? "'\(address)' has spaces; write the \(kind) address alone" : nil
    }
}

extension RuleGraph {
    /// The people an `address` target reaches for an incident's fields: one per entry of an `address-list` field;
    /// for one or more single `address` fields, one person holding each field's address under its kind. Each is a
    /// contact that cannot acknowledge, with the first address as its id and the given name (else the address).
    public func addressRecipients(_ target: CompiledTarget, policy: CompiledPolicy, fields: [String: String]) -> [CompiledContact] {
        addressRecipients(target, declaredBy: policy.field, fields: fields)
    }

    /// `addressRecipients`, finding the policy's declared fields with `field` (the engine's index of them).
    public func addressRecipients(_ target: CompiledTarget, declaredBy field: (String) -> CompiledField?, fields: [String: String])
        -> [CompiledContact]
    {
        Self.addressRecipients(of: target, declaredBy: field, fields: fields)
    }

    /// `addressRecipients`, which reads nothing of the graph: the engine asks here without copying the graph out of
    /// its index (a copy retains and releases each of its lists).
    public static func addressRecipients(of target: CompiledTarget, declaredBy field: (String) -> CompiledField?, fields: [String: String])
        -> [CompiledContact]
    {
        // One field (the usual case): no lists of the target's fields and of their declarations, no map of addresses
        // grown one entry at a time; the same contact as the general path below.
        if target.kind == "address", target.also?.isEmpty ?? true {
            guard let only = field(target.ref) else { return [] }
            let kind = only.addressKind ?? "address"
            let entries = IncidentAddress.entries(fields[only.name] ?? "")
            if only.type == "address-list" {
                return entries.map { entry in
                    CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])
                }
            }
            guard let entry = entries.first else { return [] }
            return [CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])]
        }
        return addressRecipientsOfFields(target, declaredBy: field, fields: fields)
    }

    /// `addressRecipients` for any target: the fields' declarations listed, each field's first address under its kind.
    static func addressRecipientsOfFields(_ target: CompiledTarget, declaredBy field: (String) -> CompiledField?, fields: [String: String])
        -> [CompiledContact]
    {
        // Every field must be declared (else nobody): the names listed once, and room made once.
        let names = target.addressFields
        var declared: [CompiledField] = []
        declared.reserveCapacity(names.count)
        for name in names {
            guard let found = field(name) else { return [] }
            declared.append(found)
        }
        guard let first = declared.first else { return [] }
        if first.type == "address-list" {
            let kind = first.addressKind ?? "address"
            return IncidentAddress.entries(fields[first.name] ?? "").map { entry in
                CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])
            }
        }
        var addresses = [String: String](minimumCapacity: declared.count)
        var id: String?
        var name: String?
        for field in declared {
            guard let entry = IncidentAddress.entries(fields[field.name] ?? "").first else { continue }
            addresses[field.addressKind ?? "address"] = addresses[field.addressKind ?? "address"] ?? entry.address
            id = id ?? entry.address
            name = name ?? entry.name
        }
        guard let id else { return [] }
        return [CompiledContact(id: id, name: name ?? id, canAcknowledge: false, addresses: addresses, preferences: [])]
    }
}
