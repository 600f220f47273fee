/// Every built-in rule, registered in one place. Add a rule here and its examples become tests.
public enum BuiltInRules {
    /// All rule types, in code order.
    public static let all: [any PolicyRule.Type] = [
        // Syntax and structure, reported by the loader.
        YAMLSyntaxRule.self,
        DuplicateKeyRule.self,
        UnknownKeyRule.self,
        WrongTypeRule.self,
        MissingKeyRule.self,
        InvalidDurationRule.self,
        InvalidTimeRule.self,
        InvalidTimezoneRule.self,
        InvalidIdentifierRule.self,
        InvalidValueRule.self,
        DuplicateIDRule.self,
        OrganisationSectionRule.self,
        InvalidTemplateRule.self,
        // References.
        UnknownContactRule.self,
    ]
}
