import EscalationCompiler
import EscalationGraph
import EscalationPolicy
import Testing

/// The version hash of a compiled policy follows its meaning, not its layout.
@Suite("Policy version")
struct VersionTests {
    static func policy(_ text: String) throws -> CompiledPolicy {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: text)])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        return try #require(GraphCompiler().compile(loaded.organisation).policy("outage"))
    }

    static func yaml(timeout: String = "15m", comment: String = "") -> String {
        """
        \(comment)organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          jessie: { name: Jessie, addresses: { email: jessie@example.org } }
        templates:
          page: { body: "Page" }
        policies:
          outage:
            name: Outage
            layers:
              - id: first
                notify: [{ contact: jessie }]
                template: page
                timeout: \(timeout)
              - id: second
                notify: [{ contact: jessie }]
                template: page
        """
    }

    @Test("the version changes when a timeout changes (15m → 20m)")
    func timeoutChangesVersion() throws {
        let before = try Self.policy(Self.yaml(timeout: "15m"))
        let after = try Self.policy(Self.yaml(timeout: "20m"))
        #expect(before.version.count == 16)
        #expect(before.version != after.version)
        #expect(before.nodes.map(\.id) == after.nodes.map(\.id))
    }

    @Test("the version does not change when only comments and line positions change")
    func layoutKeepsVersion() throws {
        let before = try Self.policy(Self.yaml())
        let after = try Self.policy(Self.yaml(comment: "# The outage ladder.\n# Reviewed every quarter.\n\n"))
        #expect(before.source?.line != after.source?.line, "the comment should move the policy down")
        #expect(before.version == after.version)
        #expect(before.nodes.map(\.id) == after.nodes.map(\.id))
    }
}
