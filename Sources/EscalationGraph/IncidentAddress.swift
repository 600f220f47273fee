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
        // The bytes read where they are (no array of them, and one scan for ASCII instead of one through `utf8`).
        var text = value
        return text.withUTF8 { bytes in isASCII(bytes) ? asciiEntries(bytes) : nil } ?? characterEntries(value)
    }

    /// Whether every byte is ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80
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
        var text = value
        return text.withUTF8 { asciiEntries($0) }
    }

    /// `asciiEntries` on the text's bytes (ASCII).
    static func asciiEntries(_ bytes: UnsafeBufferPointer<UInt8>) -> [IncidentAddress] {
        var result: [IncidentAddress] = []
        asciiParts(bytes) { part in
            if let entry = asciiEntry(part) { result.append(entry) }
            return true
        }
        return result
    }

    /// The first of `entries`, without the list of them: the reading stops at the first entry that is not blank. An
    /// `address` field uses only its first; a list of one cost an allocation and a free for every read.
    public static func firstEntry(_ value: String) -> IncidentAddress? {
        var text = value
        return text.withUTF8 { bytes in isASCII(bytes) ? .some(firstASCIIEntry(bytes)) : nil } ?? characterEntries(value).first
    }

    /// `firstEntry` on the text's bytes (ASCII).
    static func firstASCIIEntry(_ bytes: UnsafeBufferPointer<UInt8>) -> IncidentAddress? {
        var found: IncidentAddress?
        asciiParts(bytes) { part in
            found = asciiEntry(part)
            return found == nil
        }
        return found
    }

    /// Hands `body` each comma-separated part of ASCII bytes in turn (commas inside quotes or angle brackets do not
    /// separate), the last one included, until it returns false. The one splitting rule of the ASCII readers.
    @inline(__always)
    private static func asciiParts(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Slice<UnsafeBufferPointer<UInt8>>) -> Bool) {
        var start = 0
        var quoted = false
        var angled = false
        for index in 0..<bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: "<") where !quoted: angled = true
            case UInt8(ascii: ">") where !quoted: angled = false
            case UInt8(ascii: ",") where !quoted && !angled:
                guard body(bytes[start..<index]) else { return }
                start = index + 1
            default: break
            }
        }
        _ = body(bytes[start...])
    }

    /// One ASCII entry, as `parse` reads it.
    private static func asciiEntry(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> IncidentAddress? {
        guard let parts = asciiEntryParts(text) else { return nil }
        return IncidentAddress(name: parts.name.map { String(decoding: $0, as: UTF8.self) }, address: String(decoding: parts.address, as: UTF8.self))
    }

    /// Where an ASCII entry's name (nil: none) and address are in its bytes, as `parse` reads them; nil when blank.
    @inline(__always)
    private static func asciiEntryParts(_ text: Slice<UnsafeBufferPointer<UInt8>>)
        -> (name: Slice<UnsafeBufferPointer<UInt8>>?, address: Slice<UnsafeBufferPointer<UInt8>>)?
    {
        let trimmed = trimBytes(text, whitespace: true)
        guard let last = trimmed.last else { return nil }
        if last == UInt8(ascii: ">"), let open = trimmed.lastIndex(of: UInt8(ascii: "<")) {
            let address = trimBytes(trimmed[(open + 1)..<(trimmed.endIndex - 1)], whitespace: false)
            var name = trimBytes(trimmed[..<open], whitespace: false)
            if name.count >= 2, name.first == UInt8(ascii: "\""), name.last == UInt8(ascii: "\"") { name = name.dropFirst().dropLast() }
            return (name.isEmpty ? nil : name, address)
        }
        return (nil, trimmed)
    }

    /// What a trigger's check of an address field reads: how many entries the value has, and the problem of each entry
    /// for `kind`, in order (`entries(value).count` and each entry's `problem(kind:)`). For ASCII text the entries are
    /// checked on their bytes: no list of them and no string for an address or a name, unless there is a problem.
    public static func check(_ value: String, kind: String) -> (count: Int, problems: [String]) {
        var kindText = kind
        if let shape = kindText.withUTF8({ Self.isASCII($0) ? Self.shape(ofASCIIKind: $0) : nil }) {
            var text = value
            if let checked = text.withUTF8({ bytes in isASCII(bytes) ? asciiCheck(bytes, shape: shape, kind: kind) : nil }) {
                return checked
            }
        }
        let entries = Self.entries(value)
        return (entries.count, entries.compactMap { $0.problem(kind: kind) })
    }

    /// `check` on ASCII bytes, for an ASCII kind's shape.
    static func asciiCheck(_ bytes: UnsafeBufferPointer<UInt8>, shape: Shape, kind: String) -> (count: Int, problems: [String]) {
        var count = 0
        var problems: [String] = []
        asciiParts(bytes) { part in
            guard let parts = asciiEntryParts(part) else { return true }
            count += 1
            if let problem = asciiProblem(UnsafeBufferPointer(rebasing: parts.address), shape: shape, kind: kind) { problems.append(problem) }
            return true
        }
        return (count, problems)
    }

    /// The bytes without whitespace (tab to carriage return and space) or, when `whitespace` is false, blanks (tab and
    /// space) at either end.
    private static func trimBytes(_ text: Slice<UnsafeBufferPointer<UInt8>>, whitespace: Bool) -> Slice<UnsafeBufferPointer<UInt8>> {
        let drop = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || (whitespace && (0x0A...0x0D).contains(byte)) }
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

    /// The shape an ASCII kind's name asks for, as `characterProblem` reads its lower-cased name: `mail` in it is
    /// e-mail, a phone word in it is a phone. Upper-case letters are folded as they are compared.
    static func shape(ofASCIIKind kind: UnsafeBufferPointer<UInt8>) -> Shape {
        // Searched without building an array per word (or a lower-cased copy): this runs for every address field of
        // every trigger.
        func contains(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard kind.count >= count else { return false }
            return word.withUTF8Buffer { needle in
                (0...(kind.count - count)).contains { start in
                    (0..<count).allSatisfy { offset in
                        let byte = kind[start + offset]
                        return ((0x41...0x5A).contains(byte) ? byte + 0x20 : byte) == needle[offset]
                    }
                }
            }
        }
        if contains("mail") { return .email }
        return contains("phone") || contains("sms") || contains("voice") || contains("mobile") || contains("tel") ? .phone : .other
    }

    /// `problem` on the bytes of an ASCII address and kind (the usual case): nil when either is not ASCII, else the
    /// same answer as `characterProblem`. In ASCII, numbers are the digits and whitespace is tab to carriage return
    /// and space. Both are read where they are (no arrays of their bytes).
    func asciiProblem(kind: String) -> String?? {
        var kindText = kind
        guard let shape = kindText.withUTF8({ Self.isASCII($0) ? Self.shape(ofASCIIKind: $0) : nil }) else { return nil }
        var text = address
        return text.withUTF8 { bytes in Self.isASCII(bytes) ? .some(Self.asciiProblem(bytes, shape: shape, kind: kind)) : nil }
    }

    /// `asciiProblem` on an address's bytes (ASCII) for a kind's shape; the address is written from its bytes only into
    /// a problem's text.
    private static func asciiProblem(_ bytes: UnsafeBufferPointer<UInt8>, shape: Shape, kind: String) -> String? {
        var address: String { String(decoding: bytes, as: UTF8.self) }
        let isWhitespace = { (byte: UInt8) in (0x09...0x0D).contains(byte) || byte == 0x20 }
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        guard let lastByte = bytes.last else { return "an empty address" }
        switch shape {
        case .email:
            var ats = 0
            var at = 0
            for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "@") {
                ats += 1
                at = index
            }
            let dot = UInt8(ascii: ".")
            guard ats == 1, at > 0, bytes[(at + 1)...].contains(dot), at + 1 < bytes.count, bytes[at + 1] != dot, lastByte != dot,
                !bytes.contains(where: isWhitespace)
            else { return "'\(address)' is not an e-mail address (write name@example.org)" }
            return nil
        case .phone:
            let punctuation = { (byte: UInt8) in
                isDigit(byte) || byte == 0x20 || byte == 0x2D || byte == 0x2E || byte == 0x28 || byte == 0x29
            }
            var digits = 0
            for byte in bytes where isDigit(byte) { digits += 1 }
            let allowed = bytes.allSatisfy(punctuation) || (bytes[0] == UInt8(ascii: "+") && bytes[1...].allSatisfy(punctuation))
            guard allowed, (7...15).contains(digits) else { return "'\(address)' is not a phone number (write +1-555-0150)" }
            return nil
        case .other:
            return bytes.contains(where: isWhitespace) ? "'\(address)' has spaces; write the \(kind) address alone" : nil
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
        addressRecipients(of: target) { name in field(name).map { AddressFieldRead($0, fields: fields) } }
    }

    /// The rule of `addressRecipients`, each field named by the target read through `read` (nil: not declared). The
    /// engine reads its fields by slot here (no SipHash of the name, no copy of the declaration).
    public static func addressRecipients(of target: CompiledTarget, reading read: (String) -> AddressFieldRead?) -> [CompiledContact] {
        // One field (the usual case): no lists of the target's fields and of their declarations, no map of addresses
        // grown one entry at a time; the same contact as the general path below.
        if target.kind == "address", target.also?.isEmpty ?? true {
            guard let only = read(target.ref) else { return [] }
            let kind = only.kind
            if only.isList {
                return IncidentAddress.entries(only.value ?? "").map { entry in
                    CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])
                }
            }
            // One address: its first entry, read without a list of them.
            guard let entry = IncidentAddress.firstEntry(only.value ?? "") else { return [] }
            return [CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])]
        }
        return addressRecipientsOfFields(target, reading: read)
    }

    /// `addressRecipients` for any target: each field's first address under its kind.
    static func addressRecipientsOfFields(_ target: CompiledTarget, declaredBy field: (String) -> CompiledField?, fields: [String: String])
        -> [CompiledContact]
    {
        addressRecipientsOfFields(target) { name in field(name).map { AddressFieldRead($0, fields: fields) } }
    }

    /// `addressRecipientsOfFields`, each field read through `read` (nil: not declared).
    static func addressRecipientsOfFields(_ target: CompiledTarget, reading read: (String) -> AddressFieldRead?) -> [CompiledContact] {
        // Every field must be declared (else nobody).
        guard target.kind == "address", let first = read(target.ref) else { return [] }
        let also = target.also ?? []
        if first.isList {
            for name in also where read(name) == nil { return [] }
            let kind = first.kind
            return IncidentAddress.entries(first.value ?? "").map { entry in
                CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])
            }
        }
        // One pass over the fields, each read once where it is used (no list of them; an undeclared field met on the
        // way still means nobody), and each kind's first address kept with one hash when the kind is new.
        var addresses = [String: String](minimumCapacity: 1 + also.count)
        var id: String?
        var name: String?
        for position in -1..<also.count {
            let declared: AddressFieldRead
            if position < 0 {
                declared = first
            } else {
                guard let found = read(also[position]) else { return [] }
                declared = found
            }
            guard let entry = IncidentAddress.firstEntry(declared.value ?? "") else { continue }
            let kind = declared.kind
            // A kind seen before keeps its first address (put back; the key stays the first spelling).
            if let kept = addresses.updateValue(entry.address, forKey: kind) { addresses[kind] = kept }
            id = id ?? entry.address
            name = name ?? entry.name
        }
        guard let id else { return [] }
        return [CompiledContact(id: id, name: name ?? id, canAcknowledge: false, addresses: addresses, preferences: [])]
    }
}
