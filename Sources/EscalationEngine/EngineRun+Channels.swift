import EscalationCore
import EscalationGraph

/// What a delivery's report does to its notification: a failure, or an answer (or none) from a plugin that can tell.
extension EngineRun {
    /// A delivery failed. Only a channel of the item used last counts (a late report about an earlier item is ignored,
    /// so it cannot skip a delay). The next item goes at once when every channel of the item has failed, or, when the
    /// next item waits on `unanswered`, when each has failed or gone unanswered.
    func deliveryFailed(key: String, channel: String) {
        guard var pending = current(key: key, channel: channel, report: "delivery failure") else { return }
        guard !(pending.failed ?? []).contains(channel) else {
            return record("delivery failure on \(channel) for \(key) ignored: already reported")
        }
        pending.failed = (pending.failed ?? []) + [channel]
        update(pending)
        record("delivery to \(pending.contact) on \(channel) failed")
        guard isOpen else { return }
        let use = pending.channels[pending.index]
        if use.channels.allSatisfy({ (pending.failed ?? []).contains($0) }) {
            nextChannel(key: key, reason: use.isGroup ? "fallback after every channel of \(use.written) failed" : "fallback after failed \(channel)")
        } else if nextWaitsOnAnswer(pending), settledUnanswered(pending) {
            nextChannel(key: key, reason: "fallback: \(use.written) failed or not answered")
        }
    }

    /// A plugin said whether a delivery was answered. Answered: an `unanswered` (or failure-only) item after it is not
    /// needed, and the notification ends there. Not answered: when the next item waits on `unanswered` and no channel of
    /// this item is still out or answered, the next item goes at once.
    func deliveryAnswered(key: String, channel: String, answered: Bool) {
        let report = answered ? "answer" : "no-answer report"
        guard var pending = current(key: key, channel: channel, report: report) else { return }
        let use = pending.channels[pending.index]
        if answered {
            pending.answered = true
            update(pending)
            record("delivery to \(pending.contact) on \(channel) answered")
            let nextIndex = pending.index + 1
            // An item with `after` follows whatever happened; anything else after an answered item is never used.
            guard nextIndex >= pending.channels.count || pending.channels[nextIndex].unansweredSeconds != nil || pending.channels[nextIndex].afterSeconds == 0
            else { return }
            cancelTimers { if case .fallback(let timerKey) = $0 { return timerKey == key }; return false }
            state.pending.removeAll { $0.key == key }
            if nextIndex < pending.channels.count {
                record("\(pending.channels[nextIndex].written) not needed for \(pending.contact): \(channel) was answered")
            }
            return
        }
        guard !(pending.unanswered ?? []).contains(channel) else { return record("no-answer report on \(channel) for \(key) ignored: already reported") }
        pending.unanswered = (pending.unanswered ?? []) + [channel]
        update(pending)
        record("delivery to \(pending.contact) on \(channel) not answered")
        guard isOpen, nextWaitsOnAnswer(pending), settledUnanswered(pending) else { return }
        nextChannel(key: key, reason: use.isGroup ? "fallback: nobody answered on \(use.written)" : "fallback: \(channel) not answered")
    }

    /// Why a notification's fallback timer moves it on: no answer within the wait, or the next item's delay.
    func fallbackReason(key: String) -> String {
        // The notification's channels and position read where they are kept (a copy of it cost a copy and a destroy).
        guard let index = state.pending.firstIndex(where: { $0.key == key }) else { return "no acknowledgement yet" }
        let channels = state.pending[index].channels
        let used = state.pending[index].index
        guard channels.indices.contains(used), channels.indices.contains(used + 1), let wait = channels[used + 1].unansweredSeconds
        else { return "no acknowledgement yet" }
        return KeyText.joined(channels[used].written, " not answered within ", PolicyDuration.compact(wait) ?? "0s")
    }

    /// The pending notification a report is about, when the channel belongs to the item used last (else a `record`).
    private func current(key: String, channel: String, report: String) -> PendingNotification? {
        guard let pending = state.pending.first(where: { $0.key == key }) else {
            record("\(report) on \(channel) for \(key) ignored: nothing pending")
            return nil
        }
        let use = pending.channels.indices.contains(pending.index) ? pending.channels[pending.index] : nil
        guard let use, use.channels.contains(channel) else {
            record("\(report) on \(channel) for \(key) ignored: the current channel is \(use?.written ?? "none yet")")
            return nil
        }
        return pending
    }

    private func update(_ pending: PendingNotification) {
        guard let index = state.pending.firstIndex(where: { $0.key == pending.key }) else { return }
        state.pending[index] = pending
    }

    /// Whether the item after the one used last is used when that one goes unanswered.
    private func nextWaitsOnAnswer(_ pending: PendingNotification) -> Bool {
        let next = pending.index + 1
        return pending.channels.indices.contains(next) && pending.channels[next].unansweredSeconds != nil
    }

    /// Whether every channel of the item used last has failed or gone unanswered, and none was answered.
    private func settledUnanswered(_ pending: PendingNotification) -> Bool {
        guard pending.answered != true, pending.channels.indices.contains(pending.index) else { return false }
        let settled = (pending.failed ?? []) + (pending.unanswered ?? [])
        return pending.channels[pending.index].channels.allSatisfy(settled.contains)
    }
}
