import EscalationCore
import Foundation

extension DiagnosticReporter {
    private struct Text: Encodable { var text: String }
    private struct Configuration: Encodable { var level: String }
    private struct RuleProperties: Encodable { var code: String }
    private struct ReportingDescriptor: Encodable {
        var id: String, name: String
        var shortDescription: Text, fullDescription: Text
        var defaultConfiguration: Configuration
        var properties: RuleProperties
    }
    private struct Driver: Encodable {
        var name: String, version: String, informationUri: String
        var rules: [ReportingDescriptor]
    }
    private struct Tool: Encodable { var driver: Driver }
    private struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?

        /// A file path as SARIF wants it: percent-encoded (RFC 3986), `file://` when absolute, else relative to
        /// `%SRCROOT%` (the folder lint ran in).
        init(path: String) {
            let encoded = Self.percentEncoded(path)
            if path.hasPrefix("/") {
                uri = "file://" + encoded
                uriBaseId = nil
            } else {
                uri = encoded
                uriBaseId = "%SRCROOT%"
            }
        }

        /// Every byte but the unreserved ones and `/` as `%XX`.
        static func percentEncoded(_ path: String) -> String {
            var result = ""
            for byte in path.utf8 {
                let unreserved = (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || [45, 46, 95, 126, 47].contains(byte)
                if unreserved {
                    result.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
                }
            }
            return result
        }
    }
    private struct Region: Encodable { var startLine: Int, startColumn: Int }
    private struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation, region: Region }
    private struct Location: Encodable { var physicalLocation: PhysicalLocation }
    private struct Result: Encodable {
        var ruleId: String, ruleIndex: Int?, level: String
        var message: Text
        var locations: [Location]
    }
    private struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var columnKind: String
    }
    private struct Log: Encodable {
        var schema: String, version: String
        var runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// SARIF 2.1.0: every built-in rule as a reporting descriptor, every diagnostic as a result.
    func sarif(_ report: Linter.Report) -> String {
        let descriptions = RuleCatalogue.descriptions
        let rules = descriptions.map {
            ReportingDescriptor(
                id: $0.id, name: $0.name.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(),
                shortDescription: Text(text: $0.name), fullDescription: Text(text: $0.summary),
                defaultConfiguration: Configuration(level: Self.level($0.kind.severity)),
                properties: RuleProperties(code: $0.kind.code))
        }
        let results = report.diagnostics.map { diagnostic in
            Result(
                ruleId: diagnostic.rule, ruleIndex: descriptions.firstIndex { $0.id == diagnostic.rule },
                level: Self.level(diagnostic.severity),
                message: Text(text: diagnostic.hint.map { "\(diagnostic.message). Hint: \($0)" } ?? diagnostic.message),
                locations: diagnostic.location.map { location in
                    [
                        Location(
                            physicalLocation: PhysicalLocation(
                                artifactLocation: ArtifactLocation(path: location.file),
                                region: Region(startLine: location.line, startColumn: location.column)))
                    ]
                } ?? [])
        }
        let log = Log(
            schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0",
            runs: [
                Run(
                    tool: Tool(
                        driver: Driver(
                            name: "escalate", version: toolVersion,
                            informationUri: "https://escalate.example.org/docs/policy-language", rules: rules)),
                    results: results, columnKind: "unicodeCodePoints")
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(log), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text + "\n"
    }
}

extension String {
    /// The string with zeros before it up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
