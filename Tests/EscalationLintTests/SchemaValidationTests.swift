import EscalationCore
import EscalationLint
import Foundation
import Testing

/// Machine outputs and the published JSON Schema, checked with a real validator (check-jsonschema).
@Suite("Schema validation", .serialized)
struct SchemaValidationTests {
    static let root = ExternalTool.repositoryRoot

    static func policyFiles() -> [String] {
        let policies = root.appendingPathComponent("policies")
        guard let walker = FileManager.default.enumerator(atPath: policies.path) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.split(separator: "/").contains("tests") }
            .map { policies.appendingPathComponent($0).path }
            .sorted()
    }

    @Test("SARIF output validates against the SARIF 2.1.0 schema")
    func sarifValidates() async throws {
        try #require(await ExternalTool.exists("check-jsonschema"), Comment(rawValue: ExternalTool.missingValidator))
        let fixture = ExternalTool.fixtures.appendingPathComponent("three-mistakes.yaml")
        let report = try Linter().lint(paths: [fixture.path])
        #expect(report.diagnostics.count >= 3)
        let sarif = DiagnosticReporter(format: .sarif, toolVersion: "test").render(report)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sarif.json")
        try sarif.write(to: output, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: output) }
        let schema = ExternalTool.fixtures.appendingPathComponent("sarif-schema-2.1.0.json").path
        let result = try #require(await ExternalTool.run(["check-jsonschema", "--schemafile", schema, output.path]))
        #expect(result.status == 0, "SARIF rejected: \(result.output)")
    }

    @Test("SARIF locations are percent-encoded URIs: file:// when absolute, relative to %SRCROOT% otherwise")
    func sarifURIs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate sarif #\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ops & on-call.yaml")
        try Data("organisation: { id: acme, name: Acme, timezone: UTC }\npolices: {}\n".utf8).write(to: file)
        let absolute = DiagnosticReporter(format: .sarif, toolVersion: "test").render(try Linter().lint(paths: [file.path]))
        #expect(absolute.contains(#""uri" : "file://"#), "\(absolute)")
        #expect(absolute.contains("escalate%20sarif%20%23") && absolute.contains("ops%20%26%20on-call.yaml"), "\(absolute)")
        #expect(!absolute.contains("uriBaseId"))
        var report = try Linter().lint(paths: [file.path])
        report.diagnostics = report.diagnostics.map { diagnostic in
            var relative = diagnostic
            relative.location = diagnostic.location.map { EscalationCore.SourceLocation(file: "policies/ops & on-call.yaml", line: $0.line, column: $0.column) }
            return relative
        }
        let relative = DiagnosticReporter(format: .sarif, toolVersion: "test").render(report)
        #expect(relative.contains(#""uri" : "policies/ops%20%26%20on-call.yaml""#), "\(relative)")
        #expect(relative.contains(#""uriBaseId" : "%SRCROOT%""#))
    }

    @Test("every policy file validates against schema/escalate-policy.schema.json")
    func policiesValidate() async throws {
        try #require(await ExternalTool.exists("check-jsonschema"), Comment(rawValue: ExternalTool.missingValidator))
        let files = Self.policyFiles()
        #expect(files.count >= 5)
        let schema = Self.root.appendingPathComponent("schema/escalate-policy.schema.json").path
        let result = try #require(await ExternalTool.run(["check-jsonschema", "--schemafile", schema] + files))
        #expect(result.status == 0, "schema rejected a policy file: \(result.output)")
    }

    @Test("every policy test file validates against schema/escalate-policy-test.schema.json; a misspelt key is rejected")
    func policyTestFilesValidate() async throws {
        try #require(await ExternalTool.exists("check-jsonschema"), Comment(rawValue: ExternalTool.missingValidator))
        let policies = Self.root.appendingPathComponent("policies")
        let walker = FileManager.default.enumerator(atPath: policies.path)
        let files = (walker?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".yaml") && $0.split(separator: "/").contains("tests") }
            .map { policies.appendingPathComponent($0).path }.sorted()
        #expect(files.count >= 5)
        let schema = Self.root.appendingPathComponent("schema/escalate-policy-test.schema.json").path
        let result = try #require(await ExternalTool.run(["check-jsonschema", "--schemafile", schema] + files))
        #expect(result.status == 0, "schema rejected a policy test file: \(result.output)")

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).yaml")
        try "tests:\n  - name: x\n    fields: {}\n    expect:\n      tasks:\n        - { at: +0m, titel: y }\n"
            .write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let rejected = try #require(await ExternalTool.run(["check-jsonschema", "--schemafile", schema, broken.path]))
        #expect(rejected.status != 0, "the test-file schema accepted 'titel'")
    }

    @Test("the schema rejects a file with an unknown key and a bad duration")
    func schemaRejectsBrokenFile() async throws {
        try #require(await ExternalTool.exists("check-jsonschema"), Comment(rawValue: ExternalTool.missingValidator))
        let broken = ExternalTool.fixtures.appendingPathComponent("three-mistakes.yaml").path
        let schema = Self.root.appendingPathComponent("schema/escalate-policy.schema.json").path
        let result = try #require(await ExternalTool.run(["check-jsonschema", "--schemafile", schema, broken]))
        #expect(result.status != 0, "the schema accepted a broken file")
    }
}
