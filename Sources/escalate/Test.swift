import ArgumentParser
import EscalationCore
import EscalationSimulator
import Foundation

extension Escalate {
    /// `escalate test [PATH]`: run the policy tests in each organisation's `tests/` folder.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run policy unit tests (tests/*.yaml beside the policies) and print a diff on failure.",
            discussion: "Exit status: 0 all passed, 1 a test failed or the policies have errors, 2 usage or I/O error.")

        @OptionGroup var input: PolicyInput

        @Option(help: "Also write JUnit XML to this file.")
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
                    for result in runner.run(file, now: Instant(seconds: Int64(Date().timeIntervalSince1970))) {
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
                    try PolicyTestRunner.junit(results).write(toFile: junit, atomically: true, encoding: .utf8)
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
