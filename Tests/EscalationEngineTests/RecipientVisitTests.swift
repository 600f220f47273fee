import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// A step's run visits its recipients without a list of them (`eachRecipient(of:)`), and records `reaches nobody` after
/// the visit instead of before it. The visit must hand out what `contacts(for:)` gave before it shared the walk (the
/// oracle of `ReachedContactsTests`), and the run must leave the same effects and state as the run that listed the
/// recipients first (kept below as the oracle), on random organisations, steps and fields: targets reaching contacts,
/// people, both or nobody, channels some recipients have no address for, copies, and tasks after the notifications.
@Suite("Recipients visited without a list")
struct RecipientVisitTests {
    static let t0 = instant("2026-03-09T10:00")

    static func step(_ rng: inout SplitMix64) -> CompiledStep {
        let channels = (0..<rng.int(0...2)).map { _ in
            ChannelUse(channel: rng.pick(ReachedContactsTests.channels.map(\.0) + ["nochannel"]), afterSeconds: rng.pick([0, 0, 60]))
        }
        let tasks = (0..<rng.int(0...1)).map { _ in CompiledTask(title: "task", assignee: CompiledTarget(kind: "group", ref: "g1")) }
        return CompiledStep(
            id: "layer", targets: ReachedContactsTests.targets(&rng), channels: channels, cc: ReachedContactsTests.targets(&rng, routes: false),
            tasks: tasks, posts: [])
    }

    @Test("the visit gives the old walk's contacts, and the run the old run's effects and state", arguments: [1, 2, 3] as [UInt64])
    func agreesWithTheListedRun(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var nobody = 0
        var reached = 0
        for _ in 0..<100 {
            let engine = Engine(graph: ReachedContactsTests.graph(&rng))
            let policy = try #require(engine.index.policyIndex("p"))
            for _ in 0..<20 {
                var state = IncidentState(
                    id: "I-1", policy: "p", version: "1", title: "t", fields: ReachedContactsTests.fields(&rng), triggeredAt: Self.t0)
                if rng.chance(50) { state.slots = FieldSlots(owner: policy, values: policy.slotValues(state.fields)) }
                let now = Self.t0.adding(seconds: rng.int(0...20_000))
                let step = Self.step(&rng)

                // The visit against the walk it replaced.
                let run = EngineRun(engine: engine, policy: policy, state: state, now: now)
                var visited: [CompiledContact] = []
                let any = run.eachRecipient(of: run.reached(by: step.targets, fields: nil)) { visited.append($0.contact) }
                let expected = run.oracleContacts(for: step.targets)
                #expect(visited == expected, "\(step.targets)")
                #expect(visited.map { Array($0.id.utf8) } == expected.map { Array($0.id.utf8) })
                #expect(any == !expected.isEmpty)

                // The whole step against the run that listed its recipients first.
                let new = EngineRun(engine: engine, policy: policy, state: state, now: now)
                new.run(Shared(step), origin: "layer 'layer'", reason: "started")
                let old = EngineRun(engine: engine, policy: policy, state: state, now: now)
                old.oracleRun(Shared(step), origin: "layer 'layer'", reason: "started")
                #expect(new.effects == old.effects, "\(step)")
                #expect(new.state == old.state)
                if expected.isEmpty, !step.targets.isEmpty { nobody += 1 }
                if !expected.isEmpty { reached += 1 }
            }
        }
        #expect(nobody > 200)
        #expect(reached > 200)
    }
}

extension EngineRun {
    /// `run` as it was before it visited its recipients without a list (the oracle): the list first, `reaches nobody`
    /// recorded before the copies were read and the notifications sent.
    func oracleRun(_ step: Shared<CompiledStep>, origin: String, reason: String, perItems: [String: [String]] = [:], skipped: String? = nil) {
        if let condition = step.value.condition,
            !engine.index.conditions.holds(condition, at: now, fields: state.fields, outcome: state.outcome, seen: seen)
        {
            return record(skipped ?? Self.skippedRecord(origin: origin))
        }
        let layer = step.value.id
        let recipients = recipients(for: step.value.targets)
        if !step.value.targets.isEmpty, recipients.isEmpty {
            record("\(origin) reaches nobody (\(step.value.targets.map(\.description).joined(separator: ", ")))")
        }
        let (ccContacts, ccPeople) = copied(step.value.cc)
        for recipient in recipients {
            let channels = channelsFor(recipient, stepChannels: step.value.channels)
            guard !channels.isEmpty else {
                record("\(origin): no channel reaches \(recipient.id)")
                continue
            }
            let key = nextID("n")
            let pending = PendingNotification(
                key: key, contact: recipient.id, channels: channels, index: -1, startedAt: now, template: step.value.template,
                origin: origin, cc: ccContacts, layer: layer,
                person: recipient.person, ccPeople: ccPeople.isEmpty ? nil : ccPeople, alternative: step.value.alternative)
            state.pending.append(pending)
            let first = channels[0]
            if first.afterSeconds > 0, isOpen {
                schedule(.fallback(key: key), at: now.adding(seconds: first.afterSeconds))
            } else {
                deliver(key: key, reason: reason)
            }
        }
        for task in step.value.tasks {
            let shared = task.assignee.map { contactIDs(for: CollectionOfOne($0)) } ?? []
            let items = task.per.map { perItems[$0] ?? Engine.listItems(state.fields[$0] ?? "") } ?? [""]
            for item in items {
                var assignees = shared
                if let per = task.per, let assignee = task.assignee, assignee.kind == "route", engine.index.route(assignee.ref)?.field == per {
                    var fields = state.fields
                    fields[per] = item
                    assignees = contactIDs(for: CollectionOfOne(assignee), fields: fields)
                }
                effects.append(
                    .createTask(
                        Effect.TaskItem(
                            title: item.isEmpty ? task.title : "\(task.title) (\(item))", assignees: assignees,
                            description: task.description, origin: origin)))
            }
        }
        for post in step.value.posts {
            guard let channel = channel(post.channel, route: post.route, what: "post of \(origin)") else { continue }
            effects.append(
                .post(
                    Effect.Post(
                        channel: channel, message: render(post.template, recipient: nil, layer: layer, alternative: step.value.alternative),
                        idempotencyKey: nextID("p"), origin: origin)))
        }
    }
}
