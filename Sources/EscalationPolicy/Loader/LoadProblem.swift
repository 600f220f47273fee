import EscalationCore

/// The problems the loader itself reports; each is also documented as a lint rule.
public enum LoadProblem {
    /// The file is not valid YAML.
    public static let yamlSyntax = DiagnosticKind(id: "yaml_syntax", code: "E001", severity: .error)
    /// A key appears twice in one mapping.
    public static let duplicateKey = DiagnosticKind(id: "duplicate_key", code: "E002", severity: .error)
    /// A key the language does not define.
    public static let unknownKey = DiagnosticKind(id: "unknown_key", code: "E003", severity: .error)
    /// A value of the wrong type (a list where text is expected, …).
    public static let wrongType = DiagnosticKind(id: "wrong_type", code: "E004", severity: .error)
    /// A required key is missing.
    public static let missingKey = DiagnosticKind(id: "missing_key", code: "E005", severity: .error)
    /// A duration that cannot be read.
    public static let invalidDuration = DiagnosticKind(id: "invalid_duration", code: "E006", severity: .error)
    /// A time of day, date or instant that cannot be read.
    public static let invalidTime = DiagnosticKind(id: "invalid_time", code: "E007", severity: .error)
    /// An unknown IANA timezone.
    public static let invalidTimezone = DiagnosticKind(id: "invalid_timezone", code: "E008", severity: .error)
    /// An id or field name that breaks the naming rules.
    public static let invalidIdentifier = DiagnosticKind(id: "invalid_identifier", code: "E009", severity: .error)
    /// A value outside the allowed set (weekday, field type, stage trigger, …) or range.
    public static let invalidValue = DiagnosticKind(id: "invalid_value", code: "E010", severity: .error)
    /// The same id declared twice in one organisation.
    public static let duplicateID = DiagnosticKind(id: "duplicate_id", code: "E011", severity: .error)
    /// No file of the organisation has an `organisation:` section, or more than one does.
    public static let organisationSection = DiagnosticKind(id: "organisation_section", code: "E012", severity: .error)
    /// A template with unbalanced or malformed `{{ }}`.
    public static let invalidTemplate = DiagnosticKind(id: "invalid_template", code: "E013", severity: .error)
    /// A layer's `at` that is not `FIELD`, `FIELD + DURATION` or `FIELD - DURATION` with a wall-time offset.
    public static let invalidAnchor = DiagnosticKind(id: "invalid_anchor", code: "E014", severity: .error)

    /// Every loader problem kind.
    public static let all: [DiagnosticKind] = [
        yamlSyntax, duplicateKey, unknownKey, wrongType, missingKey, invalidDuration, invalidTime,
        invalidTimezone, invalidIdentifier, invalidValue, duplicateID, organisationSection, invalidTemplate, invalidAnchor,
    ]
}
