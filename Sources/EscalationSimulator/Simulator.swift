import EscalationCore
import EscalationEngine
import EscalationGraph
import Foundation

/// Runs a scenario through the engine on a virtual clock: deterministic, nothing is sent.
public struct Simulator: Sendable {
    /// The compiled organisation.
    public let graph: RuleGraph

    /// The engine over the graph, built once (its lookups are indexed at creation), so many runs share it.
    let engine: Engine

    /// A simulator over a graph.
    public init(graph: RuleGraph) {
        self.init(graph: graph, rendersMessages: true)
    }

    /// A simulator whose timelines carry messages or not (Monte Carlo needs only who was paged, and when).
    init(graph: RuleGraph, rendersMessages: Bool) {
        self.graph = graph
        var engine = Engine(graph: graph)
        engine.rendersMessages = rendersMessages
        self.engine = engine
    }

    /// Why a scenario cannot run.
    public struct ScenarioError: Error, CustomStringConvertible, Sendable {
        /// What is wrong.
        public var description: String
    }

    /// Runs a scenario. Same scenario → the same timeline, byte for byte.
    /// At one instant, scripted actions happen before timers, in script order; failures and answers at once.
    public func run(_ scenario: Scenario, respond: (@Sendable (Effect.Notification, Instant) -> ScriptedAction?)? = nil) throws(ScenarioError)
        -> Timeline
    {
        try run(scenario, respond: respond, validate: true)
    }

    /// Runs a scenario; `validate` false skips checking its fields (a caller running one scenario many times, such as
    /// Monte Carlo, checks them on the first run only).
    func run(_ scenario: Scenario, respond: (@Sendable (Effect.Notification, Instant) -> ScriptedAction?)?, validate: Bool) throws(ScenarioError)
        -> Timeline
    {
        guard let policy = graph.policy(scenario.policy) else {
            let known = graph.policies.map(\.id)
            throw ScenarioError(description: "no policy '\(scenario.policy)'\(scenario.policy.didYouMean(known)); policies: \(known.joined(separator: ", "))")
        }
        let problems = validate ? engine.validate(policy: scenario.policy, fields: scenario.fields) : []
        if !problems.isEmpty {
            throw ScenarioError(description: "the incident cannot trigger policy '\(scenario.policy)': \(problems.joined(separator: "; "))")
        }
        let zone = ZonedTime.zone(graph.timezone) ?? ZonedTime.utc
        let end = scenario.start.adding(seconds: scenario.horizonSeconds)
        var recorder = TimelineRecorder(start: scenario.start)
        // Timers of every incident the rehearsal opened (a resolved one's stage expiry still runs), keyed by incident.
        var timers: [TimerKey: Instant] = [:]
        var timerOrder: [TimerKey: Int] = [:]
        var timerCounter = 0
        var immediate: [(incident: Int, event: EngineEvent, text: String, kind: Timeline.Entry.Kind)] = []
        var firstNotified: [String: Instant] = [:]
        let schedule = try scenario.schedule(zone: zone)
        var waiting = schedule.1
        // Kept sorted latest first, so the next action is the last element (one pass, not a scan per step).
        var scripted = schedule.0.sorted { ($0.at, $0.order) > ($1.at, $1.order) }
        func insert(_ entry: (at: Instant, order: Int, action: ScriptedAction)) {
            let index = scripted.firstIndex { ($0.at, $0.order) < (entry.at, entry.order) } ?? scripted.endIndex
            scripted.insert(entry, at: index)
        }
        // The state of each incident opened, first to last; events from the script and reports go to the last.
        var states: [IncidentState?] = []
        /// Applies an event to an incident's state where it is kept, handed to the engine so it changes it in place (no
        /// copy per step; an incident not opened yet starts from nil); the effects.
        func step(_ event: EngineEvent, incident: Int, at now: Instant) -> [Effect] {
            if incident > states.count { states.append(nil) }
            return engine.apply(event, to: &states[incident - 1], now: now)
        }
        func absorb(_ effects: [Effect], at now: Instant, incident: Int) {
            recorder.incident = incident > 1 ? incident : nil
            for effect in effects {
                recorder.add(effect, at: now)
                switch effect {
                case .scheduleTimer(let id, let at):
                    let key = TimerKey(incident: incident, id: id)
                    timers[key] = at
                    timerCounter += 1
                    timerOrder[key] = timerCounter
                case .cancelTimer(let id):
                    timers[TimerKey(incident: incident, id: id)] = nil
                case .notify(let notification):
                    if firstNotified[notification.contact] == nil {
                        firstNotified[notification.contact] = now
                        for (index, entry) in waiting.enumerated().reversed() where entry.action.actor == notification.contact {
                            insert((now.adding(seconds: entry.delay), entry.order, entry.action))
                            waiting.remove(at: index)
                        }
                        if let action = respond?(notification, now) {
                            if case .offset(let delay) = action.time {
                                insert((now.adding(seconds: delay), scenario.script.count + scripted.count, action))
                            }
                        }
                    }
                    if scenario.failures.contains(where: { $0.matches(notification) }) {
                        immediate.append(
                            (incident, .deliveryFailed(key: notification.notificationKey, channel: notification.channel),
                             "\(notification.channel) to \(notification.contact) failed", .failure))
                    } else if scenario.unanswered.contains(where: { $0.matches(notification) }) {
                        immediate.append(
                            (incident, .deliveryAnswered(key: notification.notificationKey, channel: notification.channel, answered: false),
                             "\(notification.channel) to \(notification.contact) not answered", .note))
                    } else if scenario.answered.contains(where: { $0.matches(notification) }) {
                        immediate.append(
                            (incident, .deliveryAnswered(key: notification.notificationKey, channel: notification.channel, answered: true),
                             "\(notification.channel) to \(notification.contact) answered", .note))
                    }
                default: break
                }
            }
        }
        // The same admission `serve` applies: a policy with a threshold opens at the event that reaches its count.
        let router = PolicyRouter(graph: graph)
        var counted: [Instant] = []
        // Every event after the trigger, with the fields it brings (a report's own over the incident's).
        var reports: [(at: Instant, fields: [String: String])] = scenario.reports.indices.map { index in
            let extra = index < scenario.reportFields.count ? scenario.reportFields[index] : [:]
            return (scenario.start.adding(seconds: scenario.reports[index]), scenario.fields.merging(extra) { _, new in new })
        }
        /// Counts an event towards the policy's threshold; opens an incident when it reaches it (the next one's id
        /// ends in `-2`, `-3`, … as `serve` opens a new incident for an event whose key has none open).
        func admit(at: Instant, fields: [String: String]) -> Bool {
            let admission = router.admit(policy: scenario.policy, fields: fields, earlier: counted, now: at)
            guard admission.opens else {
                recorder.note(.note, "event \(counted.count + 1) counted towards the threshold; \(admission)", at: at)
                counted.append(at)
                return false
            }
            counted = []
            let number = states.count + 1
            if number > 1 {
                recorder.incident = number
                recorder.note(.note, "the event opens incident \(number): the one before is resolved, so serve opens a new incident for its key", at: at)
            }
            let id = number == 1 ? scenario.incidentID : "\(scenario.incidentID)-\(number)"
            // The reply code `serve` would allocate: the smallest no open incident of the rehearsal uses.
            var coded = fields
            coded[IncidentState.replyCodeField] = ReplyRule.freeCode(among: states.compactMap { $0 }.filter(\.isOpen))
            let trigger = EngineEvent.trigger(id: id, policy: scenario.policy, title: scenario.title, fields: coded, dedupKey: nil)
            absorb(step(trigger, incident: number, at: at), at: at, incident: number)
            return true
        }
        var opensAt: Instant?
        if admit(at: scenario.start, fields: scenario.fields) { opensAt = scenario.start }
        while opensAt == nil, let report = reports.first, report.at <= end {
            reports.removeFirst()
            if admit(at: report.at, fields: report.fields) { opensAt = report.at }
        }
        guard let opensAt else {
            return Timeline(
                policy: policy.id, policyName: policy.name, organisation: graph.name, version: policy.version, timezone: graph.timezone,
                start: scenario.start, entries: recorder.entries, status: "waiting", ladderEnd: nil, acknowledgedAfter: nil, acknowledgedBy: nil)
        }
        var now = opensAt
        for _ in 0..<100_000 {
            if !immediate.isEmpty {
                let next = immediate.removeFirst()
                recorder.incident = next.incident > 1 ? next.incident : nil
                recorder.note(next.kind, next.text, at: now)
                absorb(step(next.event, incident: next.incident, at: now), at: now, incident: next.incident)
                continue
            }
            let current = states.count
            while let last = scripted.last, last.at < now { scripted.removeLast() }
            let nextScript = scripted.last
            let nextTimer = timers.min { ($0.value, timerOrder[$0.key] ?? 0) < ($1.value, timerOrder[$1.key] ?? 0) }
            let scriptAt = nextScript?.at
            let timerAt = nextTimer?.value
            guard let at = [scriptAt, timerAt, reports.first?.at].compactMap({ $0 }).min(), at <= end else { break }
            now = at
            if let report = reports.first, report.at == at {
                // A report arriving at the same instant as a scripted action or a timer comes first.
                reports.removeFirst()
                recorder.incident = current > 1 ? current : nil
                if states[current - 1]?.isOpen != true {
                    _ = admit(at: at, fields: report.fields)
                } else if policy.correlate == nil {
                    recorder.note(.note, "report deduplicated (dedup key): the policy does not correlate", at: at)
                } else {
                    recorder.note(.note, "report arrives", at: at)
                    absorb(step(.report(fields: report.fields), incident: current, at: at), at: at, incident: current)
                }
            } else if let nextScript, nextScript.at == at {
                scripted.removeLast()
                let action = nextScript.action
                recorder.incident = current > 1 ? current : nil
                if let event = action.event(at: at) {
                    recorder.script(action, at: at)
                    absorb(step(event, incident: current, at: at), at: at, incident: current)
                } else if case .reply(let who, let text, let channel) = action.kind {
                    switch replyEvent(from: who, text: text, channel: channel, states: states, at: at) {
                    case .failure(let refusal):
                        recorder.note(
                            .note, "\(Timeline.refusedPrefix)\(refusal.kind.rawValue) reply from \(who) via \(channel): \(refusal.message) (scripted: \(action.text))",
                            at: at)
                    case .success(let (incident, event, kind, note)):
                        recorder.incident = incident > 1 ? incident : nil
                        recorder.append(kind, at: at, who: who, detail: "\(note) (scripted: \(action.text))")
                        absorb(step(event, incident: incident, at: at), at: at, incident: incident)
                    }
                }
            } else if let nextTimer {
                timers[nextTimer.key] = nil
                let incident = nextTimer.key.incident
                absorb(step(.timerFired(id: nextTimer.key.id), incident: incident, at: at), at: at, incident: incident)
            }
        }
        let final = states.last ?? nil
        recorder.incident = states.count > 1 ? states.count : nil
        let ackEntry = recorder.entries.first { $0.kind == .acknowledge && $0.incident == recorder.incident }
        return Timeline(
            policy: policy.id, policyName: policy.name, organisation: graph.name, version: policy.version, timezone: graph.timezone,
            start: scenario.start, entries: recorder.entries, status: final?.status.rawValue ?? "refused",
            ladderEnd: final?.ladderEnd, acknowledgedAfter: final?.acknowledgedBy == nil ? nil : ackEntry?.offset,
            acknowledgedBy: final?.acknowledgedBy)
    }
}

extension Simulator {
    /// What a scripted reply does, by the rule `serve` applies to a reply on `POST /v1/inbound/{channel}`: the sender is
    /// found by the contact's address of the channel's kind, the code names an open incident of the rehearsal, the
    /// text is a command it may give. The incident's number (1 for the first), the event, the timeline entry's kind and
    /// its text (`acknowledged by alice via sms reply 1a`); or why nothing acts.
    func replyEvent(from who: String, text: String, channel: String, states: [IncidentState?], at: Instant)
        -> Result<(Int, EngineEvent, Timeline.Entry.Kind, String), ReplyRule.Refusal>
    {
        guard let config = graph.channel(channel), let address = graph.contacts.first(where: { $0.id == who })?.addresses[config.addressKind],
            let contact = ReplyRule.sender(address, kind: config.addressKind, in: graph)
        else { return .failure(ReplyRule.unknownSender) }
        let command: ReplyCommand
        switch ReplyRule.command(text, in: graph) {
        case .success(let parsed): command = parsed
        case .failure(let refusal): return .failure(refusal)
        }
        guard let code = command.code else { return .failure(ReplyRule.noCode) }
        guard let index = states.lastIndex(where: { $0?.isOpen == true && $0?.replyCode == code }), let state = states[index] else {
            return .failure(ReplyRule.unknownCode(code))
        }
        let decision: ReplyRule.Decision
        switch ReplyRule.decide(command, by: contact, state: state, graph: graph, now: at) {
        case .success(let decided): decision = decided
        case .failure(let refusal): return .failure(refusal)
        }
        if let after = engine.handle(decision.event, state: state, now: at).state,
            let refusal = ReplyRule.ignored(command, decision: decision, before: state, after: after)
        {
            return .failure(refusal)
        }
        let kind: Timeline.Entry.Kind =
            switch decision.event {
            case .acknowledge: .acknowledge
            case .resolve: .resolve
            case .escalateNow: .escalate
            case .snooze: .snooze
            case .signal: .signal
            default: .note
            }
        return .success((index + 1, decision.event, kind, ReplyRule.note(decision, by: contact, via: "\(channel) reply", text: text, referenced: false)))
    }
}

/// A timer of one incident of a rehearsal.
struct TimerKey: Hashable {
    /// The incident's number (1 for the first).
    var incident: Int
    /// The engine's timer id.
    var id: String
}

/// Turns engine effects into timeline entries.
struct TimelineRecorder {
    let start: Instant
    var entries: [Timeline.Entry] = []
    /// The incident entries belong to: nil for the first, 2, 3, … for the later ones.
    var incident: Int?

    mutating func append(_ kind: Timeline.Entry.Kind, at: Instant, origin: String? = nil, who: String? = nil, channel: String? = nil,
        template: String? = nil, subject: String? = nil, detail: String, body: String? = nil, cc: [String]? = nil)
    {
        entries.append(
            Timeline.Entry(
                offset: at.seconds(since: start), at: at, kind: kind, origin: origin, who: who, channel: channel, template: template,
                subject: subject, detail: detail, body: body, cc: cc, incident: incident))
    }

    mutating func note(_ kind: Timeline.Entry.Kind, _ detail: String, at: Instant) { append(kind, at: at, detail: detail) }

    mutating func script(_ action: ScriptedAction, at: Instant) {
        let kind: Timeline.Entry.Kind
        switch action.kind {
        case .acknowledge: kind = .acknowledge
        case .resolve: kind = .resolve
        case .signal: kind = .signal
        case .escalate: kind = .escalate
        case .update: kind = .update
        case .snooze: kind = .snooze
        case .reply: kind = .note
        }
        append(kind, at: at, who: action.actor, detail: "scripted: \(action.text)")
    }

    static func headline(_ message: RenderedMessage) -> String {
        message.subject ?? String(firstLine(message.body))
    }

    /// The body's first non-empty line, as `split(separator: "\n").first` gives it, found by scanning bytes (not
    /// characters, nor the whole body). A line feed ends the line unless it follows a carriage return: "\r\n" is one
    /// character, not a "\n", to `split` too.
    static func firstLine(_ body: String) -> Substring {
        let bytes = body.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == UInt8(ascii: "\n") { start = bytes.index(after: start) }
        var end = start
        var previous: UInt8 = 0
        while end < bytes.endIndex {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { break }
            previous = byte
            end = bytes.index(after: end)
        }
        return body[start..<end]
    }

    mutating func add(_ effect: Effect, at: Instant) {
        switch effect {
        case .notify(let n):
            append(.notify, at: at, origin: n.origin, who: n.contact, channel: n.channel, template: n.message.template,
                subject: Self.headline(n.message), detail: n.reason + (n.cc.isEmpty ? "" : "; cc \(n.cc.joined(separator: ", "))"),
                body: n.message.body, cc: n.cc.isEmpty ? nil : n.cc)
        case .post(let p):
            append(.post, at: at, origin: p.origin, channel: p.channel, template: p.message.template, subject: Self.headline(p.message), detail: "post",
                body: p.message.body)
        case .createTask(let t):
            append(.task, at: at, origin: t.origin, who: t.assignees.joined(separator: ", "), subject: t.title, detail: "task")
        case .applyAction(let id, let channel, let message):
            append(.action, at: at, channel: channel, template: message.template, subject: Self.headline(message),
                detail: "action '\(id)' applied", body: message.body)
        case .undoAction(let id, let channel):
            append(.undo, at: at, channel: channel, detail: "action '\(id)' undone")
        case .postStage(let stage, let channel, let message, _):
            append(.stage, at: at, channel: channel, template: message.template, subject: Self.headline(message),
                detail: "stage '\(stage)'", body: message.body)
        case .expireStage(let stage, let channel):
            append(.expire, at: at, channel: channel, detail: "stage '\(stage)' message expired")
        case .record(let text):
            if text.hasPrefix("triggered") {
                append(.trigger, at: at, detail: text)
            } else if !text.hasPrefix("acknowledged by"), !text.hasPrefix("resolved by"), !text.hasPrefix("signal '"),
                !text.hasPrefix("stage '"), !text.hasPrefix("delivery to")
            {
                append(.note, at: at, detail: text)
            }
        case .scheduleTimer, .cancelTimer:
            break
        }
    }
}
