import EscalationChannel
import Foundation

/// Turns how a command ended, and what it printed, into a delivery result.
///
/// - Exit 0 with `{"ok":true,"external_id":…}` on stdout: delivered (with `"answered": true|false`, answered or not).
/// - Exit 0 with `{"ok":false,"retryable":…,"reason":…}`: failed as the command says (`retryable` defaults to false).
/// - Exit 0 with nothing, or anything that is not such an object: a non-retryable failure (a broken command).
/// - A non-zero exit: failed. A `{"ok":false,…}` result on stdout still decides `retryable`; otherwise exit codes
///   64–78 (sysexits.h: usage, data, config… errors) other than 75 (EX_TEMPFAIL), and 126/127 (not executable,
///   not found, as shells report them) are permanent; every other code is retryable.
/// - Killed by a signal it was not sent, or stopped at the timeout: retryable.
enum ExecOutcome {
    /// The delivery result for a finished run.
    static func result(_ outcome: ProcessRunner.Outcome, command: String, timeout: Double) -> DeliveryResult {
        let name = "'\(command)'"
        if outcome.timedOut {
            let how = outcome.killed ? "stopped with SIGTERM, then SIGKILL" : "stopped with SIGTERM"
            if outcome.cancelled { return failed(true, "\(name) was given up on before it finished (the delivery was cancelled); \(how)") }
            return failed(true, "\(name) did not finish within \(seconds(timeout)); \(how)")
        }
        let parsed = parse(outcome.stdout)
        switch outcome.termination {
        case .signalled(let signal):
            return failed(true, "\(name) was killed by signal \(signal)\(signalName(signal))\(stderrTail(outcome.stderr))")
        case .unknown:
            if case .success(let result) = parsed { return result }
            return failed(true, "\(name) ended, but its exit status was lost and it printed no result")
        case .exited(0):
            switch parsed {
            case .success(let result): return result
            case .failure(let problem): return failed(false, "\(name) \(problem.text)\(stderrTail(outcome.stderr))")
            }
        case .exited(let code):
            if case .success(.failed(let failure)) = parsed {
                return failed(failure.retryable, "\(name) exited with status \(code): \(failure.reason)")
            }
            let permanent = ((64...78).contains(code) && code != 75) || code == 126 || code == 127
            return failed(!permanent, "\(name) exited with status \(code)\(exitName(code))\(stderrTail(outcome.stderr))")
        }
    }

    /// Why stdout is not a result.
    struct Problem: Error {
        /// What is wrong, as a phrase following the command's name.
        var text: String
    }

    /// Reads the one JSON result object on stdout.
    static func parse(_ stdout: Data) -> Result<DeliveryResult, Problem> {
        let text = String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = #"(expected one JSON object such as {"ok":true,"external_id":"42"})"#
        if text.isEmpty { return .failure(Problem(text: "printed no result on stdout \(expected)")) }
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            return .failure(Problem(text: "printed something that is not a JSON result: \(excerpt(text)) \(expected)"))
        }
        guard let ok = object["ok"] as? Bool else {
            return .failure(Problem(text: "printed a JSON object without a true/false 'ok': \(excerpt(text)) \(expected)"))
        }
        if ok {
            let answer = (object["answered"] as? Bool).map { $0 ? DeliveryAnswer.answered : .unanswered }
            return .success(.delivered(DeliveryReceipt(externalID: scalarText(object["external_id"]), answer: answer)))
        }
        let retryable = object["retryable"] as? Bool ?? false
        let reason = scalarText(object["reason"]) ?? "the command reported a failure without a reason"
        return .success(.failed(DeliveryFailure(retryable: retryable, reason: reason)))
    }

    private static func failed(_ retryable: Bool, _ reason: String) -> DeliveryResult {
        .failed(DeliveryFailure(retryable: retryable, reason: reason))
    }

    /// A string or number as text.
    private static func scalarText(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    /// At most 80 characters of the text, quoted, on one line.
    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
        return line.count > 80 ? "'\(line.prefix(80))…'" : "'\(line)'"
    }

    /// `: <last line of stderr>` (at most 200 characters), or nothing.
    private static func stderrTail(_ stderr: Data) -> String {
        let lines = String(decoding: stderr, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return "" }
        return " (stderr: \(last.count > 200 ? String(last.prefix(200)) + "…" : String(last)))"
    }

    /// `10s`, `1.5s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }

    private static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM"]
        return names[signal].map { " (\($0))" } ?? ""
    }

    private static func exitName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            64: "EX_USAGE", 65: "EX_DATAERR", 66: "EX_NOINPUT", 67: "EX_NOUSER", 68: "EX_NOHOST", 69: "EX_UNAVAILABLE",
            70: "EX_SOFTWARE", 71: "EX_OSERR", 72: "EX_OSFILE", 73: "EX_CANTCREAT", 74: "EX_IOERR", 75: "EX_TEMPFAIL",
            76: "EX_PROTOCOL", 77: "EX_NOPERM", 78: "EX_CONFIG", 126: "not executable", 127: "command not found",
        ]
        return names[code].map { " (\($0))" } ?? ""
    }
}
