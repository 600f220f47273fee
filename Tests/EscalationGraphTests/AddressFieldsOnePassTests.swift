@testable import EscalationCore
@testable import EscalationGraph
import EscalationSimulator
import Testing

/// `RuleGraph.addressRecipientsOfFields` reads a target's fields in one pass (no list of their declarations, each kind's
/// first address kept with one hash when it is new). It must give what the version that listed the declarations first
/// gave (kept below as the oracle), byte for byte, on random targets: `also` lists with undeclared, repeated and
/// list-typed fields, kinds repeated or canonically equal (`K` and the Kelvin sign), values missing, blank, named,
/// quoted and listed.
@Suite struct AddressFieldsOnePassTests {
    static let declared: [String: CompiledField] = [
        "one": CompiledField(name: "one", type: "address", required: false, values: [], addressKind: "email"),
        "two": CompiledField(name: "two", type: "address", required: false, values: [], addressKind: "email"),
        "phone": CompiledField(name: "phone", type: "address", required: false, values: [], addressKind: "phone"),
        "k": CompiledField(name: "k", type: "address", required: false, values: [], addressKind: "K"),
        "kelvin": CompiledField(name: "kelvin", type: "address", required: false, values: [], addressKind: "\u{212A}"),
        "plain": CompiledField(name: "plain", type: "address", required: false, values: []),
        "list": CompiledField(name: "list", type: "address-list", required: false, values: [], addressKind: "email"),
    ]
    static let names = Array(declared.keys).sorted() + ["undeclared"]
    static let pieces = ["Dana", " ", "\"", "<", ">", ",", "dana@example.org", "+1-555-0150", "Client, D", "Zo\u{EB}", "x@y.z", "K"]

    /// A contact's parts as bytes (`==` on `String` takes canonically equal spellings as equal).
    static func bytes(_ contacts: [CompiledContact]) -> [[[UInt8]]] {
        contacts.map { contact in
            [Array(contact.id.utf8), Array(contact.name.utf8), [contact.canAcknowledge ? 1 : 0]]
                + contact.addresses.map { Array(($0.key + "=" + $0.value).utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        }
    }

    @Test func onePassReachesWhomTheListedDeclarationsReached() {
        var generator = SplitMix64(seed: 19)
        var reached = 0
        for _ in 0..<6_000 {
            let ref = Self.names.randomElement(using: &generator) ?? "one"
            let also: [String]? = Int.random(in: 0...4, using: &generator) == 0 ? nil
                : (0..<Int.random(in: 0...4, using: &generator)).map { _ in Self.names.randomElement(using: &generator) ?? "one" }
            let target = CompiledTarget(kind: Int.random(in: 0...9, using: &generator) == 0 ? "contact" : "address", ref: ref, also: also)
            var fields: [String: String] = [:]
            for name in Self.names where Bool.random(using: &generator) {
                fields[name] = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
            }
            let onePass = RuleGraph.addressRecipientsOfFields(target, declaredBy: { Self.declared[$0] }, fields: fields)
            let oracle = RuleGraph.oracleAddressRecipientsOfFields(target, declaredBy: { Self.declared[$0] }, fields: fields)
            #expect(onePass == oracle, "\(target) \(fields)")
            #expect(Self.bytes(onePass) == Self.bytes(oracle), "\(target) \(fields)")
            if !oracle.isEmpty { reached += 1 }
        }
        #expect(reached > 1_500)
    }
}

extension RuleGraph {
    /// `addressRecipientsOfFields` as it was before its one pass (the oracle): the declarations listed first.
    static func oracleAddressRecipientsOfFields(_ target: CompiledTarget, declaredBy field: (String) -> CompiledField?, fields: [String: String])
        -> [CompiledContact]
    {
        // Every field must be declared (else nobody), read in place of `addressFields` (which builds a list of the
        // names), with room made once.
        guard target.kind == "address", let first = field(target.ref) else { return [] }
        var declared = [first]
        if let also = target.also, !also.isEmpty {
            declared.reserveCapacity(1 + also.count)
            for name in also {
                guard let found = field(name) else { return [] }
                declared.append(found)
            }
        }
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
