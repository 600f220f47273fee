/// One problem found in a policy: where, what, and how to fix it.
public struct Diagnostic: Hashable, Codable, Sendable, CustomStringConvertible {
    /// How serious it is.
    public var severity: Severity
    /// The stable rule identifier, e.g. `unknown_contact`.
    public var rule: String
    /// The stable rule code, e.g. `E012`.
    public var code: String
    /// What is wrong, in one sentence.
    public var message: String
    /// Where it is; nil only for problems with no file (e.g. an empty folder).
    public var location: SourceLocation?
    /// How to fix it, when there is something useful to say.
    public var hint: String?

    /// Creates a diagnostic.
    public init(
        severity: Severity, rule: String, code: String, message: String,
        location: SourceLocation?, hint: String? = nil
    ) {
        self.severity = severity
        self.rule = rule
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// `path:line:col: error: message [rule_id]`, followed by the hint on its own line.
    public var description: String {
        var text = "\(location.map { "\($0): " } ?? "")\(severity.rawValue): \(message) [\(rule)]"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

extension Diagnostic: Comparable {
    /// Orders by location (located first), then severity, then rule, then message.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case let (l?, r?) where l != r: return l < r
        case (nil, _?): return false
        case (_?, nil): return true
        default: break
        }
        return (lhs.severity, lhs.rule, lhs.message) < (rhs.severity, rhs.rule, rhs.message)
    }
}
