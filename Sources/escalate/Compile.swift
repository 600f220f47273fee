import ArgumentParser
import EscalationGraph
import Foundation

extension Escalate {
    /// `escalate compile PATH`: the rule graph as JSON.
    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compile",
            abstract: "Compile policies into the rule graph and print it as JSON (stable key order).")

        @OptionGroup var input: PolicyInput

        func run() throws {
            let graphs = try input.compile().map(\.graph)
            print(try RuleGraphJSON.encode(graphs), terminator: "")
        }
    }
}
