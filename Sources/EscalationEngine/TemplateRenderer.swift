import Foundation

/// Fills `{{ variable }}` placeholders; a variable with no value renders as `(no value: name)`, never as nothing.
public enum TemplateRenderer {
    /// Renders text with variables.
    public static func render(_ text: String, variables: [String: String]) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let name = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += variables[name] ?? "(no value: \(name))"
            rest = afterOpen[close.upperBound...]
        }
        return output + rest
    }
}
