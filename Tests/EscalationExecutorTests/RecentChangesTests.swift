import EscalationCore
import EscalationTesting
import Testing

@testable import EscalationExecutor

/// Every new incident asks for its organisation's change events of the last hour; with a store of this process they
/// are read once and kept until a change is recorded, and the hour still slides.
@Suite("Recent changes")
struct RecentChangesTests {
    @Test("read once, kept while nothing is recorded, read again after a recording; events leave the hour as time goes on")
    func kept() async throws {
        let clock = ManualClock(Harness.start)
        let store = CommitRecordingStore()
        let executor = try ImmediateClaimTests.executor(store, clock: clock, log: RecordingChannel.Log())
        let start = Harness.start
        #expect(try await executor.recentChanges(organisation: "acme", now: start).isEmpty)
        #expect(try await executor.recentChanges(organisation: "acme", now: start.adding(seconds: 5)).isEmpty)
        #expect(await store.pendingReads == 1)
        try await executor.recordChange(organisation: "acme", summary: "deploy 42", source: "ci", at: start.adding(seconds: 10))
        let seen = try await executor.recentChanges(organisation: "acme", now: start.adding(seconds: 20))
        #expect(seen.map(\.summary) == ["deploy 42"] && seen.map(\.source) == ["ci"])
        #expect(try await executor.recentChanges(organisation: "acme", now: start.adding(seconds: 30)).map(\.summary) == ["deploy 42"])
        #expect(await store.pendingReads == 2)
        // An hour and a bit later the deploy has left the window, without another read.
        #expect(try await executor.recentChanges(organisation: "acme", now: start.adding(seconds: 3_611)).isEmpty)
        #expect(await store.pendingReads == 2)
        // A wider window than the one kept is read from the store.
        #expect(try await executor.recentChanges(organisation: "acme", now: start.adding(seconds: 3_611), windowSeconds: 7_200).map(\.summary) == ["deploy 42"])
        #expect(await store.pendingReads == 3)
    }

    @Test("known quiet only after a read found no change, until a change is recorded; the hour must be covered")
    func quiet() async throws {
        let clock = ManualClock(Harness.start)
        let store = CommitRecordingStore()
        let executor = try ImmediateClaimTests.executor(store, clock: clock, log: RecordingChannel.Log())
        let start = Harness.start
        #expect(!executor.knownQuiet(organisation: "acme", now: start))
        #expect(try await executor.recentChanges(organisation: "acme", now: start).isEmpty)
        #expect(executor.knownQuiet(organisation: "acme", now: start))
        #expect(executor.knownQuiet(organisation: "acme", now: start.adding(seconds: 60)))
        // A window reaching back before the one read is not known.
        #expect(!executor.knownQuiet(organisation: "acme", now: start.adding(seconds: -1)))
        #expect(!executor.knownQuiet(organisation: "acme", now: start, windowSeconds: 7_200))
        #expect(!executor.knownQuiet(organisation: "other", now: start))
        try await executor.recordChange(organisation: "acme", summary: "deploy 42", source: nil, at: start.adding(seconds: 10))
        #expect(!executor.knownQuiet(organisation: "acme", now: start.adding(seconds: 20)))
        #expect(try await executor.recentChanges(organisation: "acme", now: start.adding(seconds: 20)).map(\.summary) == ["deploy 42"])
        #expect(!executor.knownQuiet(organisation: "acme", now: start.adding(seconds: 20)))
        // Once the deploy has left the hour, the kept read is empty again: quiet.
        #expect(try await executor.recentChanges(organisation: "acme", now: start.adding(seconds: 3_611)).isEmpty)
        #expect(executor.knownQuiet(organisation: "acme", now: start.adding(seconds: 3_611)))
    }
}
