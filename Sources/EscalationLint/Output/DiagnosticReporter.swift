import EscalationCore
import Foundation

/// Renders a lint report in one of the output formats.
public struct DiagnosticReporter: Sendable {
    /// The format to write.
    public var format: DiagnosticFormat
    /// The tool version written into JSON and SARIF.
    public var toolVersion: String

    /// Creates a reporter.
    public init(format: DiagnosticFormat, toolVersion: String) {
        self.format = format
        self.toolVersion = toolVersion
    }

    /// The whole output for a report.
    public func render(_ report: Linter.Report) -> String {
        switch format {
        case .text: text(report)
        case .json: json(report)
        case .github: github(report)
        case .sarif: sarif(report)
        }
    }

    private func summary(_ report: Linter.Report) -> String {
        let errors = report.count(.error)
        let warnings = report.count(.warning)
        let files = report.organisations.reduce(0) { $0 + $1.files.count }
        let plural = { (n: Int, word: String) in "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(report.organisations.count, "organisation")) (\(plural(files, "file")))"
    }

    private func text(_ report: Linter.Report) -> String {
        var lines = report.diagnostics.map(\.description)
        lines.append(summary(report))
        return lines.joined(separator: "\n") + "\n"
    }

    private struct JSONDiagnostic: Encodable {
        var severity: String, rule: String, code: String, message: String
        var file: String?, line: Int?, column: Int?, hint: String?
    }

    private struct JSONReport: Encodable {
        var version: String
        var organisations: [String]
        var errors: Int, warnings: Int
        var diagnostics: [JSONDiagnostic]
    }

    func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text + "\n"
    }

    private func json(_ report: Linter.Report) -> String {
        encode(
            JSONReport(
                version: toolVersion, organisations: report.organisations.map(\.displayName),
                errors: report.count(.error), warnings: report.count(.warning),
                diagnostics: report.diagnostics.map {
                    JSONDiagnostic(
                        severity: $0.severity.rawValue, rule: $0.rule, code: $0.code, message: $0.message,
                        file: $0.location?.file, line: $0.location?.line, column: $0.location?.column, hint: $0.hint)
                }))
    }

    private func github(_ report: Linter.Report) -> String {
        func escapeData(_ text: String) -> String {
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
        }
        func escapeProperty(_ text: String) -> String {
            escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        var lines = report.diagnostics.map { diagnostic -> String in
            let command = diagnostic.severity == .error ? "error" : diagnostic.severity == .warning ? "warning" : "notice"
            var properties: [String] = []
            if let location = diagnostic.location {
                properties += ["file=\(escapeProperty(location.file))", "line=\(location.line)", "col=\(location.column)"]
            }
            properties.append("title=\(escapeProperty("\(diagnostic.code) \(diagnostic.rule)"))")
            let message = diagnostic.hint.map { "\(diagnostic.message)\nhint: \($0)" } ?? diagnostic.message
            return "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))"
        }
        lines.append(summary(report))
        return lines.joined(separator: "\n") + "\n"
    }
}
