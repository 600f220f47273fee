import EscalationCore
import Foundation

/// Reads responder lines (`jessie acks at +20m`) and failure lines (`sms to pat`).
public enum ScriptParser {
    /// Why a line could not be read.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// What is wrong and how to write it.
        public var description: String
    }

    static let grammar = """
        write one of: "WHO acks at TIME", "WHO resolves [scope S] [outcome O] at TIME", "signal NAME at TIME", \
        "escalate at TIME", "update KEY=VALUE at TIME", "WHO snoozes for 30m at TIME", \
        "WHO replies \"1a\" via CHANNEL at TIME"; TIME is +20m, \
        2026-11-22T10:00, FIELD + 10m, or "5m after notified"
        """

    /// Parses one responder line.
    public static func action(_ line: String, zone: TimeZone) throws(ParseError) -> ScriptedAction {
        let text = line.trimmingCharacters(in: .whitespaces)
        let timeText: String
        let head: String
        if let range = text.range(of: " at ", options: .backwards) {
            head = String(text[..<range.lowerBound])
            timeText = String(text[range.upperBound...])
        } else if text.hasSuffix(" after notified"), let range = text.range(of: " ", options: [], range: nil) {
            // "jessie acks 5m after notified"
            let words = text.split(separator: " ").map(String.init)
            guard words.count >= 5 else { throw ParseError(description: "cannot read '\(line)': \(grammar)") }
            head = words.dropLast(3).joined(separator: " ")
            timeText = words.suffix(3).joined(separator: " ")
            _ = range
        } else {
            throw ParseError(description: "cannot read '\(line)': no ' at TIME' part; \(grammar)")
        }
        let time = try self.time(timeText, zone: zone, line: line)
        if let reply = try reply(head, line: line) { return ScriptedAction(kind: reply, time: time, text: text) }
        let words = head.split(separator: " ").map(String.init)
        if words == ["escalate"] { return ScriptedAction(kind: .escalate, time: time, text: text) }
        if words.first == "trigger" || (words.count == 2 && words[1] == "triggers") {
            throw ParseError(
                description: "cannot read '\(line)': a rehearsal runs one incident, so a second trigger cannot be scripted; "
                    + "write it as another case (further events towards a threshold go in 'reports')")
        }
        guard words.count >= 2 else { throw ParseError(description: "cannot read '\(line)': \(grammar)") }
        switch (words[0], words[1]) {
        case ("signal", let name):
            var data: [String: String] = [:]
            for pair in words.dropFirst(2) {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ParseError(description: "cannot read '\(pair)' in '\(line)': signal data is KEY=VALUE") }
                data[parts[0]] = parts[1]
            }
            return ScriptedAction(kind: .signal(name, data: data), time: time, text: text)
        case ("update", _):
            var values: [String: String] = [:]
            for pair in words.dropFirst() {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ParseError(description: "cannot read '\(pair)' in '\(line)': write KEY=VALUE") }
                values[parts[0]] = parts[1]
            }
            return ScriptedAction(kind: .update(values), time: time, text: text)
        default: break
        }
        let who = words[0]
        switch words[1] {
        case "acks", "ack", "acknowledges":
            return ScriptedAction(kind: .acknowledge(by: who), time: time, text: text)
        case "resolves", "resolve":
            var scope: String?
            var outcome: String?
            var index = 2
            while index + 1 < words.count {
                switch words[index] {
                case "scope": scope = words[index + 1]
                case "outcome", "with": outcome = words[index + 1] == "outcome" && index + 2 < words.count ? words[index + 2] : words[index + 1]
                default: throw ParseError(description: "cannot read '\(words[index])' in '\(line)': \(grammar)")
                }
                index += words[index] == "with" ? 3 : 2
            }
            return ScriptedAction(kind: .resolve(by: who, scope: scope, outcome: outcome), time: time, text: text)
        case "snoozes":
            guard words.count == 4, words[2] == "for", case .success(let duration) = PolicyDuration.parse(words[3]) else {
                throw ParseError(description: "cannot read '\(line)': write 'WHO snoozes for 30m at TIME'")
            }
            return ScriptedAction(kind: .snooze(by: who, seconds: duration.seconds), time: time, text: text)
        default:
            throw ParseError(description: "cannot read '\(line)': unknown action '\(words[1])'; \(grammar)")
        }
    }

    /// Reads `WHO replies "TEXT" via CHANNEL` (the text quoted, or one word); nil when the line is another action.
    static func reply(_ head: String, line: String) throws(ParseError) -> ScriptedAction.Kind? {
        let words = head.split(separator: " ", maxSplits: 2).map(String.init)
        guard words.count >= 2, words[1] == "replies" || words[1] == "reply" else { return nil }
        let shape = "write 'WHO replies \"1a\" via CHANNEL at TIME' (the reply as the responder would type it, e.g. \"1a\", \"1r fixed\", \"1s 30\")"
        guard words.count == 3, let via = words[2].range(of: " via ", options: .backwards) else {
            throw ParseError(description: "cannot read '\(line)': \(shape)")
        }
        let channel = words[2][via.upperBound...].trimmingCharacters(in: .whitespaces)
        var said = words[2][..<via.lowerBound].trimmingCharacters(in: .whitespaces)
        for (open, close) in [("\"", "\""), ("'", "'"), ("“", "”")] where said.count >= 2 && said.hasPrefix(open) && said.hasSuffix(close) {
            said = String(said.dropFirst().dropLast())
            break
        }
        guard !channel.isEmpty, !channel.contains(" "), !said.isEmpty else { throw ParseError(description: "cannot read '\(line)': \(shape)") }
        return .reply(by: words[0], text: said.replacingOccurrences(of: "\\n", with: "\n"), channel: channel)
    }

    /// Parses a time: `+20m`, an instant, `FIELD + 10m`, `5m after notified`.
    public static func time(_ text: String, zone: TimeZone, line: String) throws(ParseError) -> ScriptTime {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("+") {
            guard case .success(let duration) = PolicyDuration.parse(String(trimmed.dropFirst())), !duration.isBusiness else {
                throw ParseError(description: "cannot read the time '\(trimmed)' in '\(line)': write an offset like +20m")
            }
            return .offset(duration.seconds)
        }
        if trimmed.hasSuffix(" after notified") {
            let amount = String(trimmed.dropLast(" after notified".count))
            guard case .success(let duration) = PolicyDuration.parse(amount) else {
                throw ParseError(description: "cannot read the time '\(trimmed)' in '\(line)': write e.g. '5m after notified'")
            }
            return .afterNotified(duration.seconds)
        }
        if let instant = Instant.parse(trimmed, zone: zone) { return .instant(instant) }
        let parts = trimmed.split(separator: " ").map(String.init)
        if let field = parts.first, field.contains(".") || field.contains("_") || parts.count == 3 {
            if parts.count == 1 { return .field(field, 0) }
            if parts.count == 3, parts[1] == "+" || parts[1] == "-", case .success(let duration) = PolicyDuration.parse(parts[2]) {
                return .field(field, parts[1] == "-" ? -duration.seconds : duration.seconds)
            }
        }
        throw ParseError(description: "cannot read the time '\(trimmed)' in '\(line)': \(grammar)")
    }

    /// Parses a failure line: `sms to pat` or `sms`.
    public static func failure(_ line: String) throws(ParseError) -> FailureRule {
        try delivery(line, what: "failure")
    }

    /// Parses an `answered` or `unanswered` line: `phone to pat` or `phone` (`what` names it in the error).
    public static func delivery(_ line: String, what: String) throws(ParseError) -> FailureRule {
        let words = line.split(separator: " ").map(String.init)
        switch words.count {
        case 1: return FailureRule(channel: words[0], contact: nil)
        case 3 where words[1] == "to": return FailureRule(channel: words[0], contact: words[2])
        default: throw ParseError(description: "cannot read the \(what) '\(line)': write 'CHANNEL' or 'CHANNEL to CONTACT' (e.g. 'sms to pat')")
        }
    }
}
