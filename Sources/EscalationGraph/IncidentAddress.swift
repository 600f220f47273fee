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
    /// (commas inside quotes or angle brackets do not separate).
    public static func entries(_ value: String) -> [IncidentAddress] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var angled = false
        for character in value {
            switch character {
            case "\"": quoted.toggle()
            case "<" where !quoted: angled = true
            case ">" where !quoted: angled = false
            case "," where !quoted && !angled:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts.compactMap(parse)
    }

    /// One entry, or nil when it is blank.
    static func parse(_ text: String) -> IncidentAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let address = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingCharacters(in: .whitespaces)
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return IncidentAddress(name: name.isEmpty ? nil : name, address: address)
        }
        return IncidentAddress(name: nil, address: trimmed)
    }

    /// Why this is not an address of `kind`, or nil when it is one. E-mail needs `local@domain.tld`; kinds named
    /// like phones (`phone`, `sms`, `voice`, `mobile`) need 7 to 15 digits (spaces, dashes, dots, brackets and a
    /// leading `+` allowed); other kinds need any text without spaces.
    public func problem(kind: String) -> String? {
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
        let declared = target.addressFields.compactMap { policy.field($0) }
        guard declared.count == target.addressFields.count, let first = declared.first else { return [] }
        if first.type == "address-list" {
            let kind = first.addressKind ?? "address"
            return IncidentAddress.entries(fields[first.name] ?? "").map { entry in
                CompiledContact(id: entry.address, name: entry.name ?? entry.address, canAcknowledge: false, addresses: [kind: entry.address], preferences: [])
            }
        }
        var addresses: [String: String] = [:]
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
