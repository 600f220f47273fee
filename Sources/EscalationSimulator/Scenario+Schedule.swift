import EscalationCore
import EscalationEngine
import Foundation

extension Scenario {
    /// A scripted action placed at an instant; `order` is its position in the script (earlier wins at one instant).
    public typealias TimedAction = (at: Instant, order: Int, action: ScriptedAction)
    /// A scripted action that waits `delay` seconds after its actor's first notification.
    public typealias WaitingAction = (order: Int, action: ScriptedAction, delay: Int)

    /// Places each scripted action at its instant (offsets from the start, instants, times relative to an incident
    /// field in `zone`); `after notified` actions come back separately, as they wait for a notification.
    public func schedule(zone: TimeZone) throws(Simulator.ScenarioError) -> (timed: [TimedAction], waiting: [WaitingAction]) {
        var timed: [TimedAction] = []
        var waiting: [WaitingAction] = []
        for (order, action) in script.enumerated() {
            switch action.time {
            case .offset(let seconds): timed.append((start.adding(seconds: seconds), order, action))
            case .instant(let instant): timed.append((instant, order, action))
            case .field(let name, let offset):
                guard let value = fields[name], let base = Instant.parse(value, zone: zone) else {
                    throw Simulator.ScenarioError(description: "'\(action.text)': the incident has no time field '\(name)'")
                }
                timed.append((base.adding(seconds: offset), order, action))
            case .afterNotified(let delay): waiting.append((order, action, delay))
            }
        }
        return (timed, waiting)
    }
}

extension ScriptedAction {
    /// The engine event this action is when it happens at `instant`; nil for a reply, which `ReplyRule` reads
    /// against the incident it names.
    public func event(at instant: Instant) -> EngineEvent? {
        switch kind {
        case .acknowledge(let by): .acknowledge(by: by)
        case .resolve(let by, let scope, let outcome): .resolve(by: by, scope: scope, outcome: outcome)
        case .signal(let name, let data): .signal(name: name, data: data)
        case .escalate: .escalateNow
        case .update(let values): .updateFields(values)
        case .snooze(_, let seconds): .snooze(until: instant.adding(seconds: seconds))
        case .reply: nil
        }
    }

    /// The contact whose first notification an `after notified` time waits for.
    public var actor: String? {
        switch kind {
        case .acknowledge(let by), .resolve(let by, _, _), .snooze(let by, _), .reply(let by, _, _): by
        default: nil
        }
    }
}
