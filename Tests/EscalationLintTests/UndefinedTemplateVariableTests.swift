import EscalationCore
@testable import EscalationLint
import EscalationPolicy
import Foundation
import Testing

/// `UndefinedTemplateVariableRule` keeps each template's users as indices and each policy's field names as a set. This
/// pins its diagnostics against the rule as it was (copies of the policies, `Policy.field` searches, the built-ins as an
/// array), kept here as the oracle, on the bundled organisations, the broken fixtures and 3,000 random organisations.
@Suite("Undefined template variable")
struct UndefinedTemplateVariableTests {

    /// The rule's `validate` as it was before the indices and sets.
    static func reference(_ context: LintContext) -> [Diagnostic] {
        let rule = UndefinedTemplateVariableRule()
        let organisation = context.organisation
        var users: [String: [Policy]] = [:]
        for labels in context.policyLabels {
            for id in Set(UndefinedTemplateVariableRule.templateIDs(of: labels)) { users[id, default: []].append(labels.policy) }
        }
        let anyField = Set(organisation.policies.flatMap { $0.fields.map(\.name.value) })
        var result: [Diagnostic] = []
        for template in organisation.templates {
            let using = users[template.id.value] ?? []
            let what = "template '\(template.id.value)'"
            for variable in template.variables where !UndefinedTemplateVariableRule.builtInVariables.contains(variable.value) {
                let name = variable.value
                guard name.hasPrefix("incident.") else {
                    result.append(
                        rule.kind(
                            "\(what) uses '{{ \(name) }}', which is not a built-in variable\(name.didYouMean(UndefinedTemplateVariableRule.builtInVariables))",
                            at: variable.location,
                            hint:
                                "use a built-in (\(UndefinedTemplateVariableRule.builtInVariables.joined(separator: ", "))) or incident.FIELD for a declared field"
                        ))
                    continue
                }
                let field = String(name.dropFirst("incident.".count))
                if UnknownFieldRule.loaderDropped(field, context) { continue }
                if using.isEmpty {
                    guard !anyField.contains(field) else { continue }
                    result.append(
                        rule.kind(
                            "\(what) uses '{{ \(name) }}', but no policy declares field '\(field)'\(UndefinedTemplateVariableRule.suggestion(for: field, fields: anyField))",
                            at: variable.location,
                            hint: "declare '\(field)' under 'fields:' of the policies that will use this template, or use a built-in variable"))
                    continue
                }
                let lacking = using.filter { $0.field(field) == nil }
                guard !lacking.isEmpty else { continue }
                let common = using.map { Set($0.fields.map(\.name.value)) }.reduce(into: anyField) { $0.formIntersection($1) }
                let names = lacking.map { "'\($0.id.value)'" }
                let subject = names.count == 1 ? "policy \(names[0]), which uses it, does not" : "policies \(names.joined(separator: ", ")), which use it, do not"
                result.append(
                    rule.kind(
                        "\(what) uses '{{ \(name) }}', but \(subject) declare field '\(field)'\(UndefinedTemplateVariableRule.suggestion(for: field, fields: common))",
                        at: variable.location,
                        hint: "declare '\(field)' under 'fields:' of \(names.count == 1 ? "policy \(names[0])" : "those policies"), or use a built-in variable"))
            }
        }
        return result
    }

    /// Fails unless the rule and the oracle give the same diagnostics, in the same order; returns how many.
    @discardableResult
    static func expectSame(_ loaded: PolicyLoader.Loaded, _ what: String) -> Int {
        let context = LintContext(organisation: loaded.organisation, loadDiagnostics: loaded.diagnostics)
        let new = UndefinedTemplateVariableRule().validate(context)
        let old = reference(context)
        #expect(new.map(\.description) == old.map(\.description), "\(what)")
        #expect(new == old, "\(what)")
        return old.count
    }

    static let fields = ["owner", "region", "team", "severity", "host"]
    static let variables = [
        "incident.title", "incident.owner", "incident.region", "incident.team", "incident.severity", "incident.host", "incident.titel",
        "incident.regoin", "incident.custom", "policy.name", "recipient.name", "now", "incidnet.url", "layer.id", "incident.started_at",
        "organisation.nam",
    ]

    /// A random organisation file: templates using random variables, policies declaring random fields and sending
    /// random templates (some undeclared), with a few lines dropped now and then so the loader reports damage.
    static func randomFile(_ rng: inout SplitMix64) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        var lines = ["templates:"]
        let templateCount = 1 + Int(rng.next() % 4)
        for index in 0..<templateCount {
            let used = (0..<Int(rng.next() % 5)).map { _ in "{{ \(pick(variables)) }}" }
            lines += ["  t\(index):", "    subject: \"S \(used.prefix(1).joined())\"", "    body: \"B \(used.joined(separator: " "))\""]
        }
        lines.append("policies:")
        for index in 0..<(1 + Int(rng.next() % 5)) {
            lines += ["  p\(index):", "    name: P\(index)", "    match: { service: s\(index) }"]
            let declared = fields.filter { _ in rng.next() % 2 == 0 }
            if !declared.isEmpty {
                lines.append("    fields:")
                for field in declared { lines.append("      \(field): { type: \(field == "owner" ? "contact" : "string") }") }
            }
            lines.append("    layers:")
            for layer in 0..<(1 + Int(rng.next() % 2)) {
                let template = "t\(rng.next() % UInt64(templateCount + 1))"
                lines += ["      - id: l\(layer)", "        notify: [{ group: team }]", "        template: \(template)"]
            }
        }
        let dropping = rng.next() % 6 == 0
        return lines.filter { _ in !dropping || rng.next() % 25 != 0 }.joined(separator: "\n") + "\n"
    }

    @Test("the bundled organisations and the broken fixtures")
    func bundledAndBroken() throws {
        var count = 0
        for files in try LintLabelsTests.bundled() {
            Self.expectSame(PolicyLoader().load(files: files), files[0].path)
            count += 1
        }
        let broken = ExternalTool.fixtures.appendingPathComponent("broken").path
        for loaded in try PolicyLoader().load(paths: [broken]) {
            Self.expectSame(loaded, "broken fixtures")
            count += 1
        }
        #expect(count >= 6)
    }

    @Test("3,000 random organisations")
    func random() async {
        var rng = SplitMix64(seed: 41)
        var reported = 0
        var several = 0
        for round in 0..<3_000 {
            await Task.yield()  // a long test: lets the timing-sensitive tests that share the pool run
            let file = Self.randomFile(&rng)
            let loaded = PolicyLoader().load(files: [("base.yaml", RuleExample.baseOrganisation), ("random.yaml", file)])
            let count = Self.expectSame(loaded, "round \(round):\n\(file)")
            reported += count
            if count > 1 { several += 1 }
        }
        // The draws reach every branch: many diagnostics, and organisations with several.
        #expect(reported > 3_000)
        #expect(several > 300)
    }

    /// The field of an `incident.FIELD` name as the rule found it before reading bytes.
    static func referenceField(_ name: String) -> String? {
        name.hasPrefix("incident.") ? String(name.dropFirst("incident.".count)) : nil
    }

    @Test("incidentField agrees with hasPrefix and dropFirst on chosen and 20,000 random names")
    func incidentField() {
        let chosen = [
            "incident.", "incident.x", "incident.owner", "incident", "incident.\u{301}x", "incident.\u{301}", "incident.é",
            "incident.e\u{301}", "incidenT.x", "Incident.x", "incident,x", "incident.\r\nx", "incident.\n", "incident.\u{212A}",
            "\u{212A}incident.x", "incidenté.x", "incident.very_long_field_name_beyond_fifteen_bytes", "", "i", ".",
            "incident.\u{0308}\u{0301}", "incident.🙂", "incident. x",
        ]
        for name in chosen {
            #expect(UndefinedTemplateVariableRule.incidentField(name) == Self.referenceField(name), "\(name.unicodeScalars.map(\.value))")
        }
        var rng = SplitMix64(seed: 0x1_7C1D_E7F1)
        let prefixes = ["incident.", "incident", "incident.", "incidenT.", "policy.", "", "incident.\u{301}", "incident.."]
        let pieces: [String] = ["a", "b", "_", ".", "x1", "\u{301}", "\u{0308}", "é", "e\u{301}", "\r", "\n", "\r\n", " ", "\u{212A}", "🙂", "ß"]
        var fields = 0
        var slow = 0
        for _ in 0..<20_000 {
            var name = prefixes[Int(rng.next() % UInt64(prefixes.count))]
            for _ in 0..<Int(rng.next() % 6) { name += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let expected = Self.referenceField(name)
            #expect(UndefinedTemplateVariableRule.incidentField(name) == expected, "\(name.unicodeScalars.map(\.value))")
            if expected != nil { fields += 1 }
            if name.utf8.starts(with: "incident.".utf8), name.utf8.count > 9, name.utf8.dropFirst(9).first.map({ $0 >= 0x80 }) == true { slow += 1 }
        }
        // The draws reach both answers and the character path after the prefix.
        #expect(fields > 5_000)
        #expect(slow > 500)
    }
}
