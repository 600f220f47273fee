import Foundation

/// A command a responder answered with on a channel (`4a`, `ack 4`, `4r fixed`, `snooze 4 30`, `4 deployed`), read
/// from the first line of the reply that is not empty and not quoted (`>`), case-insensitively.
public struct ReplyCommand: Sendable, Hashable {
    /// What the responder asked for.
    public enum Verb: Sendable, Hashable {
        /// Acknowledge.
        case acknowledge
        /// Resolve, with an outcome when given.
        case resolve(outcome: String?)
        /// Move to the next layer now.
        case escalate
        /// Hold the ladder for some minutes.
        case snooze(minutes: Int)
        /// Send the policy's named signal.
        case signal(String)
    }

    /// The short code of the incident (`4` of `4a`), when the text names one.
    public var code: String?
    /// What to do.
    public var verb: Verb

    /// Creates a command.
    public init(code: String?, verb: Verb) {
        self.code = code
        self.verb = verb
    }

    /// Why a text is not a command; `help` says what would be.
    public struct Problem: Error, Sendable, Hashable {
        /// What was not understood.
        public var message: String
    }

    /// The longest snooze a reply may ask for, in minutes (30 days, as the API).
    public static let longestSnooze = 30 * 24 * 60

    /// What to reply to a text that is not a command.
    public static let help = "Reply with the incident's code and a letter: 4a to acknowledge, 4r to resolve (4r OUTCOME), 4e to escalate, 4s 30 to snooze 30 minutes, or 4 SIGNAL."

    /// The line a reply's command is read from: the first that is not empty and does not start with `>` (quoted).
    public static func commandLine(of text: String) -> String? {
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix(">") { continue }
            return trimmed
        }
        return nil
    }

    /// Reads a reply; `signals` are the names the incident's policy accepts (a bare signal name is that signal).
    public static func parse(_ text: String, signals: [String] = []) -> Result<ReplyCommand, Problem> {
        guard let line = commandLine(of: text) else { return .failure(Problem(message: "The reply was empty.")) }
        let quotes = CharacterSet(charactersIn: "\"'“”‘’`.!,;")
        var words = line.lowercased().split(whereSeparator: { $0.isWhitespace }).map { String($0).trimmingCharacters(in: quotes) }
            .filter { !$0.isEmpty }
        guard let first = words.first else { return .failure(Problem(message: "The reply was empty.")) }
        var code: String?
        // `4a`, `4ack`: a code glued to its verb; `4 a`, `a 4`, `ack 4`: apart.
        let digits = first.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty {
            code = String(digits)
            let rest = first.dropFirst(digits.count)
            words.removeFirst()
            if !rest.isEmpty { words.insert(String(rest), at: 0) }
        }
        guard let verbWord = words.first else {
            return .failure(Problem(message: "'\(line.prefix(40))' names no command."))
        }
        words.removeFirst()
        if code == nil, let next = words.first, next.allSatisfy({ $0.isASCII && $0.isNumber }), !next.isEmpty, next.count <= 6 {
            // `ack 4`, `snooze 4 30`: the number after the verb is the code when another follows or the verb takes none.
            if !isSnooze(verbWord) || words.count > 1 {
                code = next
                words.removeFirst()
            }
        }
        let rest = words
        switch verbWord {
        case "a", "ack", "acknowledge", "acknowledged", "ok", "yes":
            return .success(ReplyCommand(code: code, verb: .acknowledge))
        case "r", "c", "res", "resolve", "resolved", "close", "closed":
            return .success(ReplyCommand(code: code, verb: .resolve(outcome: rest.first)))
        case "e", "esc", "escalate":
            return .success(ReplyCommand(code: code, verb: .escalate))
        case _ where isSnooze(verbWord):
            guard let amount = rest.first else { return .failure(Problem(message: "Say how many minutes to snooze, e.g. 4s 30.")) }
            let number = amount.hasSuffix("m") ? String(amount.dropLast()) : amount
            guard let minutes = Int(number), (1...longestSnooze).contains(minutes) else {
                return .failure(Problem(message: "Snooze takes whole minutes from 1 to \(longestSnooze), got '\(amount.prefix(12))'."))
            }
            return .success(ReplyCommand(code: code, verb: .snooze(minutes: minutes)))
        case "signal":
            guard let name = rest.first else { return .failure(Problem(message: "Say which signal, e.g. 4 signal deployed.")) }
            return .success(ReplyCommand(code: code, verb: .signal(name)))
        default:
            if let name = signals.first(where: { $0.lowercased() == verbWord }) {
                return .success(ReplyCommand(code: code, verb: .signal(name)))
            }
            return .failure(Problem(message: "'\(verbWord.prefix(20))' is not a command."))
        }
    }

    static func isSnooze(_ word: String) -> Bool { ["s", "snooze", "z"].contains(word) }
}
