import EscalationCore
import Yams

/// Finds `{{ variable }}` placeholders in template text and locates each in the source file.
enum TemplateText {
    /// The variables in `text`; malformed placeholders are reported to the sink.
    static func variables(in text: String, what: String, source: SourceText, mark: Mark, sink: DiagnosticSink) -> [Located<String>] {
        let openings = text.components(separatedBy: "{{").count - 1
        let positions = source.occurrences(of: "{{", from: mark.line, column: mark.column, limit: openings)
        var result: [Located<String>] = []
        var rest = Substring(text)
        var index = 0
        while let open = rest.range(of: "{{") {
            let location = index < positions.count ? positions[index] : source.location(line: mark.line, column: mark.column)
            index += 1
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                sink.add(LoadProblem.invalidTemplate("'{{' without a closing '}}' in \(what)", at: location, hint: "write variables as {{ incident.field }}"))
                break
            }
            let name = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if name.contains("{{") || !FieldName.isValid(name) {
                sink.add(
                    LoadProblem.invalidTemplate(
                        "'{{ \(name) }}' in \(what) is not a variable name", at: location,
                        hint: "variables are dotted lower-case names, e.g. {{ incident.client_name }}"))
            } else {
                result.append(Located(name, at: location))
            }
            rest = afterOpen[close.upperBound...]
        }
        return result
    }
}
