import EscalationCore
import EscalationLint
import EscalationPolicy
import Foundation
import Testing

/// The labelled steps, targets and route uses a lint context builds once (their labels written only when asked) must be
/// exactly what each policy and the organisation compute on their own (which is what every rule read before), on the bundled organisations, the broken
/// fixtures, and bundled organisations with random lines dropped.
@Suite("Lint labels")
struct LintLabelsTests {

    /// Each bundled organisation's top-level YAML files.
    static func bundled() throws -> [[(path: String, text: String)]] {
        let root = ExternalTool.repositoryRoot.appendingPathComponent("policies")
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        return try names.compactMap { name in
            let folder = root.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
            return try files.map { file in
                let path = folder.appendingPathComponent(file).path
                return (path, try String(contentsOfFile: path, encoding: .utf8))
            }
        }
    }

    /// Fails unless the context's lists equal what the organisation and its policies compute directly.
    static func expectSame(_ organisation: Organisation, _ what: String) {
        let context = LintContext(organisation: organisation, loadDiagnostics: [])
        let labels = context.policyLabels
        #expect(labels.count == organisation.policies.count, "\(what)")
        for (policy, built) in zip(organisation.policies, labels) {
            #expect(built.policy.id.value == policy.id.value, "\(what)")
            #expect(built.steps.map { "\($0.label) \($0.step)" } == policy.labelledSteps.map { "\($0.label) \($0.step)" }, "\(what)")
            #expect(built.targets.map { "\($0.label) \($0.target)" } == policy.labelledTargets.map { "\($0.label) \($0.target)" }, "\(what)")
            #expect(
                built.routeUses.map { "\($0.label) \($0.route) \($0.picksChannel)" }
                    == policy.routeUses.map { "\($0.label) \($0.route) \($0.picksChannel)" }, "\(what)")
        }
        #expect(
            context.labelledTargets.map { "\($0.label) \($0.target)" } == organisation.labelledTargets.map { "\($0.label) \($0.target)" },
            "\(what)")
    }

    @Test("the bundled organisations and the broken fixtures")
    func bundledAndBroken() throws {
        var count = 0
        for files in try Self.bundled() {
            Self.expectSame(PolicyLoader().load(files: files).organisation, files[0].path)
            count += 1
        }
        let broken = ExternalTool.fixtures.appendingPathComponent("broken").path
        for loaded in try PolicyLoader().load(paths: [broken]) {
            Self.expectSame(loaded.organisation, "broken fixtures")
            count += 1
        }
        #expect(count >= 6)
    }

    @Test("400 bundled organisations with random lines dropped")
    func damaged() throws {
        let sources = try Self.bundled()
        var random = SplitMix64(seed: 15)
        var steps = 0
        for round in 0..<400 {
            let files = sources[round % sources.count].map { file in
                let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
                let kept = lines.filter { _ in random.next() % 40 != 0 }
                return (path: file.path, text: kept.joined(separator: "\n"))
            }
            let organisation = PolicyLoader().load(files: files).organisation
            steps += organisation.policies.map(\.labelledSteps.count).reduce(0, +)
            Self.expectSame(organisation, "round \(round)")
        }
        #expect(steps > 1_000)
    }

    @Test("a context rebuilds its lists when its organisation changes")
    func rebuiltOnChange() throws {
        let organisations = try Self.bundled().map { PolicyLoader().load(files: $0).organisation }
        let first = try #require(organisations.first), last = try #require(organisations.last)
        var context = LintContext(organisation: first, loadDiagnostics: [])
        #expect(context.policyLabels.map(\.policy.id.value) == first.policies.map(\.id.value))
        context.organisation = last
        #expect(context.policyLabels.map(\.policy.id.value) == last.policies.map(\.id.value))
        #expect(context.labelledTargets.map(\.label.description) == last.labelledTargets.map(\.label))
    }
}
