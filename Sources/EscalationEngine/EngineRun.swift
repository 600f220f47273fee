import EscalationCore
import EscalationGraph
import Foundation

/// One engine step in progress: the state being changed and the effects collected.
final class EngineRun {
    let engine: Engine
    /// The policy, with its nodes, edges and fields by id.
    let nodes: PolicyIndex
    var state: IncidentState
    let now: Instant
    var effects: [Effect] = []

    init(engine: Engine, policy: PolicyIndex, state: consuming IncidentState, now: Instant) {
        self.engine = engine
        self.nodes = policy
        self.state = state
        self.now = now
        // Most steps make a handful of effects: one allocation instead of growing 1, 2, 4, 8.
        effects.reserveCapacity(8)
    }

    var graph: RuleGraph { engine.graph }
    /// The policy the incident follows.
    var policy: CompiledPolicy { nodes.policy }

    /// The state, handed over without a copy: the run keeps an empty one (it is not used after this).
    /// (The empty state is built here: copying a stored empty one retained each of its parts, about 530 instructions.)
    func takeState() -> IncidentState {
        var taken = IncidentState(id: "", policy: "", version: "", title: "", triggeredAt: Instant(seconds: 0))
        swap(&taken, &state)
        return taken
    }

    /// The next id of the incident's sequence: `ID/` + `prefix` (one ASCII letter: `t`, `n`, `s`, `p`) + the number,
    /// written on its bytes (`KeyText`).
    func nextID(_ prefix: Unicode.Scalar) -> String { Self.nextID(&state, prefix: UInt8(ascii: prefix)) }

    /// `nextID` on a state passed in place: one exclusivity check of the run's state for the whole call, where
    /// counting, reading the id and reading the number through the run were one each (about 80 instructions apiece).
    static func nextID(_ state: inout IncidentState, prefix: UInt8) -> String {
        state.sequence += 1
        return KeyText.key(state.id, prefix: prefix, number: state.sequence)
    }

    func record(_ line: String) { effects.append(.record(line)) }

    /// The incident's value for the field in `slot` (nil: it has none). The fields are read by slot once and kept
    /// beside the state (`IncidentState.slots`) until they change, so later steps read them by position.
    func field(slot: Int) -> String? { slotRead().values[slot] }

    /// The incident's fields read by slot for this run's policy: the kept ones, else read now and kept. A render asks
    /// once and reads each placeholder from the answer (asking per placeholder cost an exclusivity check on the run's
    /// state, a retain and a release each time).
    func slotRead() -> FieldSlots.Read {
        if let read = state.slots.read, read.owner === nodes { return read }
        let slots = FieldSlots(owner: nodes, values: nodes.slotValues(state.fields))
        state.slots = slots
        return slots.read ?? FieldSlots.Read(owner: nodes, values: [])
    }

    /// Whether the incident is still open (`IncidentState.isOpen`, read from the status alone: through the run's
    /// stored state the getter copied the whole state, about 950 instructions, on every call).
    var isOpen: Bool { state.status.isOpen }

    // MARK: - Timers

    func schedule(_ purpose: PendingTimer.Purpose, at instant: Instant) {
        let id = Self.addTimer(&state, purpose: purpose, at: instant)
        effects.append(.scheduleTimer(id: id, at: instant))
    }

    /// Numbers a timer and adds it to `state` (passed in place: one exclusivity check of the run's state, where the
    /// id and the append were three); returns its id.
    private static func addTimer(_ state: inout IncidentState, purpose: PendingTimer.Purpose, at instant: Instant) -> String {
        let id = nextID(&state, prefix: UInt8(ascii: "t"))
        // An empty list gets room for four at once (it was reallocated at most appends as it grew from nothing).
        if state.timers.capacity == 0 { state.timers.reserveCapacity(4) }
        state.timers.append(PendingTimer(id: id, at: instant, purpose: purpose))
        return id
    }

    func cancelTimers(where predicate: (PendingTimer.Purpose) -> Bool) {
        for timer in state.timers where predicate(timer.purpose) {
            effects.append(.cancelTimer(id: timer.id))
        }
        state.timers.removeAll { predicate($0.purpose) }
    }

    func fireTime(of wait: CompiledWait) -> Instant? {
        switch wait.kind {
        case .duration:
            return now.adding(seconds: wait.seconds)
        case .business:
            guard let calendar = (wait.calendar ?? policy.calendar ?? graph.defaultCalendar).flatMap(engine.index.calendar) else {
                return nil
            }
            return calendar.adding(businessDays: wait.businessDays, seconds: wait.seconds, to: now)
        case .anchor:
            guard let field = wait.field, let text = state.fields[field], let base = Instant.parse(text, zone: engine.zone) else {
                return nil
            }
            return base.adding(seconds: wait.offsetSeconds)
        }
    }

    // MARK: - Life cycle

    func start() {
        record(nodes.triggeredRecord)
        for action in policy.actions {
            guard let channel = engine.index.channel(action.channel) else { continue }
            effects.append(.applyAction(id: action.id, channel: channel.id, message: render(action.template, recipient: nil, layer: nil)))
            state.appliedActions.append(action.id)
        }
        postStages(on: "trigger", signal: nil)
        // Hook steps go to `run` as their shared copies (`PolicyIndex.triggerSteps`), here and for acknowledge and
        // resolve; the rarer hooks are shared when they run. A step passed by value was copied whole (about 20
        // references) and destroyed after.
        let steps = nodes.triggerSteps
        for index in steps.indices {
            run(steps[index], origin: nodes.triggerOrigins[index], reason: "incident opened", skipped: nodes.triggerSkipped[index])
        }
        if let reminders = policy.reminders, let at = fireTime(of: reminders.every), at > now {
            schedule(.reminder, at: at)
        }
        for watchdog in policy.watchdogs ?? [] {
            if let id = watchdog.id, let at = fireTime(of: watchdog.every), at > now { schedule(.watchdog(id: id), at: at) }
        }
        var overdue: [CompiledDeadline] = []
        for deadline in policy.deadlines ?? [] {
            guard let at = fireTime(of: deadline.wait) else {
                record("deadline '\(deadline.id)' (\(deadline.wait)): cannot compute the time (missing field); it will not fire")
                continue
            }
            if at > now {
                schedule(.deadline(id: deadline.id), at: at)
            } else {
                record("deadline '\(deadline.id)' (\(deadline.wait)) was already past at trigger; it runs now")
                overdue.append(deadline)
            }
        }
        advance(from: policy.entry, along: .next)
        for deadline in overdue { runDeadline(deadline) }
    }

    /// Restarts a watchdog's interval when `event` (`update` or a signal name) is one it listens for.
    func resetWatch(on event: String) {
        guard isOpen else { return }
        for watchdog in policy.watchdogs ?? [] where watchdog.resetOn?.contains(event) == true {
            guard let id = watchdog.id else { continue }
            cancelTimers { if case .watchdog(let timer) = $0 { return timer == id }; return false }
            if let next = fireTime(of: watchdog.every), next > now { schedule(.watchdog(id: id), at: next) }
        }
        guard let reminders = policy.reminders, reminders.resetOn?.contains(event) == true else { return }
        cancelTimers { if case .reminder = $0 { return true }; return false }
        if let next = fireTime(of: reminders.every), next > now { schedule(.reminder, at: next) }
    }

    /// A deadline fires: its step runs, then its signal is raised (as if sent by hand).
    func runDeadline(_ deadline: CompiledDeadline) {
        guard isOpen else { return }
        record("deadline '\(deadline.id)' reached (\(deadline.wait))")
        run(deadline.step, origin: "deadline \(deadline.id)", reason: "deadline '\(deadline.id)'")
        if let signal = deadline.signal {
            record("deadline '\(deadline.id)' raises signal '\(signal)'")
            self.signal(signal, data: [:])
        }
    }

    func apply(_ event: EngineEvent) {
        switch event {
        case .trigger:
            record("trigger ignored: the incident already exists")
        case .acknowledge(let who):
            acknowledge(by: who)
        case .resolve(let who, let scope, let outcome):
            resolve(by: who, scope: scope, outcome: outcome)
        case .signal(let name, let data):
            signal(name, data: data)
        case .report(let fields):
            report(fields)
        case .updateFields(let values):
            guard isOpen else { return record("field update ignored: the incident is resolved") }
            state.fields.merge(values) { _, new in new }
            record("fields updated: \(values.keys.sorted().joined(separator: ", "))")
            resetWatch(on: "update")
        case .snooze(let until):
            snooze(until: until)
        case .escalateNow:
            escalateNow()
        case .timerFired(let id):
            timerFired(id)
        case .deliveryFailed(let key, let channel):
            deliveryFailed(key: key, channel: channel)
        case .deliveryAnswered(let key, let channel, let answered):
            deliveryAnswered(key: key, channel: channel, answered: answered)
        }
    }

    func acknowledge(by who: String) {
        guard state.status == .open else {
            return record("acknowledge by \(who) ignored: the incident is \(state.status.rawValue)")
        }
        state.status = .acknowledged
        state.acknowledgedBy = who
        // The reason is written once for the ladder, the record and each hook (the same text each time).
        let reason = KeyText.joined("acknowledged by ", who)
        stopLadder(reason: reason)
        cancelFallbacks()
        record(reason)
        postStages(on: "acknowledge", signal: nil)
        let steps = nodes.acknowledgeSteps
        for index in steps.indices {
            run(steps[index], origin: nodes.acknowledgeOrigins[index], reason: reason, skipped: nodes.acknowledgeSkipped[index])
        }
    }

    func resolve(by who: String, scope: String?, outcome: String?) {
        guard isOpen else { return record("resolve by \(who) ignored: the incident is already resolved") }
        if let scope {
            guard state.openScopes.contains(scope) else {
                return record("resolve of scope '\(scope)' by \(who) ignored: not an open scope (open: \(state.openScopes.joined(separator: ", ")))")
            }
            state.openScopes.removeAll { $0 == scope }
            state.resolvedScopes.append(scope)
            record("scope '\(scope)' resolved by \(who)")
            guard state.openScopes.isEmpty else {
                // The parties of a resolved item may share the fix with the others, and are no longer engaged.
                let steps = policy.hooks.scopeResolved ?? []
                for index in steps.indices {
                    run(steps[index], origin: "on scope_resolved #\(index + 1)", reason: "scope '\(scope)' resolved by \(who)")
                }
                return
            }
        } else if !state.openScopes.isEmpty {
            state.resolvedScopes += state.openScopes
            state.openScopes = []
        }
        state.status = .resolved
        state.resolvedBy = who
        state.outcome = outcome
        // The reason is written once for the ladder, the record and each hook (the same text each time).
        let reason = KeyText.joined("resolved by ", who)
        stopLadder(reason: reason)
        cancelFallbacks()
        cancelTimers {
            switch $0 {
            case .reminder, .snooze, .deadline, .watchdog: return true
            default: return false
            }
        }
        record(outcome.map { KeyText.joined(reason, " (outcome: ", $0, ")") } ?? reason)
        let steps = nodes.resolveSteps
        for index in steps.indices {
            run(steps[index], origin: nodes.resolveOrigins[index], reason: reason, skipped: nodes.resolveSkipped[index])
        }
        for action in policy.actions where action.undoOnResolve && state.appliedActions.contains(action.id) {
            effects.append(.undoAction(id: action.id, channel: action.channel))
            state.appliedActions.removeAll { $0 == action.id }
        }
        postStages(on: "resolve", signal: nil)
    }

    func signal(_ name: String, data: [String: String]) {
        guard isOpen else { return record("signal '\(name)' ignored: the incident is resolved") }
        let problems = engine.signalProblems(name, data: data, state: state)
        guard problems.isEmpty else { return record("refused: \(problems.joined(separator: "; "))") }
        state.fields.merge(data) { _, new in new }
        if !(state.signalsSeen ?? []).contains(name) { state.signalsSeen = (state.signalsSeen ?? []) + [name] }
        record("signal '\(name)'")
        resetWatch(on: name)
        for deadline in policy.deadlines ?? [] where deadline.until?.contains(name) == true {
            let pending = state.timers.contains { if case .deadline(let id) = $0.purpose { return id == deadline.id }; return false }
            guard pending else { continue }
            cancelTimers { if case .deadline(let id) = $0 { return id == deadline.id }; return false }
            record("deadline '\(deadline.id)' cancelled by signal '\(name)'")
        }
        if policy.until.contains(name) {
            stopLadder(reason: "stopped by signal '\(name)'")
            cancelFallbacks()
        }
        let steps = policy.hooks.signals[name] ?? []
        for index in steps.indices {
            run(steps[index], origin: "on signal \(name) #\(index + 1)", reason: "signal '\(name)'")
        }
        postStages(on: "signal", signal: name)
    }

    func snooze(until: Instant) {
        guard isOpen, state.cursor != nil else { return record("snooze ignored: no escalation is running") }
        guard until > now else { return record("snooze ignored: \(until) is not in the future") }
        // A new snooze replaces a running one.
        cancelTimers {
            if case .ladder = $0 { return true }; if case .repeatPass = $0 { return true }; if case .snooze = $0 { return true }
            return false
        }
        cancelFallbacks()
        state.snoozedUntil = until
        schedule(.snooze, at: until)
        record("snoozed until \(ZonedTime.display(until, in: engine.zone))")
    }

    func escalateNow() {
        guard isOpen, let cursor = state.cursor else { return record("escalate ignored: no escalation is running") }
        // Escalating ends a snooze.
        cancelTimers {
            if case .ladder = $0 { return true }; if case .repeatPass = $0 { return true }; if case .snooze = $0 { return true }
            return false
        }
        state.snoozedUntil = nil
        state.status = .open
        record("escalated by hand from \(cursor)")
        if nodes.node(cursor)?.value.kind == .repeat {
            // Waiting before a pass that is already counted: start it now.
            startRepeatPass()
        } else {
            advance(from: cursor, along: .timer)
        }
    }

    func timerFired(_ id: String) {
        guard let index = state.timers.firstIndex(where: { $0.id == id }) else {
            return record("timer \(id) ignored: it was cancelled")
        }
        let timer = state.timers.remove(at: index)
        switch timer.purpose {
        case .ladder(let node):
            guard state.status == .open, state.cursor == node else { return }
            let shared = nodes.node(node)
            if let shared, let wait = shared.value.wait {
                // A layer's timeout record is its node's shared text (`IndexedNode.texts`).
                record(shared.texts?.timeout ?? IndexedNode.Texts.timeout(layer: shared.value.layer, node: node, wait: wait))
            }
            // The node's own edges (`IndexedNode.outgoing`), not a second lookup of its id in the edge table.
            advance(from: node, along: .timer, held: shared)
        case .repeatPass:
            guard state.status == .open else { return }
            startRepeatPass()
        case .reminder:
            guard isOpen, let reminders = policy.reminders else { return }
            run(reminders.step, origin: "reminder", reason: "reminder every \(reminders.every)")
            if let next = fireTime(of: reminders.every), next > now { schedule(.reminder, at: next) }
        case .fallback(let key):
            // Layer notifications are dropped on acknowledge; hook and reminder ones go on while the incident is open.
            guard isOpen else { return }
            nextChannel(key: key, reason: fallbackReason(key: key))
        case .stageExpiry(let stage):
            if let found = policy.stages.first(where: { $0.id == stage }), let channel = channel(found.channel, route: found.route, what: "expiry of stage '\(stage)'") {
                effects.append(.expireStage(stage: stage, channel: channel))
                record("stage '\(stage)' message expired")
            }
        case .watchdog(let id):
            guard isOpen, let watchdog = policy.watchdogs?.first(where: { $0.id == id }) else { return }
            run(watchdog.step, origin: "watchdog \(id)", reason: "no \((watchdog.resetOn ?? []).joined(separator: " or ")) for \(watchdog.every)")
            if let next = fireTime(of: watchdog.every), next > now { schedule(.watchdog(id: id), at: next) }
        case .deadline(let id):
            guard let deadline = policy.deadlines?.first(where: { $0.id == id }) else { return }
            runDeadline(deadline)
        case .snooze:
            state.snoozedUntil = nil
            guard isOpen, let cursor = state.cursor else { return }
            record("snooze ended; re-running \(cursor)")
            state.status = .open
            rerun(cursor)
        }
    }

    // MARK: - The ladder

    func stopLadder(reason: String) {
        cancelTimers { if case .ladder = $0 { return true }; if case .repeatPass = $0 { return true }; return false }
        if state.cursor != nil {
            state.cursor = nil
            state.ladderEnd = reason
        }
    }

    /// Follows the edge of `kind` out of `node` and processes nodes until a wait or an end. `held` is the node when the
    /// caller holds it already: its own edges, and the node an edge leads to taken by position (nil: looked up by id).
    func advance(from node: String, along kind: GraphEdge.Kind, held: IndexedNode? = nil) {
        if let held {
            guard let at = held.outgoing.firstIndex(where: { $0.kind == kind }) else { return endLadder(at: node) }
            return enter(held.outgoing[at].to, node: nodes.target(of: held, edge: at))
        }
        guard let edge = nodes.edges(from: node).first(where: { $0.kind == kind }) else { return endLadder(at: node) }
        enter(edge.to)
    }

    /// The ladder stops at `node`, which has no edge to follow.
    private func endLadder(at node: String) {
        state.cursor = nil
        state.ladderEnd = "ladder ended at \(node)"
    }

    /// The edge of `kind` out of `node`: the id it leads to, and that node taken by position (`IndexedNode.targets`; nil
    /// when the policy has no node of that id). Without such an edge, `end:exhausted`, looked up by id as before.
    private func follow(_ node: IndexedNode, _ kind: GraphEdge.Kind) -> (id: String, node: IndexedNode?) {
        guard let at = node.outgoing.firstIndex(where: { $0.kind == kind }) else { return ("end:exhausted", nil) }
        return (node.outgoing[at].to, nodes.target(of: node, edge: at))
    }

    /// Processes nodes from `id` until a wait or an end. `given` is the node of that id when the caller has it (by
    /// position); each node after is taken by position from the edge that leads to it, not looked up by id.
    func enter(_ id: String, node given: IndexedNode? = nil) {
        var current = id
        var next = given
        for _ in 0..<(policy.nodes.count * 2 + 4) {
            // The node is read in place through its shared reference: binding the value copied every part of it.
            guard let node = next ?? nodes.node(current) else { return }
            next = nil
            state.cursor = current
            switch node.value.kind {
            case .start:
                (current, next) = follow(node, .next)
            case .branch:
                let holds = node.value.condition.map { engine.index.conditions.holds($0, at: now, fields: state.fields, seen: seen) } ?? true
                let (taken, takenNode) = follow(node, holds ? .conditionTrue : .conditionFalse)
                if !holds {
                    // A false edge inside the layer leads to its next alternative; otherwise the layer is skipped.
                    let layer = node.value.layer ?? current
                    record(
                        (takenNode ?? nodes.node(taken))?.value.layer == node.value.layer
                            ? "layer '\(layer)': \(node.value.label) does not hold; trying the next alternative"
                            : "layer '\(layer)' skipped: \(node.value.label) does not hold")
                }
                (current, next) = (taken, takenNode)
            case .notify, .task:
                if let step = node.step {
                    // A layer's origin and first-pass reason are the node's shared texts (`IndexedNode.texts`).
                    if let texts = node.texts, state.pass == 0 {
                        run(step, origin: texts.origin, reason: texts.started)
                    } else {
                        let layer = node.value.layer ?? current
                        let alternative = step.value.alternative
                        let reason = state.pass > 0 ? IndexedNode.Texts.repeated(state.pass, alternative: alternative) : IndexedNode.Texts.started(layer, alternative: alternative)
                        run(step, origin: node.texts?.origin ?? IndexedNode.Texts.origin(layer), reason: reason)
                    }
                }
                (current, next) = follow(node, .next)
            case .wait:
                guard let wait = node.value.wait else { return }
                if let at = fireTime(of: wait) {
                    if at > now {
                        schedule(.ladder(node: current), at: at)
                        return
                    }
                    record("\(node.value.label) is already past; moving on")
                } else {
                    record("\(node.value.label): cannot compute the time (missing field or calendar); moving on")
                }
                (current, next) = follow(node, .timer)
            case .repeat:
                passRepeat()
                return
            case .end:
                state.cursor = nil
                state.ladderEnd = node.value.id == "end:exhausted" ? "ladder exhausted" : node.value.label
                record(node.value.id == "end:exhausted" ? "ladder exhausted: nobody acknowledged" : "ladder ended: \(node.value.label)")
                return
            case .stage, .action:
                return
            }
        }
    }

    func passRepeat() {
        guard let rule = nodes.node("repeat")?.value.repeatRule else { return }
        state.cursor = "repeat"
        if state.pass < rule.times {
            state.pass += 1
            let at = fireTime(of: rule.after) ?? now
            if at > now {
                schedule(.repeatPass, at: at)
            } else {
                startRepeatPass()
            }
        } else {
            advance(from: "repeat", along: .exhausted)
        }
    }

    /// Starts the repeat pass already counted by `passRepeat` (its pause is over, or was cut short).
    func startRepeatPass() {
        record("repeat pass \(state.pass) of \(nodes.node("repeat")?.value.repeatRule?.times ?? 0)")
        advance(from: "repeat", along: .timer)
    }

    /// Re-runs a node after a snooze: a wait node re-runs its layer and restarts the wait.
    func rerun(_ cursor: String) {
        if let node = nodes.node(cursor)?.value, node.kind == .wait, let layer = node.layer {
            // A layer that chooses between alternatives chooses again, as it would start now.
            let choosing = nodes.node("layer:\(layer)/alt-2") != nil && nodes.node("layer:\(layer)/when") != nil
            enter(choosing ? "layer:\(layer)/when" : "layer:\(layer)")
        } else if cursor == "repeat" {
            startRepeatPass()
        } else {
            enter(cursor)
        }
    }

    // MARK: - Stages

    func postStages(on trigger: String, signal: String?) {
        for stage in policy.stages where stage.on == trigger && (trigger != "signal" || stage.signal == signal) {
            if let earlier = stage.ifPosted, !(state.postedStages ?? []).contains(earlier) {
                record("not posting stage '\(stage.id)': stage '\(earlier)' was never posted")
                continue
            }
            guard let channel = channel(stage.channel, route: stage.route, what: "stage '\(stage.id)'") else { continue }
            state.postedStages = (state.postedStages ?? []) + [stage.id]
            // Each posting advances the sequence, so the executor's key for it (stage, sequence) is new even when the
            // same stage is entered again by a later signal with nothing else happening.
            state.sequence += 1
            let expires = stage.expiresSeconds.map { now.adding(seconds: $0) }
            effects.append(
                .postStage(stage: stage.id, channel: channel, message: render(stage.template, recipient: nil, layer: nil), expiresAt: expires))
            state.stage = stage.id
            record("stage '\(stage.id)'\(expires.map { "; expires \(ZonedTime.display($0, in: engine.zone))" } ?? "")")
            if let expires { schedule(.stageExpiry(stage: stage.id), at: expires) }
        }
    }
}
