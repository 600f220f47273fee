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
        InvalidAnchorRule.self,
        // References.
        UnknownContactRule.self,
        UnknownGroupRule.self,
        UnknownScheduleRule.self,
        UnknownChannelRule.self,
        UnknownTemplateRule.self,
        UnknownCalendarRule.self,
        UnknownFieldRule.self,
        UnknownStageRule.self,
        UndefinedTemplateVariableRule.self,
        PlaintextSecretRule.self,
        UnknownPluginRule.self,
        InvalidChannelSettingsRule.self,
        ChannelCannotPostRule.self,
        ChannelCannotAnswerRule.self,
        UnansweredFirstChannelRule.self,
        // Semantics.
        AnchorNotTimeRule.self,
        FieldTypeMismatchRule.self,
        BusinessTimeWithoutCalendarRule.self,
        UnknownOutcomeRule.self,
        InvalidMatchValueRule.self,
        DuplicateStepIDRule.self,
        InvalidIntervalRule.self,
        AddressWithoutChannelRule.self,
        // Warnings.
        LayerWithoutAcknowledgerRule.self,
        MissingAddressRule.self,
        UnusedTemplateRule.self,
        ShadowedPolicyRule.self,
        LayerNotifiesNobodyRule.self,
        CalendarWithoutHoursRule.self,
    ]
}
