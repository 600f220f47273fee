import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// A hook step whose condition does not hold records `on resolve #2 skipped: its condition does not hold`; the text
/// is the same for every incident, so `PolicyIndex` writes it once per hook step and `run` hands out the shared
/// string. It must be the interpolation `run` wrote for every step (kept below as the oracle), byte for byte, on
/// generated policies, and in a run whose resolve skips one hook for each outcome.
@Suite("A skipped hook's record written once")
struct SkippedHookTextTests {
    /// The record as `run` wrote it before (the oracle).
    static func oracle(_ origin: String) -> [UInt8] { Array("\(origin) skipped: its condition does not hold".utf8) }

    @Test("each hook's record is the interpolated text", arguments: Array(0..<20))
    func policyTexts(policy: Int) throws {
        let graph = try Org.graph(PropertyTests.policyYAML(seed: UInt64(policy) &* 7_919 &+ 11))
        let engine = Engine(graph: graph)
        for compiled in graph.policies {
            let index = try #require(engine.index.policyIndex(compiled.id))
            #expect(index.acknowledgeSkipped.map { Array($0.utf8) } == index.acknowledgeOrigins.map(Self.oracle))
            #expect(index.resolveSkipped.map { Array($0.utf8) } == index.resolveOrigins.map(Self.oracle))
            #expect(index.triggerSkipped.map { Array($0.utf8) } == index.triggerOrigins.map(Self.oracle))
            #expect(index.resolveSkipped.count == compiled.hooks.resolve.count)
        }
    }

    @Test("a resolve that skips a hook records the interpolated text", arguments: [("ran", 2), ("not-run", 1)])
    func skippedOnResolve(outcome: String, skipped: Int) throws {
        var driver = Driver(try Org.graph(LifecycleTests.session), start: LifecycleTests.t0)
        driver.trigger("session")
        let resolve = driver.send(.resolve(by: "ann", scope: nil, outcome: outcome), at: LifecycleTests.t0.plus(10))
        let records = resolve.records.filter { $0.hasSuffix("its condition does not hold") }
        #expect(records.map { Array($0.utf8) } == [Self.oracle("on resolve #\(skipped)")])
    }
}
