import Foundation

/// JUnit XML for policy test results: one `<testsuite>` per test file, one `<testcase>` per case.
///
/// A case's `classname` is `ORG.FILE_STEM` (`focus-it.urgent-need` for `policies/focus-it/tests/urgent-need.yaml`),
/// so CI tools group cases by organisation and file rather than by a path; the path is kept in a `file` attribute.
/// `time` attributes are seconds with three decimals, from `PolicyTestRunner.Result.seconds` (measured by the
/// caller; `0.000` when not measured). A suite's time is the sum of its cases'.
public enum JUnitReport {
    /// The XML document for a set of results, in their order.
    public static func xml(_ results: [PolicyTestRunner.Result]) -> String {
        let files = results.map(\.file).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"escalate test\" tests=\"\(results.count)\" failures=\"\(failures(results))\" errors=\"0\""
        xml += " time=\"\(seconds(results))\">\n"
        for file in files {
            let cases = results.filter { $0.file == file }
            let suite = escape(className(of: file))
            xml += "  <testsuite name=\"\(suite)\" tests=\"\(cases.count)\" failures=\"\(failures(cases))\" errors=\"0\" skipped=\"0\""
            xml += " time=\"\(seconds(cases))\" file=\"\(escape(file))\">\n"
            for result in cases {
                xml += "    <testcase classname=\"\(suite)\" name=\"\(escape(result.name))\" time=\"\(seconds([result]))\""
                xml += " file=\"\(escape(file))\" line=\"\(result.location.line)\""
                if result.passed {
                    xml += "/>\n"
                } else {
                    let text = result.failures.joined(separator: "\n")
                    let message = result.failures.first?.components(separatedBy: "\n").first ?? "failed"
                    xml += ">\n      <failure message=\"\(escape(message))\" type=\"expectation\">\(escape(text))</failure>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// `ORG.FILE_STEM` for `…/ORG/tests/FILE_STEM.yaml`; a file outside a `tests` folder uses its own folder as ORG.
    public static func className(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        var folder = url.deletingLastPathComponent()
        if folder.lastPathComponent == "tests" { folder = folder.deletingLastPathComponent() }
        let organisation = folder.lastPathComponent
        return organisation.isEmpty || organisation == "/" || organisation == "." ? stem : "\(organisation).\(stem)"
    }

    static func failures(_ results: [PolicyTestRunner.Result]) -> Int { results.filter { !$0.passed }.count }

    /// Total seconds, three decimals, never negative.
    static func seconds(_ results: [PolicyTestRunner.Result]) -> String {
        String(format: "%.3f", max(0, results.reduce(0) { $0 + ($1.seconds ?? 0) }))
    }

    /// Text safe in an attribute or element (XML 1.0 also forbids most control characters; they become spaces).
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n", "\t": result.unicodeScalars.append(scalar)
            case "\r": result += "&#13;"
            default: result.unicodeScalars.append(scalar.value < 0x20 ? " " : scalar)
            }
        }
        return result
    }
}
