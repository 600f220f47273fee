import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationStore

extension Executor {
    /// A delivery a commit claims for itself: written `sending` in the transition's own transaction and started as
    /// soon as that transaction is on disk (no separate claim transaction, no trip through the served loop).
    struct ImmediateSend: Sendable {
        /// The item as committed (`sending`, no attempt yet).
        var item: OutboxItem
        /// The effect to send (placeholders; links are made when it starts).
        var effect: Effect
        /// The channel's plugin instance.
        var plugin: any NotificationChannel
        /// The contact the rate limiter counted it for (to give the slot back if the commit fails).
        var contact: String?
    }

    /// Marks `sending` the deliveries of a change that the served loop would claim and start at once, reserving
    /// their slots, so that they are claimed in the transition's own transaction. Only what is certain to be started
    /// right after the commit is claimed: the served loop runs (it is not shutting down), the store is this
    /// process's own (a shared store claims with leases), the item is a notification or a post (their keys are new to
    /// this transition, so the insert cannot be ignored as a duplicate), its channel's plugin is set up, and the
    /// channel, the loop's slots and the contact's rate limit have room, as `dispatchDue` checks. Everything else
    /// stays `pending` for the loop, as before. A crash after the commit leaves a claimed item `sending`, exactly
    /// like a crash after the loop's own claim, and `recover()` handles it the same way.
    func claimImmediate(_ change: inout StoreChange, effects: [Effect], now: Instant) -> [ImmediateSend] {
        guard running, shared == nil, !change.outbox.isEmpty else { return [] }
        var effectByKey: [String: Effect] = [:]
        var repeated: Set<String> = []
        for effect in effects {
            switch effect {
            case .notify, .post: break
            default: continue
            }
            guard let key = Committer.delivery(of: effect, incident: change.incident)?.key else { continue }
            if effectByKey.updateValue(effect, forKey: key) != nil { repeated.insert(key) }
        }
        let perChannel = max(1, options.maxInFlightPerChannel)
        var claimed: [ImmediateSend] = []
        var seen: Set<String> = []
        for index in change.outbox.indices {
            let item = change.outbox[index]
            guard seen.insert(item.idempotencyKey).inserted, !repeated.contains(item.idempotencyKey) else { continue }
            guard inFlight < options.maxInFlight else { break }
            guard let effect = effectByKey[item.idempotencyKey], item.nextAttempt <= now else { continue }
            let channel = DeliveryChannel(item)
            guard health.paced(inFlightByChannel, perChannel: perChannel)[channel, default: 0] < perChannel,
                let plugin = try? self.channel(organisation: item.organisation, id: item.channel)
            else { continue }
            var contact: String?
            if case .notify(let notification) = effect {
                guard limiter.allow(contact: notification.contact, now: now) else { continue }
                contact = notification.contact
            }
            change.outbox[index].status = .sending
            inFlight += 1
            inFlightByChannel[channel, default: 0] += 1
            claimed.append(ImmediateSend(item: change.outbox[index], effect: effect, plugin: plugin, contact: contact))
        }
        return claimed
    }

    /// Gives back the slots (and rate-limit counts) of claims whose commit failed: nothing was written, nothing is sent.
    func releaseImmediate(_ claimed: [ImmediateSend], now: Instant) {
        for send in claimed {
            inFlight -= 1
            let channel = DeliveryChannel(send.item)
            let left = inFlightByChannel[channel, default: 1] - 1
            inFlightByChannel[channel] = left > 0 ? left : nil
            if let contact = send.contact { limiter.refund(contact: contact, now: now) }
        }
    }

    /// Starts the deliveries a commit claimed (now on disk as `sending`), as the served loop starts what it claims.
    func startImmediate(_ claimed: [ImmediateSend], due: Double) {
        guard !claimed.isEmpty else { return }
        let now = clock.now()
        let lag = max(0, clock.preciseNow() - due)
        for send in claimed {
            metrics.observeLag(lag)
            start(send.item, effect: Self.withLinks(send.effect, now: now, options: options), plugin: send.plugin, receipt: nil)
        }
    }

    /// Starts one claimed delivery (slots already counted) in a task of its own that records its result when it ends.
    func start(_ item: OutboxItem, effect: Effect, plugin: (any NotificationChannel)?, setupError: String? = nil, receipt: DeliveryReceipt?) {
        let deliver = delivery(item, effect: effect, plugin: plugin, setupError: setupError, receipt: receipt)
        inFlightTasks[item.idempotencyKey] = Task {
            let result = await deliver()
            await self.finish(result, for: item)
        }
    }

    /// The attempt of one delivery: its plugin call under the channel's timeout (a timeout is a retryable failure).
    func delivery(
        _ item: OutboxItem, effect: Effect, plugin: (any NotificationChannel)?, setupError: String?, receipt: DeliveryReceipt?
    ) -> @Sendable () async -> DeliveryResult {
        let timeout = deliveryTimeout(organisation: item.organisation, channel: item.channel, plugin: plugin)
        let clock = clock
        return {
            guard let plugin else { return .failed(DeliveryFailure(retryable: false, reason: setupError ?? "no plugin")) }
            let result = await Self.withTimeout(timeout, clock: clock) {
                await Self.perform(effect, item: item, plugin: plugin, receipt: receipt)
            }
            return result
                ?? .failed(
                    DeliveryFailure(
                        retryable: true, reason: "the \(item.channel) channel took longer than \(Self.describe(seconds: timeout)); abandoned, will retry"))
        }
    }
}
