import ArgumentParser
import EscalationCore
import EscalationGraph
import EscalationSimulator
import Foundation

extension Escalate {
    /// `escalate simulate`: rehearse an escalation minute by minute; nothing is sent.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Rehearse an escalation on a virtual clock: who is told what, on which channel, when and why.",
            discussion: """
                Responder lines: "jessie acks at +20m", "pat resolves outcome ran at +1h", "signal facilitator-joined at \
                session.start + 10m", "escalate at +5m", "update eta=15:00 at +30m", "jessie snoozes for 30m at +5m", \
                "matt acks 5m after notified". Failures, and calls answered or not (--answered, --unanswered): "sms to pat" or \
                "sms"; a delivery neither answered nor unanswered reports nothing. Same input, same output.
                """)

        @OptionGroup var input: PolicyInput

        @Option(help: "The policy to run (default: the only policy, or the one the scenario file names).")
        var policy: String?

        @Option(help: "A scenario file (YAML or JSON): fields, and optionally policy, start, respond, fail, answered, unanswered, until.")
        var incident: String?

        @Option(name: .customLong("field"), help: ArgumentHelp("An incident field, NAME=VALUE (repeatable).", valueName: "k=v"))
        var fields: [KeyValue] = []

        @Option(help: "When the incident triggers: ISO 8601, or local YYYY-MM-DDTHH:MM in the organisation's zone.")
        var start: String?

        @Option(help: "A scripted responder action (repeatable).")
        var respond: [String] = []

        @Option(help: "A delivery that fails: CHANNEL or 'CHANNEL to CONTACT' (repeatable).")
        var fail: [String] = []

        @Option(help: "A delivery reported answered (a call picked up): CHANNEL or 'CHANNEL to CONTACT' (repeatable).")
        var answered: [String] = []

        @Option(help: "A delivery reported not answered (a call that rang out): CHANNEL or 'CHANNEL to CONTACT' (repeatable).")
        var unanswered: [String] = []

        @Option(help: "How long to simulate (default 6h).")
        var until: String?

        @Option(help: "Output: text, json, markdown or html.")
        var format: TimelineRenderer.Format = .text

        @Option(help: "Monte Carlo: number of runs (with --answer).")
        var runs: Int?

        @Option(help: "Monte Carlo: 'CONTACT=P within DURATION' — answers with probability P within the delay (repeatable).")
        var answer: [String] = []

        @Option(help: "Monte Carlo seed (default 1).")
        var seed: UInt64 = 1

        func run() throws {
            let compiled = try input.compile()
            guard compiled.count == 1, let graph = compiled.first?.graph else {
                printError("error: simulate needs exactly one organisation; give its folder or file (found \(compiled.count))")
                throw ExitCode(ExitStatus.usage)
            }
            let scenario: Scenario
            do {
                scenario = try ScenarioBuilder(graph: graph).build(
                    file: incident, policy: policy, fields: fields.dictionary, start: start, respond: respond, fail: fail, until: until,
                    answered: answered, unanswered: unanswered, now: Instant(seconds: Int64(Date().timeIntervalSince1970)))
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            if let runs {
                let answers: [AnswerModel]
                do { answers = try answer.map { line throws(ScriptParser.ParseError) in try AnswerModel.parse(line) } } catch {
                    printError("error: \(error.description)")
                    throw ExitCode(ExitStatus.usage)
                }
                // Distinct runs are simulated on every core; the report is the same as on one.
                let report = try MonteCarlo(graph: graph).run(scenario, answers: answers, runs: runs, seed: seed, workers: ProcessInfo.processInfo.activeProcessorCount)
                print(format == .json ? report.json() : report.text(), terminator: "")
                return
            }
            do {
                let timeline = try Simulator(graph: graph).run(scenario)
                print(TimelineRenderer.render(timeline, as: format), terminator: "")
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}

extension TimelineRenderer.Format: ExpressibleByArgument {}
