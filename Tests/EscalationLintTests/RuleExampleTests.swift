import EscalationCore
import EscalationLint
import Testing

/// Every rule's examples are its tests: non-triggering examples must not trigger it (nor produce errors),
/// triggering examples must trigger it at each `↓`. Channel plugins come from `TestChannels`.
@Suite("Rule examples")
struct RuleExampleTests {
    static let rules: [RuleDescription] = RuleCatalogue.descriptions

    static func lint(_ example: RuleExample) -> [Diagnostic] {
        var files: [(path: String, text: String)] = []
        if !example.standalone { files.append(("base.yaml", RuleExample.baseOrganisation)) }
        files.append(("example.yaml", example.text))
        return Linter(channels: TestChannels.registry).lint(files: files)
    }

    @Test("non-triggering examples", arguments: rules)
    func nonTriggering(rule: RuleDescription) {
        #expect(!rule.nonTriggeringExamples.isEmpty, "\(rule.id) needs a non-triggering example")
        for example in rule.nonTriggeringExamples {
            let diagnostics = Self.lint(example)
            let own = diagnostics.filter { $0.rule == rule.id }
            #expect(own.isEmpty, "\(rule.id): example at \(example) triggered: \(own.map(\.description))")
            let errors = diagnostics.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(rule.id): non-triggering example at \(example) has errors: \(errors.map(\.description))")
        }
    }

    @Test("triggering examples", arguments: rules)
    func triggering(rule: RuleDescription) {
        #expect(!rule.triggeringExamples.isEmpty, "\(rule.id) needs a triggering example")
        for example in rule.triggeringExamples {
            let own = Self.lint(example).filter { $0.rule == rule.id }
            #expect(!own.isEmpty, "\(rule.id): example at \(example) did not trigger the rule")
            for diagnostic in own {
                #expect(diagnostic.code == rule.kind.code)
                #expect(diagnostic.location != nil, "\(rule.id): \(diagnostic) has no location")
            }
            let expected = example.markers.map { "example.yaml:\($0.line):\($0.column)" }
            if !expected.isEmpty {
                let actual = own.compactMap { $0.location?.description }
                #expect(Set(actual) == Set(expected), "\(rule.id): example at \(example) expected \(expected), got \(own.map(\.description))")
            }
        }
    }

    @Test("rule ids and codes are unique, and there are at least 20 rules")
    func registry() {
        #expect(RuleCatalogue.duplicates().isEmpty)
        #expect(Self.rules.count >= 20)
    }
}

extension RuleDescription: CustomTestStringConvertible {
    public var testDescription: String { id }
}
