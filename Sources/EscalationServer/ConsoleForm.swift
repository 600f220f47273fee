import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (`a=1&b=two+words`); a malformed pair is skipped, never trapped on.
struct ConsoleForm: Sendable {
    /// Field → value (the first, when a field repeats).
    var values: [String: String] = [:]

    /// Parses a form body.
    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[name] == nil, let value { values[name] = value }
        }
    }

    /// A field's value, nil when absent.
    subscript(_ name: String) -> String? { values[name] }

    /// A field's value trimmed, nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    static func decode(_ text: Substring) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
}
