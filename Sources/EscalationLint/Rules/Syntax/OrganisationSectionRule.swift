import EscalationCore
import EscalationPolicy

/// Organisation section: reported by the loader while it reads the YAML.
public struct OrganisationSectionRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.organisationSection,
        name: "Organisation section",
        summary: "Exactly one file of an organisation declares the 'organisation:' section (id, name, timezone).",
        nonTriggeringExamples: [
            RuleExample(
                """
                organisation:
                  id: solo
                  name: Solo
                  timezone: UTC
                """, standalone: true),
        ],
        triggeringExamples: [
            RuleExample(
                """
                ↓contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org }
                """, standalone: true),
        ])
}
