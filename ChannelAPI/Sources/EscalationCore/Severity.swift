/// How serious a diagnostic is.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    /// The policy cannot be used as written.
    case error
    /// The policy works but is probably not what was meant.
    case warning
    /// Extra information attached to another diagnostic.
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    /// Errors sort before warnings, warnings before notes.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
