import EscalationCore
import EscalationGraph
import Foundation

/// The pure escalation engine: `(state, event, now) → (state', [effect])` over a compiled rule graph.
/// It never reads a clock, does no I/O and uses no randomness; the simulator and the executor both drive it.
public struct Engine: Sendable {
    /// The compiled organisation (held by the index, so copying an engine copies one reference, not the graph).
    public var graph: RuleGraph { index.graph }
    /// Values for `incident.url` / `incident.ack_url` (the executor sets a base URL, and signs the `ActionLink`
    /// placeholders written for `incident.ack_url` when it sends; the simulator shows "(acknowledge link)").
    public var links: Links
    /// Whether effects carry rendered messages. Monte Carlo, which reports only who was paged and who answered when,
    /// turns it off: a message's subject and body are then empty (rendering is pure, so nothing else changes).
    public var rendersMessages = true

    /// How links in messages are built.
    public struct Links: Sendable {
        /// Base URL of the executor's API, e.g. `https://escalate.example.org`.
        public var baseURL: String?
        /// Creates link settings.
        public init(baseURL: String? = nil) { self.baseURL = baseURL }
    }

    /// The result of one step: the new state (nil when a trigger was refused) and the effects.
    public struct Transition: Sendable {
        /// The new state.
        public var state: IncidentState?
        /// What to do.
        public var effects: [Effect]

        /// A transition from its parts.
        public init(state: IncidentState?, effects: [Effect]) {
            self.state = state
            self.effects = effects
        }
    }

    /// An engine over a graph.
    public init(graph: RuleGraph, links: Links = Links()) {
        self.links = links
        self.index = GraphIndex(graph)
    }

    /// The graph's lookups by id (built once).
    let index: GraphIndex

    /// Problems with a trigger's fields for a policy: unknown policy, missing required fields, bad values.
    public func validate(policy id: String, fields: [String: String]) -> [String] {
        guard let indexed = index.policyIndex(id) else { return [Self.unknownPolicy(id)] }
        return validate(indexed, values: indexed.slotValues(fields))
    }

    /// The problem `validate` reports for a policy id the graph does not have (a trigger reports the same).
    static func unknownPolicy(_ id: String) -> String { "unknown policy '\(id)'" }

    /// `validate` on the fields read by slot (`PolicyIndex.slotValues`, one pass over the fields): each declared field
    /// is read at its slot instead of hashing its name into the fields, and a trigger keeps the values as the new
    /// state's `slots`, so its first message does not read the fields again.
    func validate(_ indexed: PolicyIndex, values: [String?]) -> [String] {
        var problems: [String] = []
        for check in indexed.fieldChecks {
            // Each check keeps its field's slot (no lookup of the name per check); the field is read in place (a copy of
            // it retained each of its parts).
            guard check.slot < values.count, let value = values[check.slot], !value.isEmpty else {
                if check.field.required { problems.append("missing required field '\(check.field.name)'\(check.field.description.map { " (\($0))" } ?? "")") }
                continue
            }
            switch check.kind {
            case .time where Instant.parse(value, zone: zone) == nil:
                problems.append("field '\(check.field.name)' must be a time like 2026-11-22T10:00 or 2026-11-22T10:00-06:00, got '\(value)'")
            case .integer where Int(value) == nil:
                problems.append("field '\(check.field.name)' must be a whole number, got '\(value)'")
            case .number where Double(value) == nil:
                problems.append("field '\(check.field.name)' must be a number, got '\(value)'")
            case .boolean where value != "true" && value != "false":
                problems.append("field '\(check.field.name)' must be true or false, got '\(value)'")
            case .enumeration where !check.field.values.contains(value):
                problems.append("field '\(check.field.name)' must be one of \(check.field.values.joined(separator: ", ")), got '\(value)'")
            case .contact where !index.isContact(value):
                problems.append("field '\(check.field.name)' must name a contact, got '\(value)'")
            case .address(let single):
                // The entries counted and checked on their bytes (no list of them, no strings unless a problem).
                let kind = check.field.addressKind ?? "address"
                let checked = IncidentAddress.check(value, kind: kind)
                if single, checked.count > 1 {
                    problems.append("field '\(check.field.name)' takes one address, got \(checked.count); declare it 'type: address-list' for several")
                }
                for problem in checked.problems { problems.append("field '\(check.field.name)' (\(kind)): \(problem)") }
            default: break
            }
        }
        return problems
    }

    var zone: TimeZone { index.zone }

    /// Why a signal would be refused: a stage it enters requires fields that neither the incident nor the signal's
    /// data give. Empty when it may go ahead. The executor answers these before the step (422); the engine refuses too.
    public func signalProblems(_ name: String, data: [String: String], state: IncidentState) -> [String] {
        guard let policy = index.policyIndex(state.policy)?.policy else { return [] }
        let fields = state.fields.merging(data) { _, new in new }
        return policy.stages.filter { $0.on == "signal" && $0.signal == name }.flatMap { stage in
            (stage.requires ?? []).filter { (fields[$0] ?? "").isEmpty }.map { field in
                "signal '\(name)' needs field '\(field)' (stage '\(stage.id)' requires it); send it with the signal, e.g. \(field)=…"
            }
        }
    }

    /// Applies one event at `now`.
    public func handle(_ event: EngineEvent, state: IncidentState?, now: Instant) -> Transition {
        var state = state
        let effects = apply(event, to: &state, now: now)
        return Transition(state: state, effects: effects)
    }

    /// Applies one event at `now` to a state the caller holds, changing it in place: a caller that keeps no other
    /// copy of the state (the simulator, Monte Carlo) lets the engine grow its timers and notifications without
    /// copying them on every step. A refused trigger leaves the state nil.
    public func apply(_ event: EngineEvent, to state: inout IncidentState?, now: Instant) -> [Effect] {
        if case .trigger(let id, let policyID, let title, let fields, let dedupKey) = event {
            guard state == nil else { return [.record("trigger ignored: incident \(id) exists")] }
            return trigger(id: id, policyID: policyID, title: title, fields: fields, dedupKey: dedupKey, now: now, into: &state)
        }
        guard let policyID = state?.policy, let policy = index.policyIndex(policyID) else {
            return [.record("event ignored: no such incident")]
        }
        // The state moves into the run without a copy: swapped out of the caller's optional and consumed from there
        // (`state.take()` bound to a `let` was copied into the run and the original destroyed after the step, about
        // 3,000 instructions an event, once the state held its fields by slot).
        var taken: IncidentState?
        swap(&taken, &state)
        guard case .some(let current) = consume taken else { return [.record("event ignored: no such incident")] }
        let run = EngineRun(engine: self, policy: policy, state: consume current, now: now)
        run.apply(event)
        state = run.takeState()
        return run.effects
    }

    /// Opens an incident into `state` (left nil when the trigger is refused) and returns the effects. (The state goes
    /// straight to the caller's optional: a `Transition` carrying it was copied out and destroyed after.)
    private func trigger(
        id: String, policyID: String, title: String, fields: [String: String], dedupKey: String?, now: Instant, into state: inout IncidentState?
    ) -> [Effect] {
        var fields = fields
        let replyCode = fields.removeValue(forKey: IncidentState.replyCodeField)
        // The fields are read by slot once, for the checks and then as the new state's `slots`.
        let indexed = index.policyIndex(policyID)
        let values = indexed?.slotValues(fields) ?? []
        let problems = indexed.map { validate($0, values: values) } ?? [Self.unknownPolicy(policyID)]
        guard problems.isEmpty, let indexed else {
            return [.record("trigger refused: \(problems.joined(separator: "; "))")]
        }
        let scopes = indexed.policy.resolvePer.flatMap { fields[$0] }.map(Self.listItems) ?? []
        let opened = IncidentState(
            id: id, policy: policyID, version: indexed.policy.version, title: title, dedupKey: dedupKey, fields: fields,
            triggeredAt: now, status: .open, openScopes: scopes, resolvedScopes: [], cursor: indexed.policy.entry, ladderEnd: nil,
            pass: 0, timers: [], pending: [], appliedActions: [], stage: nil, acknowledgedBy: nil, resolvedBy: nil,
            outcome: nil, snoozedUntil: nil, sequence: 0, replyCode: replyCode)
        let run = EngineRun(engine: self, policy: indexed, state: consume opened, now: now)
        // The values the checks read, kept as the new state's slots (the first message reads them from there).
        run.state.slots = FieldSlots(owner: indexed, values: values)
        run.start()
        state = run.takeState()
        return run.effects
    }

    /// The items of a list field value (`a, b, c`).
    public static func listItems(_ value: String) -> [String] { TargetResolver.listItems(value) }
}
