import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPipeline
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// A policy snapshot stored with an incident is the compiled graph: after a restart the executor finishes the
/// incident on it, without the YAML (the files may be gone) and without today's parser.
@Suite("Snapshots")
struct SnapshotRestartTests {
    @Test("an executor restarted after the policy files were deleted finishes the incident on its snapshot")
    func restartWithoutPolicyFiles() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Harness.yaml.write(to: folder.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        let registry = try ChannelRegistry([RecordingChannel.self])
        let clock = ManualClock(Harness.start)
        let first = Executor(
            store: try SQLiteIncidentStore(path: path), policies: try PolicySet.load(paths: [folder.path], channels: registry), registry: registry,
            environment: RecordingChannel.Log().environment(), clock: clock)
        let id = try await first.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident.id
        try await first.dispatchDue()
        try FileManager.default.removeItem(at: folder)

        // The snapshot is the compiled graph as JSON, with the channels' plugin and settings: no YAML in it.
        let store = try SQLiteIncidentStore(path: path)
        let version = try #require(try await store.incident(id: id)).state.version
        let snapshot = try #require(try await store.policySnapshot(organisation: "acme", version: version))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(snapshot.document.utf8)) as? [String: Any])
        #expect(document["organisation"] as? String == "acme")
        #expect((document["channels"] as? [[String: Any]])?.compactMap { $0["plugin"] as? String } == ["recording", "recording"])
        #expect(!snapshot.document.contains("layers:"))

        // Restarted with no policies at all: the timeout still moves to layer 2, which pages bob through `email`.
        let restarted = Executor(store: store, policies: PolicySet(graphs: []), registry: registry, environment: RecordingChannel.Log().environment(), clock: clock)
        try await restarted.recover()
        clock.advance(seconds: 600)
        #expect(try await restarted.fireDueTimers() == 1)
        try await restarted.dispatchDue()
        let deliveries = try await restarted.deliveries(id)
        #expect(deliveries.map(\.status) == [.delivered, .delivered])
        #expect(deliveries.last?.effect.contains("bob@example.org") == true)
        let resolved = try await restarted.handle(incident: id, event: .resolve(by: "bob", scope: nil, outcome: nil))
        #expect(resolved.state.status == .resolved)
        let timeline = try await restarted.timeline(id).map(\.text)
        #expect(!timeline.contains { $0.contains("no longer available") }, "\(timeline)")
    }
}
