import EscalationEngine
import Testing

@Suite("Reply commands: codes, verbs and arguments read from the first unquoted line, case-insensitively")
struct ReplyCommandTests {
    typealias Verb = ReplyCommand.Verb

    @Test(arguments: [
        ("4a", "4", Verb.acknowledge), ("4A", "4", .acknowledge), ("4 ack", "4", .acknowledge), ("ack 4", "4", .acknowledge),
        ("Acknowledge 12", "12", .acknowledge), ("\"4a\"", "4", .acknowledge), ("4a.", "4", .acknowledge),
        ("4r", "4", .resolve(outcome: nil)), ("4r Fixed", "4", .resolve(outcome: "fixed")), ("resolve 4 false-alarm", "4", .resolve(outcome: "false-alarm")),
        ("4e", "4", .escalate), ("escalate 4", "4", .escalate), ("4s 30", "4", .snooze(minutes: 30)), ("snooze 4 30m", "4", .snooze(minutes: 30)),
        ("4 signal deployed", "4", .signal("deployed")), ("4 Deployed", "4", .signal("deployed")),
    ])
    func reads(_ text: String, _ code: String, _ verb: Verb) throws {
        let command = try ReplyCommand.parse(text, signals: ["deployed"]).get()
        #expect(command == ReplyCommand(code: code, verb: verb))
    }

    @Test func withoutACodeTheVerbStands() throws {
        #expect(try ReplyCommand.parse("ack").get() == ReplyCommand(code: nil, verb: .acknowledge))
        #expect(try ReplyCommand.parse("snooze 30").get() == ReplyCommand(code: nil, verb: .snooze(minutes: 30)))
    }

    @Test func quotedLinesAndSignaturesAreIgnored() throws {
        let text = "\n> On Monday the pager wrote:\n>> Reply 4a\n\n  4a  \n--\nJessie\nSent from my phone"
        #expect(ReplyCommand.commandLine(of: text) == "4a")
        #expect(try ReplyCommand.parse(text).get() == ReplyCommand(code: "4", verb: .acknowledge))
    }

    @Test(arguments: ["", "> only a quote", "hello", "4", "4x", "4s", "4s 0", "4s forever", "snooze 4 999999", "signal", "4 unknown-signal"])
    func refuses(_ text: String) {
        #expect(throws: ReplyCommand.Problem.self) { try ReplyCommand.parse(text, signals: ["deployed"]).get() }
    }

    @Test("random texts never crash the reader and only command words act")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789 aAbcdeErRsSkz>\"'\n\t.,-!é🙂%+=&")
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? " " })
            if case .success(let command) = ReplyCommand.parse(text) {
                if case .snooze(let minutes) = command.verb { #expect((1...ReplyCommand.longestSnooze).contains(minutes)) }
                #expect(command.code.map { !$0.isEmpty && $0.allSatisfy(\.isNumber) } ?? true, "\(text.debugDescription)")
            }
        }
    }
}
