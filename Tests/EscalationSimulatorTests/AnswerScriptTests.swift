import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import Foundation
import Testing

/// Rehearsals that script whether calls are answered (`answered:` / `unanswered:` in a scenario or test case,
/// `--answered` / `--unanswered` on `simulate`), and channel groups.
@Suite("Simulator: answered and unanswered deliveries")
struct AnswerScriptTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          pat: { name: Pat, addresses: { phone: "+1-555-0101", email: pat@example.org, slack: "@pat" } }
        channels:
          phone: { plugin: voice }
          email: { plugin: email }
          slack: { plugin: slack }
        templates:
          page: { body: "{{ incident.title }}" }
        policies:
          call:
            name: Call
            layers:
              - id: first
                notify: [{ contact: pat }]
                via: [{ all: [phone, slack] }, { channel: email, unanswered: 2m }]
                template: page
        """

    static func timeline(answered: [String] = [], unanswered: [String] = [], fail: [String] = []) throws -> [String] {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty)
        let graph = GraphCompiler().compile(loaded.organisation)
        let scenario = try ScenarioBuilder(graph: graph).build(
            file: nil, policy: "call", fields: [:], start: "2026-03-04T10:00", respond: [], fail: fail, until: "1h", answered: answered,
            unanswered: unanswered, now: Instant(seconds: 0))
        return try Simulator(graph: graph).run(scenario).entries.compactMap { entry in
            switch entry.kind {
            case .notify: return "+\(entry.offset / 60)m \(entry.channel ?? "?")"
            case .note where entry.detail.hasSuffix(" to pat answered") || entry.detail.hasSuffix(" to pat not answered"):
                return "+\(entry.offset / 60)m \(entry.detail)"
            default: return nil
            }
        }
    }

    @Test("with nothing scripted nobody is seen to answer: the e-mail follows 2 minutes after the group")
    func nothingScripted() throws {
        #expect(try Self.timeline() == ["+0m phone", "+0m slack", "+2m email"])
    }

    @Test("an answered call: no e-mail")
    func answered() throws {
        #expect(try Self.timeline(answered: ["phone to pat"]) == ["+0m phone", "+0m slack", "+0m phone to pat answered"])
    }

    @Test("unanswered on every channel of the group: the e-mail at once; on one channel only: after the wait")
    func unanswered() throws {
        #expect(
            try Self.timeline(unanswered: ["phone", "slack"])
                == ["+0m phone", "+0m slack", "+0m phone to pat not answered", "+0m slack to pat not answered", "+0m email"])
        #expect(try Self.timeline(unanswered: ["phone"]) == ["+0m phone", "+0m slack", "+0m phone to pat not answered", "+2m email"])
        #expect(try Self.timeline(unanswered: ["phone"], fail: ["slack"]) == ["+0m phone", "+0m slack", "+0m phone to pat not answered", "+0m email"])
    }

    @Test("a scenario file and a test case take answered and unanswered lists; an unknown channel is refused")
    func scenarioKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scenario.yaml")
        try "fields: {}\nanswered: [phone]\nunanswered: [slack to pat]\n".write(to: file, atomically: true, encoding: .utf8)
        let read = try ScenarioFile.read(path: file.path)
        #expect(read.answered == ["phone"])
        #expect(read.unanswered == ["slack to pat"])
        #expect(throws: ScenarioBuilder.BuildError.self) { try Self.timeline(unanswered: ["fone"]) }
        do {
            _ = try Self.timeline(answered: ["phone to"])
            Issue.record("expected the line to be refused")
        } catch {
            #expect("\(error)".contains("cannot read the answered line 'phone to'"))
        }
    }
}
