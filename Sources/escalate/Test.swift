import ArgumentParser
import EscalationCore
import EscalationSimulator
import Foundation

extension Escalate {
    /// `escalate test [PATH]`: run the policy tests in each organisation's `tests/` folder.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run policy unit tests (tests/*.yaml beside the policies) and print a diff on failure.",
            discussion: "Exit status: 0 all passed, 1 a test failed or the policies have errors, 2 usage or I/O error.")

        @OptionGroup var input: PolicyInput

        @Option(help: "Also write JUnit XML to this file (classname ORG.FILE_STEM, time in seconds per case and suite).")
        var junit: String?

        func run() throws {
            let compiled = try input.compile()
            var results: [PolicyTestRunner.Result] = []
            var files = 0
            for (organisation, graph) in compiled {
                let folder = PolicyTestDiscovery.organisationFolder(of: organisation.files)
                let runner = PolicyTestRunner(graph: graph)
                for path in PolicyTestDiscovery.testFiles(in: folder) {
                    files += 1
                    let file: PolicyTestFile
                    do {
                        file = try PolicyTestFile.read(path: path)
                    } catch {
                        printError("error: \(error.description)")
                        throw ExitCode(ExitStatus.usage)
                    }
                    print(path)
                    let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
                    for test in file.cases {
                        // Timed here, with a monotonic clock: the library reads no clock.
                        let clock = ContinuousClock()
                        let began = clock.now
                        var result = runner.run(test, in: file, now: now)
                        let took = began.duration(to: clock.now).components
                        result.seconds = Double(took.seconds) + Double(took.attoseconds) / 1e18
                        results.append(result)
                        print("  \(result.passed ? "✔" : "✘") \(result.name)")
                        for failure in result.failures {
                            print(failure.split(separator: "\n", omittingEmptySubsequences: false).map { "      \($0)" }.joined(separator: "\n"))
                            print("      (\(result.location))")
                        }
                    }
                }
            }
            if let junit {
                do {
                    try JUnitReport.xml(results).write(toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    printError("error: cannot write \(junit): \(error.localizedDescription)")
                    throw ExitCode(ExitStatus.usage)
                }
            }
            let failed = results.filter { !$0.passed }.count
            if files == 0 { print("no policy tests found (put them in tests/*.yaml inside each organisation folder)") }
            print("\(results.count - failed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(ExitStatus.failed) }
        }
    }
}
