// Prints engine and simulator throughput on the bundled seed policies. Run in a release build:
//   swift run -c release escalate-benchmark
import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationPipeline
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import EscalationStore
import EscalationTesting
import Foundation
import Logging

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The executor's per-delivery lines would be most of the work measured; only errors are logged.
/// Prints a figure at once (unbuffered, also when the output goes to a file).
func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let quiet: Logger = {
    var logger = Logger(label: "escalate.benchmark")
    logger.logLevel = .error
    return logger
}()

/// Ends the run with a message on standard error and exit status 2, for input the benchmark cannot use.
func stop(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("escalate-benchmark: " + message + "\n").utf8))
    exit(2)
}

let root = CommandLine.arguments.dropFirst().first ?? "policies"
let loaded: [PolicyLoader.Loaded]
do {
    loaded = try PolicyLoader().load(paths: [root + "/mindgym-live"])
} catch {
    stop("\(error) (run it from the repository's root, or pass the folder holding the bundled policies)")
}
guard let organisation = loaded.first?.organisation else { stop("no organisation under \(root)/mindgym-live") }
let graph = GraphCompiler().compile(organisation)
let engine = Engine(graph: graph)
let zone = ZonedTime.zone(graph.timezone) ?? ZonedTime.utc
guard let start = Instant.parse("2026-11-23T10:58-06:00", zone: zone) else { fatalError("bad start") }
let fields = [
    "scenario": "participant-no-show", "session.start": "2026-11-23T11:00-06:00", "session_title": "Leading Essentials",
    "session_time_label": "11AM CT", "client_name": "Dana Client", "client_email": "Dana Client <client-contact@example.com>", "client_phone": "+1-555-0150",
    "facilitator_name": "Sam Coach", "booking_owner": "cdt-owner-a", "portfolio_team_lead": "portfolio-lead-a",
    "sender_name": "SSC agent A",
]

/// The policy the executor sections serve: a first layer timing out after 2 s, then a second.
let servedYAML = """
    organisation: { id: bench, name: Bench, timezone: UTC }
    contacts:
      alice: { name: Alice, addresses: { email: alice@example.org } }
      bob: { name: Bob, addresses: { email: bob@example.org } }
    channels:
      email: { plugin: recording }
    templates:
      page: { body: "{{ incident.title }}" }
    policies:
      outage:
        name: Outage
        layers:
          - { id: first, notify: [{ contact: alice }], template: page, timeout: 2s }
          - { id: second, notify: [{ contact: bob }], template: page }
    """

// 9. Intake as the database grows (issue 13): durable triggers per second, each 50th followed by a dispatch, on a store
// holding 1,000 incidents and on one holding 100,000 (ESCALATE_BENCH_INTAKE overrides the larger size). The two are
// measured in alternation, 5 rounds of 200 triggers each, so that load from other processes falls on both alike. Every
// commit is fsynced (synchronous = FULL), so this is bound by the disk's commit rate. The CPU time per trigger (user +
// system, this process) is printed beside it, to tell work that grows from waiting that grows.
// ESCALATE_BENCH_ONLY=intake runs only this section.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
/// A store and its executor for the intake figures, with the time and CPU its measured triggers took.
final class IntakeRig {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-bench-intake-\(UUID().uuidString).sqlite").path
    let executor: Executor
    var next = 0
    var measured = 0
    var wall = 0.0
    var cpu = 0.0

    init(start: Instant, policy: String, logger: Logger) throws {
        var options = Executor.Options()
        options.perContactPerMinute = Int.max
        executor = Executor(
            store: try SQLiteIncidentStore(path: path), policies: PolicySet([PolicyLoader().load(files: [(path: "bench.yaml", text: policy)]).organisation]),
            registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(), clock: ManualClock(start),
            options: options, logger: logger)
    }

    deinit { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

    /// Fills the store up to `count` incidents with 16 callers at once (group commit makes that quicker).
    func fill(to count: Int) async throws {
        let (from, executor) = (next, executor)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for index in stride(from: from + worker, to: count, by: 16) {
                        _ = try await executor.trigger(organisation: "bench", policy: "outage", title: "fill \(index)", fields: [:], dedupKey: "intake-\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        while try await executor.dispatchDue(limit: 1_000) > 0 {}
        next = max(next, count)
    }

    /// Measures `count` triggers from one caller, each 50th followed by a dispatch.
    func measure(_ count: Int) async throws {
        let cpuBefore = cpuSeconds()
        wall += try await seconds {
            for index in next..<(next + count) {
                _ = try await executor.trigger(organisation: "bench", policy: "outage", title: "intake \(index)", fields: [:], dedupKey: "intake-\(index)")
                if index % 50 == 49 { try await executor.dispatchDue(limit: 1_000) }
            }
        }
        cpu += cpuSeconds() - cpuBefore
        next += count
        measured += count
    }

    var rate: Double { Double(measured) / wall }
    var cpuPerTrigger: Double { cpu / Double(measured) * 1000 }
}
func intakeSection() async throws {
    let largeSize = Int(ProcessInfo.processInfo.environment["ESCALATE_BENCH_INTAKE"] ?? "") ?? 100_000
    let small = try IntakeRig(start: start, policy: servedYAML, logger: quiet)
    let large = try IntakeRig(start: start, policy: servedYAML, logger: quiet)
    try await small.fill(to: 1_000)
    try await large.fill(to: largeSize)
    for _ in 0..<5 {
        try await small.measure(200)
        try await large.measure(200)
    }
    report(
        String(
            format: "intake (SQLite, fsync per commit; alternated): %.0f triggers/s at 1,000 incidents, %.0f/s at %d (%.0f %% of the first; within 20 %% asked); CPU %.2f vs %.2f ms per trigger",
            small.rate, large.rate, largeSize, 100 * large.rate / small.rate, small.cpuPerTrigger, large.cpuPerTrigger))
}
if ProcessInfo.processInfo.environment["ESCALATE_BENCH_ONLY"] == "intake" {
    try await intakeSection()
    exit(0)
}

// ESCALATE_BENCH_ONLY=served runs only the served loop's figures (section 4).
if ProcessInfo.processInfo.environment["ESCALATE_BENCH_ONLY"] == "served" {
    try await servedRun("steady 20 incidents/s", count: 100, interval: 0.05)
    try await servedRun("burst of 300 back to back", count: 300, interval: 0)
    exit(0)
}

// 1. Engine events per second: trigger, fire every timer, resolve — many incidents.
/// Runs incidents `range` through `engine` (trigger, every timer in order, resolve): (events, effects).
@Sendable func engineRun(_ range: Range<Int>, engine: Engine, fields: [String: String]) -> (events: Int, effects: Int) {
    var events = 0
    var effects = 0
    for index in range {
        var timers: [String: Instant] = [:]
        // The state is handed to the engine in place (`apply`), as the simulator does.
        var state: IncidentState?
        var stepEffects = engine.apply(
            .trigger(id: "B-\(index)", policy: "participant-no-show", title: "bench", fields: fields, dedupKey: nil), to: &state, now: start)
        events += 1
        var now = start
        for _ in 0..<20 {
            effects += stepEffects.count
            for effect in stepEffects {
                if case .scheduleTimer(let id, let at) = effect { timers[id] = at }
                if case .cancelTimer(let id) = effect { timers[id] = nil }
            }
            guard let next = timers.min(by: { $0.value < $1.value }) else { break }
            timers[next.key] = nil
            now = next.value
            stepEffects = engine.apply(.timerFired(id: next.key), to: &state, now: now)
            events += 1
        }
        stepEffects = engine.apply(.resolve(by: "bench", scope: nil, outcome: "ran"), to: &state, now: now)
        events += 1
        effects += stepEffects.count
    }
    return (events, effects)
}
// ESCALATE_BENCH_INCIDENTS makes the engine run smaller (e.g. 500 under callgrind).
let incidents = Int(ProcessInfo.processInfo.environment["ESCALATE_BENCH_INCIDENTS"] ?? "") ?? 20_000
var events = 0
var effects = 0
let engineCPU = cpuSeconds()
let engineTime = seconds { (events, effects) = engineRun(0..<incidents, engine: engine, fields: fields) }
let engineCPUUsed = cpuSeconds() - engineCPU
report(
    String(
        format: "engine: %d events (%d incidents, %d effects) in %.3f s = %.0f events/s, %.0f ns/event (one core; CPU %.3f s)", events, incidents,
        effects, engineTime, Double(events) / engineTime, engineTime * 1e9 / Double(events), engineCPUUsed))

// 1a. The engine's figure beside the machine's limit: CPU cycles per event (CPU time, so time spent descheduled on a
// loaded machine does not count) at the clock /proc/cpuinfo reports, against the cycles the target leaves (2 cores at
// that clock, 1,000,000 events/s).
if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("cpu MHz") }),
    let megahertz = line.split(separator: ":").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
{
    let cycles = engineCPUUsed * megahertz * 1e6 / Double(events)
    let budget = 2 * megahertz * 1e6 / 1_000_000
    report(
        String(
            format: "engine beside the machine: %.0f cycles per event at %.0f MHz; 1,000,000 events/s on 2 cores leaves %.0f cycles per event (%.1fx over)",
            cycles, megahertz, budget, cycles / budget))
}

// 1b. The same incidents on every core (the engine is pure; incidents are independent, as in Monte Carlo). Each core
// gets its own engine over its own copy of the graph (decoded from the graph's JSON) and its own copy of the fields, so
// the cores share no reference-counted object: a shared graph costs 11-25 % more CPU on two threads in atomic reference
// counts on the same cache lines. Skipped when ESCALATE_BENCH_INCIDENTS sizes the run down for a profiler.
let cores = ProcessInfo.processInfo.activeProcessorCount
if ProcessInfo.processInfo.environment["ESCALATE_BENCH_INCIDENTS"] == nil, cores > 1 {
    var counted = (events: 0, effects: 0)
    let graphJSON = try JSONEncoder().encode(graph)
    let fieldsJSON = try JSONEncoder().encode(fields)
    let copies = try (0..<cores).map { _ in
        (engine: Engine(graph: try JSONDecoder().decode(RuleGraph.self, from: graphJSON)),
         fields: try JSONDecoder().decode([String: String].self, from: fieldsJSON))
    }
    let parallelCPU = cpuSeconds()
    let parallelTime = seconds {
        let chunk = (incidents + cores - 1) / cores
        let parts = ParallelMap.map(cores) { part in
            engineRun((part * chunk)..<min(incidents, (part + 1) * chunk), engine: copies[part].engine, fields: copies[part].fields)
        }
        counted = parts.reduce((0, 0)) { ($0.0 + $1.events, $0.1 + $1.effects) }
    }
    report(
        String(
            format: "engine on %d cores: %d events in %.3f s = %.0f events/s (%.2fx one core; CPU %.3f s; target 1,000,000 events/s)", cores,
            counted.events, parallelTime, Double(counted.events) / parallelTime, engineTime / parallelTime, cpuSeconds() - parallelCPU))
}

// 2. Monte Carlo runs per second.
let scenario = Scenario(policy: "participant-no-show", fields: fields, start: start, horizonSeconds: 3 * 3_600)
let answers = [AnswerModel(contact: "cdt-owner-a", probability: 0.6, withinSeconds: 600)]
let runs = Int(ProcessInfo.processInfo.environment["ESCALATE_BENCH_RUNS"] ?? "") ?? 5_000
var report: MonteCarlo.Report?
let monteCarloTime = try seconds { report = try MonteCarlo(graph: graph).run(scenario, answers: answers, runs: runs, seed: 42) }
report(String(format: "monte carlo: %d runs in %.3f s = %.0f runs/s (p50 to ack: %@)", runs, monteCarloTime, Double(runs) / monteCarloTime,
    report?.p50.flatMap { PolicyDuration.compact($0) } ?? "never"))

// 2b. The Monte Carlo: 10,000 runs of a 5-layer policy with reminders (focus-it `urgent-need`, about 59
// notifications a run), each run simulated or reused (`ESCALATE_BENCH_FULL_MC=1` simulates every run, for comparison).
// (Skipped when ESCALATE_BENCH_INCIDENTS sizes the run down for a profiler.)
if ProcessInfo.processInfo.environment["ESCALATE_BENCH_INCIDENTS"] == nil, let focus = try PolicyLoader().load(paths: [root + "/focus-it"]).first?.organisation {
    let focusGraph = GraphCompiler().compile(focus)
    let focusZone = ZonedTime.zone(focusGraph.timezone) ?? ZonedTime.utc
    if let focusStart = Instant.parse("2026-11-24T10:05", zone: focusZone) {
        let urgent = Scenario(
            policy: "urgent-need",
            fields: [
                "urgency": "urgent", "region": "us", "issue_scope": "Roy floor 1", "affected_locations": "Roy", "agents_impacted": "10",
                "systems_not_working": "CRM", "issue_start": "2026-11-24T09:50", "symptoms": "x", "reporter": "roy-floor1-supervisor",
            ], start: focusStart)
        let roy = [AnswerModel(contact: "us-tech-roy", probability: 0.3, withinSeconds: 600)]
        let reuse = ProcessInfo.processInfo.environment["ESCALATE_BENCH_FULL_MC"] != "1"
        var outcome: (samples: MonteCarlo.Samples, simulated: Int)?
        let urgentCPU = cpuSeconds()
        let urgentTime = try seconds {
            outcome = try MonteCarlo(graph: focusGraph).samples(
                urgent, answers: roy, runs: 10_000, seed: 1, reusesRuns: reuse, workers: ProcessInfo.processInfo.activeProcessorCount)
        }
        report(
            String(
                format:
                    "monte carlo, 5-layer focus-it urgent-need: 10000 runs in %.3f s, CPU %.3f s (%d simulated, the rest reused; target < 0.200 s); never acknowledged %d",
                urgentTime, cpuSeconds() - urgentCPU, outcome?.simulated ?? 0, outcome?.samples.neverAcknowledged ?? 0))
    }
}

// ESCALATE_BENCH_ONLY=engine stops here (engine and Monte Carlo only: what a profiler such as callgrind should see).
if ProcessInfo.processInfo.environment["ESCALATE_BENCH_ONLY"] == "engine" { exit(0) }

// 3. Executor on the SQLite store: durable events per second and trigger-to-delivery latency (p50/p99), through a
// recording channel, driven step by step.
let organisationForExecutor: Organisation = {
    var copy = organisation
    copy.channels = copy.channels.map { channel in
        var recording = channel
        recording.plugin = Located("recording", at: channel.plugin.location)
        recording.settings = nil
        return recording
    }
    return copy
}()
let databasePath = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-bench-\(UUID().uuidString).sqlite").path
defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) } }
let executor = Executor(
    store: try SQLiteIncidentStore(path: databasePath), policies: PolicySet([organisationForExecutor]),
    registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(), clock: ManualClock(start),
    logger: quiet)
var latencies: [Double] = []
let executorIncidents = 500
let executorTime = try await seconds {
    for index in 0..<executorIncidents {
        let begin = DispatchTime.now().uptimeNanoseconds
        _ = try await executor.trigger(
            organisation: graph.organisation, policy: "participant-no-show", title: "bench \(index)", fields: fields, dedupKey: "bench-\(index)")
        try await executor.dispatchDue()
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
        _ = try await executor.incident("none")
    }
}
latencies.sort()
let executorEvents = await executor.metrics.events
report(String(format: "executor (SQLite): %d events in %.3f s = %.0f events/s; trigger-to-delivery p50 %.2f ms, p99 %.2f ms", executorEvents,
    executorTime, Double(executorEvents) / executorTime, latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 99 / 100)]))

// 3b. The disk's own limit on the same file system, through the same store: one-row transactions with an fsync each
// (`probeWrite`), and intake with 16 callers at once (as 16 HTTP connections): group commit shares one fsync among the
// transitions that arrive while a transaction is written, so concurrent intake can pass the one-commit-per-fsync rate.
let limitPath = databasePath + "-limit.sqlite"
defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: limitPath + suffix) } }
let limitStore = try SQLiteIncidentStore(path: limitPath)
let probes = 1_000
let probeTime = try await seconds { for _ in 0..<probes { try await limitStore.probeWrite() } }
let diskLimit = Double(probes) / probeTime
let concurrentPath = databasePath + "-concurrent.sqlite"
defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: concurrentPath + suffix) } }
let concurrent = Executor(
    store: try SQLiteIncidentStore(path: concurrentPath), policies: PolicySet([organisationForExecutor]),
    registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(), clock: ManualClock(start),
    logger: quiet)
let concurrentTriggers = 2_000
let concurrentTime = try await seconds {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<16 {
            group.addTask {
                for index in stride(from: worker, to: concurrentTriggers, by: 16) {
                    _ = try await concurrent.trigger(
                        organisation: graph.organisation, policy: "participant-no-show", title: "bench \(index)", fields: fields, dedupKey: "c-\(index)")
                }
            }
        }
        try await group.waitForAll()
    }
}
report(
    String(
        format: "disk limit: %.0f one-row commits/s (fsync each); one caller, each trigger then its dispatch: %.0f triggers/s (%.2f of the limit); 16 callers triggering at once: %.0f triggers/s (%.2f of the limit)",
        diskLimit, Double(executorEvents) / executorTime, Double(executorEvents) / executorTime / diskLimit, Double(concurrentTriggers) / concurrentTime,
        Double(concurrentTriggers) / concurrentTime / diskLimit))

// 4. The served loop (`Executor.run()`, as `escalate serve` runs it) on SQLite with the wall clock: incidents whose
// first layer times out after 2 s. Dispatch lag is the time from a delivery falling due (its trigger, or its timer's
// instant) to its first attempt; it includes how late timers fire. Throttling is off so every page goes out at once.
/// Triggers `count` incidents, `interval` seconds apart (0: back to back), on the served loop; waits for both layers'
/// deliveries; prints the lag figures.
func servedRun(_ label: String, count: Int, interval: Double) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-bench-served-\(UUID().uuidString).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    var options = Executor.Options()
    options.perContactPerMinute = Int.max
    let log = RecordingChannel.Log()
    let served = Executor(
        store: try SQLiteIncidentStore(path: path), policies: PolicySet([PolicyLoader().load(files: [(path: "bench.yaml", text: servedYAML)]).organisation]),
        registry: try ChannelRegistry([RecordingChannel.self]), environment: log.environment(), options: options, logger: quiet)
    let loop = Task { await served.run() }
    let time = try await seconds {
        for index in 0..<count {
            _ = try await served.trigger(organisation: "bench", policy: "outage", title: "served \(index)", fields: [:], dedupKey: nil)
            if interval > 0 { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) }
        }
        while log.all.count < 2 * count { try await Task.sleep(nanoseconds: 10_000_000) }
    }
    loop.cancel()
    let metrics = await served.metrics
    report(String(format: "served loop (SQLite, wall clock), %@: %d incidents, %d deliveries in %.2f s; dispatch lag p50 %.2f ms, p99 %.2f ms; timers fired %.1f ms late on average; %d loop wake-ups",
        label, count, log.all.count, time, (metrics.lagQuantile(0.5) ?? -1) * 1000, (metrics.lagQuantile(0.99) ?? -1) * 1000,
        metrics.timerLagSum / Double(max(metrics.timersFired, 1)) * 1000, metrics.wakeups))
}
try await servedRun("steady 20 incidents/s", count: 100, interval: 0.05)
try await servedRun("burst of 300 back to back", count: 300, interval: 0)


// 5. Isolation of deliveries: 500 pages on a channel whose sends hang (60 s timeout) while 100 pages on another
// channel arrive at 20/s, on the served loop with the wall clock. With the bound per channel (20) the other channel's
// dispatch lag stays low; with the bound set to the overall 100 (as before it existed) its pages wait for the hung ones.
/// A plugin whose sends never finish on their own (they end when the executor's timeout cancels them).
struct HangingChannel: NotificationChannel {
    static let descriptor = ChannelDescriptor(id: "hang", summary: "Never answers (benchmark only).")
    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {}
    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        try? await Task.sleep(nanoseconds: 3_600 * 1_000_000_000)
        return .failed(DeliveryFailure(retryable: true, reason: "cancelled"))
    }
}
let isolationYAML = """
    organisation: { id: bench, name: Bench, timezone: UTC }
    contacts:
      alice: { name: Alice, addresses: { hook: alice } }
      bob: { name: Bob, addresses: { email: bob@example.org } }
    channels:
      email: { plugin: recording }
      hook: { plugin: hang, timeout: 60s }
    templates:
      page: { body: "{{ incident.title }}" }
    policies:
      hung:
        name: Hung
        layers:
          - { id: first, notify: [{ contact: alice }], via: [hook], template: page }
      other:
        name: Other
        layers:
          - { id: first, notify: [{ contact: bob }], via: [email], template: page }
    """
func isolationRun(perChannel: Int) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-bench-isolation-\(UUID().uuidString).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    var options = Executor.Options()
    options.perContactPerMinute = Int.max
    options.maxInFlightPerChannel = perChannel
    let log = RecordingChannel.Log()
    let served = Executor(
        store: try SQLiteIncidentStore(path: path),
        policies: PolicySet([PolicyLoader().load(files: [(path: "bench.yaml", text: isolationYAML)]).organisation]),
        registry: try ChannelRegistry([RecordingChannel.self, HangingChannel.self]), environment: log.environment(), options: options,
        logger: quiet)
    let loop = Task { await served.run() }
    for index in 0..<500 { _ = try await served.trigger(organisation: "bench", policy: "hung", title: "hung \(index)", fields: [:], dedupKey: nil) }
    var lags: [Double] = []
    var delivered = 0
    for index in 0..<100 {
        let begin = DispatchTime.now().uptimeNanoseconds
        _ = try await served.trigger(organisation: "bench", policy: "other", title: "other \(index)", fields: [:], dedupKey: nil)
        // Waits for this page (at most 2 s) and measures from its trigger's answer to its delivery.
        var waited = 0
        while log.all.count <= delivered, waited < 200 {
            try await Task.sleep(nanoseconds: 10_000_000)
            waited += 1
        }
        if log.all.count > delivered {
            delivered = log.all.count
            lags.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
        }
        if waited < 5 { try await Task.sleep(nanoseconds: 50_000_000 - UInt64(waited) * 10_000_000) }
        if lags.isEmpty, index >= 4 { break }  // starved: no need to wait 2 s for each of the rest
    }
    loop.cancel()
    lags.sort()
    if lags.isEmpty {
        report("isolation, per channel \(perChannel) of \(options.maxInFlight): 500 sends hanging on one channel; the other channel's pages: none delivered within 2 s each (starved)")
    } else {
        report(String(format: "isolation, per channel %d of %d: 500 sends hanging on one channel; the other channel's %d pages: trigger-to-delivery p50 %.1f ms, p99 %.1f ms",
            perChannel, options.maxInFlight, lags.count, lags[lags.count / 2], lags[min(lags.count - 1, lags.count * 99 / 100)]))
    }
}
try await isolationRun(perChannel: Executor.Options().maxInFlightPerChannel)
try await isolationRun(perChannel: Executor.Options().maxInFlight)


// 6. Restart with 10,000 overdue timers (SQLite): the server was down while every incident's first layer timed out.
// The served loop fires the overdue timers in batches (Options.timerBatch) interleaved with dispatch, so the first
// page goes out after one batch rather than after all of them (issue 13, item 15: it was 71.5 s).
func restartRun(timers: Int, batch: Int) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-bench-restart-\(UUID().uuidString).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    var options = Executor.Options()
    options.perContactPerMinute = Int.max
    options.timerBatch = batch
    let organisation = PolicyLoader().load(files: [(path: "bench.yaml", text: servedYAML)]).organisation
    // Before the stop: the incidents opened an hour ago and their first pages went out.
    let before = Executor(
        store: try SQLiteIncidentStore(path: path), policies: PolicySet([organisation]), registry: try ChannelRegistry([RecordingChannel.self]),
        environment: RecordingChannel.Log().environment(), clock: ManualClock(Instant(seconds: Int64(Date().timeIntervalSince1970) - 3_600)),
        options: options, logger: quiet)
    // Opened by 16 callers at once (group commit makes the set-up quicker).
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<16 {
            group.addTask {
                for index in stride(from: worker, to: timers, by: 16) {
                    _ = try await before.trigger(organisation: "bench", policy: "outage", title: "restart \(index)", fields: [:], dedupKey: nil)
                }
            }
        }
        try await group.waitForAll()
    }
    while try await before.dispatchDue(limit: 1_000) > 0 {}
    // The restart, on the wall clock: every timer is overdue.
    let log = RecordingChannel.Log()
    let begin = DispatchTime.now().uptimeNanoseconds
    let restarted = Executor(
        store: try SQLiteIncidentStore(path: path), policies: PolicySet([organisation]), registry: try ChannelRegistry([RecordingChannel.self]),
        environment: log.environment(), options: options, logger: quiet)
    try await restarted.recover()
    let loop = Task { await restarted.run() }
    while log.all.isEmpty { try await Task.sleep(nanoseconds: 1_000_000) }
    let first = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
    while log.all.count < timers { try await Task.sleep(nanoseconds: 10_000_000) }
    let all = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
    loop.cancel()
    let batches = batch == .max ? "all in one batch (the old behaviour)" : "batches of \(batch)"
    report(String(format: "restart (SQLite) with %d overdue timers, %@: first page %.3f s after start; all %d second-layer pages %.2f s after start",
        timers, batches, first, timers, all))
}
try await restartRun(timers: 10_000, batch: Executor.Options().timerBatch)
try await restartRun(timers: 10_000, batch: .max)

// 8. Scaling (issue 13): lint time for 1k/10k/100k contacts (every other one broken: no addresses, so each gets a
// diagnostic), simulate time for 1k/10k scripted lines; the 10k/1k ratio of a linear algorithm is about 10 (≤ 15 asked).
func lintSeconds(contacts: Int) -> Double {
    var yaml = "organisation: { id: big, name: Big, timezone: UTC }\ncontacts:\n"
    for index in 0..<contacts {
        yaml += index % 2 == 0 ? "  c\(index): { name: C\(index), addresses: { email: c\(index)@example.org } }\n" : "  c\(index): { name: C\(index) }\n"
    }
    yaml += "templates:\n  page: { body: x }\npolicies:\n  p:\n    name: P\n    layers:\n      - { id: l, notify: [{ contact: c0 }], template: page }\n"
    let text = yaml
    return seconds { _ = PolicyPipeline().run(files: [(path: "big.yaml", text: text)]) }
}
let lintTimes = [1_000, 10_000, 100_000].map { ($0, lintSeconds(contacts: $0)) }
report(
    "lint scaling: " + lintTimes.map { String(format: "%d contacts %.3f s", $0.0, $0.1) }.joined(separator: ", ")
        + String(format: "; 10k/1k ratio %.1f, 100k/10k ratio %.1f (linear: 10)", lintTimes[1].1 / lintTimes[0].1, lintTimes[2].1 / lintTimes[1].1))
let servedGraph = GraphCompiler().compile(PolicyLoader().load(files: [(path: "bench.yaml", text: servedYAML)]).organisation)
func simulateSeconds(lines: Int) throws -> Double {
    let script = try (0..<lines).map { try ScriptParser.action("signal ping at +\($0)s", zone: ZonedTime.utc) }
    let scenario = Scenario(policy: "outage", fields: [:], start: start, script: script, failures: [], horizonSeconds: lines + 60)
    return try seconds { _ = try Simulator(graph: servedGraph).run(scenario) }
}
let simulateTimes = try [1_000, 10_000].map { ($0, try simulateSeconds(lines: $0)) }
report(
    "simulate scaling: " + simulateTimes.map { String(format: "%d respond lines %.3f s", $0.0, $0.1) }.joined(separator: ", ")
        + String(format: "; 10k/1k ratio %.1f (linear: 10)", simulateTimes[1].1 / simulateTimes[0].1))

try await intakeSection()
