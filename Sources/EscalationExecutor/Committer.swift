import EscalationCore
import EscalationEngine
import EscalationStore
import Foundation

/// Turns one engine transition into the store change that records it: the event and its effects' log lines, timers
/// armed and cancelled, outbox items with their idempotency keys and send deadline, and tasks. Pure (no store, no
/// clock), so a step and its messages commit atomically and the translation is unit-tested on its own.
public struct Committer: Sendable {
    /// Seconds after which a queued delivery is given up (and an interrupted one never resent).
    public var sendDeadlineSeconds: Int

    /// A committer with a send deadline.
    public init(sendDeadlineSeconds: Int) { self.sendDeadlineSeconds = sendDeadlineSeconds }

    /// Why a transition cannot be recorded: an effect or event did not encode. Nothing is committed then.
    public struct EncodingFailure: Error, CustomStringConvertible, Sendable {
        /// What did not encode.
        public var description: String
    }

    /// The change for `effects` of `event` on `incident` (the state after the transition) at `now`.
    public func change(
        incident: StoredIncident, event: EngineEvent, effects: [Effect], now: Instant, firedTimer: StoredTimer? = nil,
        notes: [EventLogEntry] = []
    ) throws(EncodingFailure) -> StoreChange {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable, _ what: String) throws(EncodingFailure) -> String {
            do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
                throw EncodingFailure(description: "the \(what) of incident \(incident.id) cannot be encoded: \(error)")
            }
        }
        // A trigger and a notification are written by hand (the hot path), byte for byte as the encoder writes them.
        func eventJSON(_ event: EngineEvent) throws(EncodingFailure) -> String {
            if let written = Self.handWritten(event) { return written }
            return try json(event, "event")
        }
        func effectJSON(_ effect: Effect) throws(EncodingFailure) -> String {
            if let written = Self.handWritten(effect) { return written }
            return try json(effect, "effect")
        }
        var log = [EventLogEntry(incident: incident.id, at: now, kind: "event", text: Self.describe(event), payload: try eventJSON(event))] + notes
        var add: [StoredTimer] = []
        var remove: [String] = firedTimer.map { [$0.id] } ?? []
        var outbox: [OutboxItem] = []
        var tasks: [StoredTask] = []
        let deadline = now.adding(seconds: sendDeadlineSeconds)
        func queue(_ effect: Effect, key: String, channel: String) throws(EncodingFailure) {
            outbox.append(
                OutboxItem(
                    idempotencyKey: key, incident: incident.id, organisation: incident.organisation, effect: try effectJSON(effect),
                    channel: channel, nextAttempt: now, deadline: deadline, createdAt: now))
        }
        for effect in effects {
            if let delivery = Self.delivery(of: effect, incident: incident) {
                try queue(effect, key: delivery.key, channel: delivery.channel)
                continue
            }
            switch effect {
            case .scheduleTimer(let id, let at): add.append(StoredTimer(id: id, incident: incident.id, at: at))
            case .cancelTimer(let id):
                remove.append(id)
                add.removeAll { $0.id == id }
            case .notify, .post, .postStage, .applyAction, .undoAction, .expireStage: break
            case .createTask(let task):
                tasks.append(
                    StoredTask(
                        incident: incident.id, title: task.title, assignees: task.assignees, description: task.description, origin: task.origin,
                        createdAt: now))
                let who = task.assignees.isEmpty ? "anyone" : task.assignees.joined(separator: ", ")
                log.append(EventLogEntry(incident: incident.id, at: now, kind: "task", text: "task '\(task.title)' for \(who) (\(task.origin))"))
            case .record(let text): log.append(EventLogEntry(incident: incident.id, at: now, kind: "effect", text: text))
            }
        }
        var change = StoreChange(incident: incident, log: log, addTimers: add, removeTimers: remove, outbox: outbox)
        change.tasks = tasks
        return change
    }

    /// The outbox item an effect queues on `incident` (the state after the transition): its idempotency key and
    /// channel; nil for an effect that is not a delivery (timers, tasks, log lines).
    public static func delivery(of effect: Effect, incident: StoredIncident) -> (key: String, channel: String)? {
        let sequence = incident.state.sequence
        switch effect {
        case .notify(let notification): return (notification.idempotencyKey, notification.channel)
        case .post(let post): return (post.idempotencyKey, post.channel)
        case .postStage(let stage, let channel, _, _): return ("\(incident.id)/stage/\(stage)/\(sequence)", channel)
        case .applyAction(let id, let channel, _): return ("\(incident.id)/action/\(id)", channel)
        case .undoAction(let id, let channel): return ("\(incident.id)/undo/\(id)", channel)
        case .expireStage(let stage, let channel): return ("\(incident.id)/expire/\(stage)/\(sequence)", channel)
        case .scheduleTimer, .cancelTimer, .createTask, .record: return nil
        }
    }

    /// An event in words for the incident's log.
    public static func describe(_ event: EngineEvent) -> String {
        switch event {
        case .trigger(_, let policy, let title, _, let dedupKey):
            return "triggered '\(title)' (policy \(policy)\(dedupKey.map { ", dedup key \($0)" } ?? ""))"
        case .acknowledge(let by): return "acknowledged by \(by)"
        case .resolve(let by, let scope, let outcome):
            return "resolved by \(by)\(scope.map { " (scope \($0))" } ?? "")\(outcome.map { " (outcome \($0))" } ?? "")"
        case .signal(let name, _): return "signal \(name)"
        case .report(let fields): return "report with \(fields.keys.sorted().joined(separator: ", "))"
        case .updateFields(let fields): return "fields updated: \(fields.keys.sorted().joined(separator: ", "))"
        case .snooze(let until): return "snoozed until \(until)"
        case .escalateNow: return "escalated by hand"
        case .timerFired(let id): return "timer \(id) fired"
        case .deliveryFailed(let key, let channel): return "delivery \(key) on \(channel) failed"
        case .deliveryAnswered(let key, let channel, let answered): return "delivery \(key) on \(channel) \(answered ? "answered" : "not answered")"
        }
    }
}
