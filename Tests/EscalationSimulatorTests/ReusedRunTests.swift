import EscalationCore
import Testing

@testable import EscalationSimulator

/// Monte Carlo takes a repeated run's outcome from the run it repeats; the samples are the same as simulating every run.
@Suite struct ReusedRunTests {
    @Test("reusing runs gives the same samples as simulating each, with far fewer simulations", arguments: [1, 42] as [UInt64])
    func sameSamples(seed: UInt64) throws {
        let graph = try SeedRepository.graph("policies/focus-it")
        let scenario = Scenario(
            policy: "urgent-need",
            fields: [
                "urgency": "urgent", "region": "us", "issue_scope": "Roy floor 1", "affected_locations": "Roy", "agents_impacted": "10",
                "systems_not_working": "CRM", "issue_start": "2026-11-24T09:50", "symptoms": "x", "reporter": "roy-floor1-supervisor",
            ],
            start: try #require(Instant.parse("2026-11-24T10:05", zone: ZonedTime.zone(graph.timezone) ?? ZonedTime.utc)),
            horizonSeconds: 2 * 3_600)
        let answers = try ["us-tech-roy=0.3 within 10m", "it-manager=0.5 within 2m"].map { line throws(ScriptParser.ParseError) in
            try AnswerModel.parse(line)
        }
        let runner = MonteCarlo(graph: graph)
        let reused = try runner.samples(scenario, answers: answers, runs: 800, seed: seed, reusesRuns: true)
        let each = try runner.samples(scenario, answers: answers, runs: 800, seed: seed, reusesRuns: false)
        #expect(reused.samples == each.samples)
        #expect(each.simulated == 800)
        #expect(reused.simulated < 500, "\(reused.simulated) of 800 runs simulated")
        #expect(reused.samples.delays.count > 0 && reused.samples.neverAcknowledged > 0)
        // Shared out between threads, and in chunks (5,000 runs are two chunks of up to 4,096), the samples are the same again.
        let threaded = try runner.samples(scenario, answers: answers, runs: 800, seed: seed, reusesRuns: true, workers: 3)
        #expect(threaded.samples == reused.samples && threaded.simulated == reused.simulated)
        guard seed == 42 else { return }
        let long = try runner.samples(scenario, answers: answers, runs: 5_000, seed: seed, reusesRuns: true, workers: 2)
        let longAlone = try runner.samples(scenario, answers: answers, runs: 5_000, seed: seed, reusesRuns: true)
        #expect(long.samples == longAlone.samples)
        #expect(Array(long.samples.notificationCounts.prefix(800)) == reused.samples.notificationCounts)
    }

    @Test("with answers drawn over hours, runs rarely repeat and each is still right")
    func fewRepeats() throws {
        let (runner, scenario, answers) = try SeedRepository.hubbardMonteCarlo()
        let reused = try runner.samples(scenario, answers: answers, runs: 300, seed: 9, reusesRuns: true)
        let each = try runner.samples(scenario, answers: answers, runs: 300, seed: 9, reusesRuns: false, workers: 2)
        #expect(reused.samples == each.samples)
    }
}
