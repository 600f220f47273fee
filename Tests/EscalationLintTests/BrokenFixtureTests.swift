import EscalationCore
import EscalationLint
import Foundation
import Testing

/// Each file (or folder) under Fixtures/broken has one failure mode and a golden `.diagnostics` file with
/// exactly what `escalate lint` reports. Regenerate goldens with `UPDATE_GOLDEN=1 swift test --filter BrokenFixture`.
@Suite("Broken fixtures")
struct BrokenFixtureTests {
    static let folder = ExternalTool.fixtures.appendingPathComponent("broken")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".diagnostics") && !$0.hasPrefix(".") }.sorted()
    }

    /// The text report for one fixture, with paths relative to the broken folder.
    static func render(_ name: String) throws -> String {
        let report = try Linter().lint(paths: [folder.appendingPathComponent(name).path])
        let prefix = folder.path + "/"
        return report.diagnostics.map { $0.description.replacingOccurrences(of: prefix, with: "") }
            .joined(separator: "\n") + "\n"
    }

    @Test("there are at least 40 broken fixtures")
    func enoughFixtures() {
        #expect(Self.cases.count >= 40, "only \(Self.cases.count) fixtures")
    }

    @Test("each fixture reports its golden diagnostics, all located", arguments: cases)
    func fixture(name: String) throws {
        let report = try Linter().lint(paths: [Self.folder.appendingPathComponent(name).path])
        #expect(!report.diagnostics.isEmpty, "\(name) reports nothing")
        for diagnostic in report.diagnostics {
            #expect(diagnostic.location != nil, "\(name): \(diagnostic) has no location")
        }
        let actual = try Self.render(name)
        let base = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
        let golden = Self.folder.appendingPathComponent(base + ".diagnostics")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected, "\(name): lint output differs from \(base).diagnostics")
    }
}
