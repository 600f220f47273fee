import EscalationCore
@testable import EscalationLint
import EscalationPolicy
import Testing

/// `AddressWithoutChannelRule` gathers the kinds a step's 'via' channels read only for a step with an address target,
/// and walks its notify and cc targets without joining them. This pins its diagnostics against the rule as it was,
/// kept here as the oracle, on the bundled organisations, the broken fixtures and 2,000 random organisations with
/// address fields of several kinds, 'via' lists and address targets (unknown fields among them).
@Suite("Address without channel")
struct AddressWithoutChannelTests {
    /// The rule's `validate` as it was.
    static func reference(_ context: LintContext) -> [Diagnostic] {
        let rule = AddressWithoutChannelRule()
        let organisation = context.organisation
        let kinds = Set(organisation.channels.map(\.addressKind))
        var result: [Diagnostic] = []
        for labels in context.policyLabels {
            let policy = labels.policy
            for field in policy.fields where field.type.value.holdsAddresses {
                guard let kind = field.addressKind, !kinds.contains(kind.value) else { continue }
                let known = kinds.sorted().joined(separator: ", ")
                result.append(
                    rule.kind(
                        "field '\(field.name.value)' of policy '\(policy.id.value)' holds '\(kind.value)' addresses, but no channel reads that kind\(kind.value.didYouMean(kinds))",
                        at: kind.location,
                        hint: "declare a channel with 'address: \(kind.value)', or use a kind a channel reads (\(known.isEmpty ? "none declared" : known))"))
            }
            for (label, step) in labels.steps where !step.via.isEmpty {
                let viaKinds = Set(step.via.flatMap(\.channels).compactMap { organisation.channel($0.value)?.addressKind })
                for target in step.notify + step.cc where target.kind == .address {
                    let fields = target.addressFields.compactMap { policy.field($0.value) }
                    let fieldKinds = fields.compactMap { $0.addressKind?.value }
                    guard fields.count == target.addressFields.count, !fieldKinds.isEmpty, fieldKinds.allSatisfy(kinds.contains) else { continue }
                    guard !fieldKinds.contains(where: viaKinds.contains) else { continue }
                    let names = target.addressFields.map(\.value).joined(separator: ", ")
                    result.append(
                        rule.kind(
                            "\(label) reaches \(names) (\(fieldKinds.joined(separator: ", ")) addresses) only through 'via' channels that read none of them",
                            at: target.reference.location,
                            hint: "add a channel that reads \(fieldKinds.joined(separator: " or ")) to its 'via'"))
                }
            }
        }
        return result
    }

    /// Fails unless the rule and the oracle give the same diagnostics, in the same order; returns how many.
    @discardableResult
    static func expectSame(_ loaded: PolicyLoader.Loaded, _ what: String) -> Int {
        let context = LintContext(organisation: loaded.organisation, loadDiagnostics: loaded.diagnostics)
        let new = AddressWithoutChannelRule().validate(context)
        let old = reference(context)
        #expect(new.map(\.description) == old.map(\.description), "\(what)")
        #expect(new == old, "\(what)")
        return old.count
    }

    /// A random organisation file: address fields of several kinds, layers with 'via' lists and address targets in
    /// notify and cc (some naming undeclared fields), alternatives and watchdog-free hooks left out.
    static func randomFile(_ rng: inout SplitMix64) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        let fields = ["a1", "a2", "a3", "list1"]
        let kinds = ["email", "sms", "slack", "url"]
        let vias = ["email", "sms", "room", "missing"]
        var lines = ["policies:"]
        for index in 0..<(1 + Int(rng.next() % 3)) {
            lines += ["  p\(index):", "    name: P\(index)", "    match: { service: s\(index) }", "    fields:"]
            for field in fields where rng.next() % 4 != 0 {
                lines.append("      \(field): { type: \(field.hasPrefix("list") ? "address-list" : "address"), kind: \(pick(kinds)) }")
            }
            if rng.next() % 5 == 0 { lines.append("      note: { type: string }") }
            lines.append("    layers:")
            for layer in 0..<(1 + Int(rng.next() % 3)) {
                func target() -> String {
                    let count = 1 + Int(rng.next() % 2)
                    let names = (0..<count).map { _ in rng.next() % 8 == 0 ? "nowhere" : pick(fields + ["note"]) }
                    return count == 1 ? "{ address: \(names[0]) }" : "{ address: [\(names.joined(separator: ", "))] }"
                }
                var notify = (0..<Int(rng.next() % 3)).map { _ in target() }
                if notify.isEmpty || rng.next() % 3 == 0 { notify.append("{ group: team }") }
                lines += ["      - id: l\(layer)", "        notify: [\(notify.joined(separator: ", "))]"]
                if rng.next() % 4 != 0 { lines.append("        via: [\(vias.filter { _ in rng.next() % 2 == 0 }.joined(separator: ", "))]") }
                if rng.next() % 3 == 0 { lines.append("        cc: [\(target())]") }
                lines.append("        template: page")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("the bundled organisations and the broken fixtures")
    func bundledAndBroken() throws {
        var count = 0
        for files in try LintLabelsTests.bundled() {
            Self.expectSame(PolicyLoader().load(files: files), files[0].path)
            count += 1
        }
        for loaded in try PolicyLoader().load(paths: [ExternalTool.fixtures.appendingPathComponent("broken").path]) {
            count += 1
            Self.expectSame(loaded, "broken fixtures")
        }
        #expect(count >= 6)
    }

    @Test("2,000 random organisations")
    func random() {
        var rng = SplitMix64(seed: 0xADD_2E55)
        var reported = 0
        var clean = 0
        for round in 0..<2_000 {
            let file = Self.randomFile(&rng)
            let loaded = PolicyLoader().load(files: [("base.yaml", RuleExample.baseOrganisation), ("random.yaml", file)])
            let count = Self.expectSame(loaded, "round \(round):\n\(file)")
            reported += count
            if count == 0 { clean += 1 }
        }
        // The draws reach both answers: many diagnostics, and organisations with none (92 of 2,000).
        #expect(reported > 500)
        #expect(clean > 50)
    }
}
