import EscalationCore
import EscalationGraph
import EscalationPolicy
import Foundation

/// Compiles a loaded organisation into a `RuleGraph`: references resolved, defaults inherited, stable node ids.
/// Run it on organisations that lint without errors; a dangling reference is kept as written.
public struct GraphCompiler: Sendable {
    /// Creates a compiler.
    public init() {}

    /// Compiles every part of the organisation.
    public func compile(_ organisation: Organisation) -> RuleGraph {
        withVersions(compile(organisation, versions: false))
    }

    /// Compiles every part of the organisation; with `versions: false` each policy's version is left empty (lint reads
    /// the graph but never its versions; `withVersions(_:)` adds them later, the same as `compile(_:)` gives).
    public func compile(_ organisation: Organisation, versions: Bool) -> RuleGraph {
        guard !versions else { return compile(organisation) }
        let zoneName = organisation.header?.timezone.value ?? "UTC"
        let zone = ZonedTime.zone(zoneName) ?? ZonedTime.utc
        let calendars = (organisation.header?.calendars ?? []).map { calendar in
            CompiledCalendar(
                id: calendar.id.value, timezone: calendar.timezone?.value ?? zoneName,
                hours: calendar.hours.map { .init(days: $0.days, from: $0.from.minutes, to: $0.to.minutes) },
                holidays: calendar.holidays.map(\.date))
        }
        let contacts = organisation.contacts.map { contact in
            CompiledContact(
                id: contact.id.value, name: contact.name.value, canAcknowledge: contact.kind == .person,
                addresses: Dictionary(contact.addresses.map { ($0.kind.value, $0.value.value) }, uniquingKeysWith: { first, _ in first }),
                preferences: contact.preferences.map(channelUse))
        }
        let schedules = organisation.schedules.map { schedule -> CompiledSchedule in
            let scheduleZone = schedule.timezone.flatMap { ZonedTime.zone($0.value) } ?? zone
            return CompiledSchedule(
                id: schedule.id.value, name: schedule.name.value, timezone: schedule.timezone?.value ?? zoneName,
                members: schedule.rotation?.members.map(\.value) ?? [],
                shiftSeconds: schedule.rotation?.shift.value.seconds ?? 0,
                start: schedule.rotation.map { ZonedTime.instant($0.start.value, in: scheduleZone) } ?? Instant(seconds: 0),
                during: schedule.rotation?.during?.value,
                overrides: schedule.overrides.map {
                    .init(
                        contact: $0.contact.value, from: ZonedTime.instant($0.from.value, in: scheduleZone),
                        to: ZonedTime.instant($0.to.value, in: scheduleZone))
                })
        }
        let defaultCalendar = organisation.header?.defaultCalendar?.value
        return RuleGraph(
            organisation: organisation.header?.id.value ?? organisation.displayName,
            name: organisation.header?.name.value ?? organisation.displayName,
            timezone: zoneName, defaultCalendar: defaultCalendar, calendars: calendars, contacts: contacts,
            groups: organisation.groups.map { CompiledGroup(id: $0.id.value, name: $0.name.value, members: $0.members.map(\.value)) },
            schedules: schedules,
            channels: organisation.channels.map {
                CompiledChannel(
                    id: $0.id.value, plugin: $0.plugin.value, addressKind: $0.addressKind, settings: $0.settings,
                    timeoutSeconds: $0.timeout?.value.seconds, source: $0.id.location)
            },
            templates: organisation.templates.map { CompiledTemplate(id: $0.id.value, subject: $0.subject?.value, body: $0.body.value) },
            policies: organisation.policies.map { compile($0, defaultCalendar: defaultCalendar) },
            routes: organisation.routes.isEmpty
                ? nil
                : organisation.routes.map { route in
                    var compiled = CompiledRoute(
                        id: route.id.value, field: route.by.value,
                        rows: Dictionary(
                            route.entries.filter { $0.channel == nil }.map { ($0.value.value, $0.targets.map(target)) }, uniquingKeysWith: { first, _ in first }),
                        fallback: route.fallback.map { $0.map(target) })
                    if route.picksChannels {
                        compiled.channels = Dictionary(
                            route.entries.compactMap { entry in entry.channel.map { (entry.value.value, $0.value) } }, uniquingKeysWith: { first, _ in first })
                        compiled.fallbackChannel = route.fallbackChannel?.value
                    }
                    return compiled
                })
    }

    private func channelUse(_ step: ChannelStep) -> ChannelUse {
        ChannelUse(
            channel: step.channel.value, afterSeconds: step.after?.value.seconds ?? 0, all: step.all?.map(\.value),
            unansweredSeconds: step.unanswered?.value.seconds)
    }

    private func matchMap(_ matches: [FieldMatch]) -> [String: [String]] {
        Dictionary(matches.map { ($0.field.value, $0.values.map(\.value)) }, uniquingKeysWith: { first, _ in first })
    }

    private func condition(_ condition: Condition?) -> CompiledCondition? {
        condition.map {
            var compiled = CompiledCondition(
                during: $0.during?.value, outside: $0.outside?.value, fields: matchMap($0.fields), outcome: $0.outcome.map(\.value))
            compiled.seen = $0.seen.isEmpty ? nil : $0.seen.map(\.value)
            return compiled
        }
    }

    private func target(_ target: Target) -> CompiledTarget {
        CompiledTarget(kind: target.kind.rawValue, ref: target.reference.value, also: target.also.isEmpty ? nil : target.also.map(\.value))
    }

    private func step(_ step: Step, includeCondition: Bool) -> CompiledStep {
        CompiledStep(
            id: step.id?.value, name: step.name, condition: includeCondition ? condition(step.when) : nil,
            targets: step.notify.map(target), channels: step.via.map(channelUse), cc: step.cc.map(target),
            template: step.template?.value,
            tasks: step.tasks.map {
                CompiledTask(title: $0.title.value, assignee: $0.assignee.map(target), description: $0.description, per: $0.per?.value)
            },
            posts: step.posts.map {
                var post = CompiledPost(channel: $0.channel.value, template: $0.template.value)
                post.route = $0.route?.value
                return post
            })
    }

    private func wait(_ duration: PolicyDuration, calendar: String?) -> CompiledWait {
        duration.isBusiness
            ? CompiledWait(kind: .business, seconds: duration.seconds, businessDays: duration.businessDays, calendar: calendar, field: nil, offsetSeconds: 0)
            : CompiledWait(kind: .duration, seconds: duration.seconds, businessDays: 0, calendar: nil, field: nil, offsetSeconds: 0)
    }

    func compile(_ policy: Policy, defaultCalendar: String?) -> CompiledPolicy {
        let policyCalendar = policy.calendar?.value ?? defaultCalendar
        var nodes: [GraphNode] = [
            GraphNode(id: "start", kind: .start, source: policy.location)
        ]
        var edges: [GraphEdge] = []
        let acknowledged = "end:acknowledged"
        let layerIDs = policy.layers.enumerated().map { $0.element.id.isEmpty ? "layer-\($0.offset + 1)" : $0.element.id }
        func entry(_ index: Int) -> String {
            guard index < policy.layers.count else { return policy.repeatRule == nil ? "end:exhausted" : "repeat" }
            let first = policy.layers[index].alternatives.first
            return first?.when == nil ? "layer:\(layerIDs[index])" : "layer:\(layerIDs[index])/when"
        }
        edges.append(GraphEdge(from: "start", to: entry(0), kind: .next))
        for (index, layer) in policy.layers.enumerated() {
            let id = "layer:\(layerIDs[index])"
            let next = entry(index + 1)
            var timer: CompiledWait?
            if let timeout = layer.timeout {
                timer = wait(timeout.value, calendar: layer.calendar?.value ?? policyCalendar)
            } else if let at = layer.at {
                timer = CompiledWait(kind: .anchor, seconds: 0, businessDays: 0, calendar: nil, field: at.value.field, offsetSeconds: at.value.offsetSeconds)
            }
            let after = timer == nil ? next : "\(id)/wait"
            // One notify node per alternative (a layer without `choose` has one); each is entered through a branch
            // node when it has a `when`, whose false edge leads to the next alternative, or past the layer.
            let alternatives = layer.alternatives
            let nodeIDs = alternatives.indices.map { $0 == 0 ? id : "\(id)/alt-\($0 + 1)" }
            for (number, alternative) in alternatives.enumerated() {
                let nodeID = nodeIDs[number]
                let otherwise = number + 1 < alternatives.count
                    ? (alternatives[number + 1].when == nil ? nodeIDs[number + 1] : "\(nodeIDs[number + 1])/when") : next
                if let when = alternative.when {
                    nodes.append(
                        GraphNode(id: "\(nodeID)/when", kind: .branch, layer: layerIDs[index], source: when.location, condition: condition(when)))
                    edges.append(GraphEdge(from: "\(nodeID)/when", to: nodeID, kind: .conditionTrue))
                    edges.append(GraphEdge(from: "\(nodeID)/when", to: otherwise, kind: .conditionFalse))
                }
                var compiled = step(alternative, includeCondition: false)
                if !layer.choices.isEmpty { compiled.alternative = layer.choices[number].name ?? "alternative \(number + 1)" }
                let kind: GraphNode.Kind = compiled.targets.isEmpty && compiled.posts.isEmpty && !compiled.tasks.isEmpty ? .task : .notify
                nodes.append(GraphNode(id: nodeID, kind: kind, layer: layerIDs[index], source: alternative.location, step: compiled))
                edges.append(GraphEdge(from: nodeID, to: after, kind: .next))
            }
            if let timer {
                let waitID = "\(id)/wait"
                nodes.append(
                    GraphNode(id: waitID, kind: .wait, layer: layerIDs[index], source: (layer.timeout?.location ?? layer.at?.location), wait: timer))
                edges.append(GraphEdge(from: waitID, to: next, kind: .timer, detail: timer.description))
                edges.append(GraphEdge(from: waitID, to: acknowledged, kind: .acknowledge))
                for signal in policy.until {
                    edges.append(GraphEdge(from: waitID, to: "end:stopped", kind: .signal, detail: signal.value))
                }
            }
        }
        if let repeatRule = policy.repeatRule {
            let after = wait(repeatRule.after?.value ?? PolicyDuration(seconds: 0), calendar: policyCalendar)
            nodes.append(
                GraphNode(
                    id: "repeat", kind: .repeat, source: repeatRule.times.location,
                    repeatRule: CompiledRepeat(times: repeatRule.times.value, after: after)))
            if !policy.layers.isEmpty {
                edges.append(GraphEdge(from: "repeat", to: entry(0), kind: .timer, detail: "again after \(after)"))
            }
            edges.append(GraphEdge(from: "repeat", to: "end:exhausted", kind: .exhausted, detail: "after \(repeatRule.times.value) more"))
            edges.append(GraphEdge(from: "repeat", to: acknowledged, kind: .acknowledge))
        }
        var ends = ["end:acknowledged", "end:exhausted", "end:resolved"]
        if !policy.until.isEmpty { ends.insert("end:stopped", at: 2) }
        for end in ends {
            nodes.append(GraphNode(id: end, kind: .end))
        }
        edges.append(GraphEdge(from: "start", to: "end:resolved", kind: .resolve))
        for stage in policy.stages {
            nodes.append(GraphNode(id: "stage:\(stage.id.value)", kind: .stage, source: stage.id.location))
            let from = stage.on.value == .resolve ? "end:resolved" : stage.on.value == .acknowledge ? acknowledged : "start"
            let kind: GraphEdge.Kind = stage.on.value == .signal ? .signal : .next
            edges.append(GraphEdge(from: from, to: "stage:\(stage.id.value)", kind: kind, detail: stage.signal?.value))
        }
        for action in policy.actions {
            nodes.append(GraphNode(id: "action:\(action.id.value)", kind: .action, source: action.id.location))
            edges.append(GraphEdge(from: "start", to: "action:\(action.id.value)", kind: .next))
            if action.undo == .resolve {
                edges.append(GraphEdge(from: "end:resolved", to: "action:\(action.id.value)", kind: .resolve, detail: "undo"))
            }
        }
        var compiled = CompiledPolicy(
            id: policy.id.value, name: policy.name.value, version: "", source: policy.location, match: matchMap(policy.match),
            priority: policy.priority,
            threshold: policy.threshold.map {
                CompiledThreshold(count: $0.count.value, withinSeconds: $0.within.value.seconds, unless: matchMap($0.unless))
            },
            fields: policy.fields.map {
                CompiledField(name: $0.name.value, type: $0.type.value.rawValue, required: $0.required, description: $0.description, values: $0.values.map(\.value), addressKind: $0.addressKind?.value)
            },
            calendar: policyCalendar, targetAckSeconds: policy.targetAck.map { $0.value.seconds + $0.value.businessDays * 86_400 },
            outcomes: policy.outcomes.map(\.value), resolvePer: policy.resolvePer?.value, until: policy.until.map(\.value),
            entry: "start", nodes: nodes, edges: edges,
            reminders: policy.reminders.map {
                CompiledReminders(
                    every: wait($0.every.value, calendar: policyCalendar), step: step($0.step, includeCondition: true),
                    resetOn: $0.resetOn.isEmpty ? nil : $0.resetOn.map(\.value))
            },
            stages: policy.stages.map {
                var stage = CompiledStage(
                    id: $0.id.value, on: $0.on.value.rawValue, signal: $0.signal?.value, channel: $0.channel.value,
                    template: $0.template.value, expiresSeconds: $0.expires?.value.seconds, ifPosted: $0.ifPosted?.value,
                    requires: $0.requires.isEmpty ? nil : $0.requires.map(\.value))
                stage.route = $0.route?.value
                return stage
            },
            actions: policy.actions.map {
                CompiledAction(id: $0.id.value, channel: $0.channel.value, template: $0.template.value, undoOnResolve: $0.undo == .resolve)
            },
            hooks: CompiledHooks(
                acknowledge: policy.hooks.acknowledge.map { step($0, includeCondition: true) },
                resolve: policy.hooks.resolve.map { step($0, includeCondition: true) },
                signals: Dictionary(
                    policy.hooks.signals.map { ($0.name.value, $0.steps.map { step($0, includeCondition: true) }) },
                    uniquingKeysWith: { first, _ in first }),
                trigger: policy.hooks.trigger.isEmpty ? nil : policy.hooks.trigger.map { step($0, includeCondition: true) }))
        if !policy.watchdogs.isEmpty {
            compiled.watchdogs = policy.watchdogs.map {
                var watchdog = CompiledReminders(
                    every: wait($0.every.value, calendar: policyCalendar), step: step($0.step, includeCondition: true),
                    resetOn: $0.resetOn.map(\.value))
                watchdog.id = $0.id?.value
                return watchdog
            }
        }
        if !policy.hooks.report.isEmpty {
            compiled.hooks.report = policy.hooks.report.map { step($0, includeCondition: true) }
        }
        if let correlate = policy.correlate {
            compiled.correlate = CompiledCorrelation(key: correlate.key?.value, append: correlate.append.map(\.value))
        }
        if !policy.hooks.scopeResolved.isEmpty {
            compiled.hooks.scopeResolved = policy.hooks.scopeResolved.map { step($0, includeCondition: true) }
        }
        if !policy.deadlines.isEmpty {
            compiled.deadlines = policy.deadlines.map { deadline in
                let wait = deadline.at.map {
                    CompiledWait(kind: .anchor, seconds: 0, businessDays: 0, calendar: nil, field: $0.value.field, offsetSeconds: $0.value.offsetSeconds)
                } ?? self.wait(deadline.after?.value ?? PolicyDuration(seconds: 0), calendar: policyCalendar)
                var compiledDeadline = CompiledDeadline(
                    id: deadline.id, wait: wait, step: step(deadline.step, includeCondition: true), signal: deadline.signal?.value)
                compiledDeadline.until = deadline.until.isEmpty ? nil : deadline.until.map(\.value)
                return compiledDeadline
            }
        }
        return compiled
    }

    /// The graph with each policy's version set to `version(of:)`.
    public func withVersions(_ graph: RuleGraph) -> RuleGraph {
        var graph = graph
        for index in graph.policies.indices {
            graph.policies[index].version = Self.version(of: graph.policies[index])
        }
        return graph
    }

    /// The content hash of a compiled policy: FNV-1a 64 of its canonical JSON without version and source positions.
    public static func version(of policy: CompiledPolicy) -> String {
        var copy = policy
        copy.version = ""
        copy.source = nil
        copy.nodes = copy.nodes.map { node in
            var node = node
            node.source = nil
            return node
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(copy)) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(format: "%016llx", hash)
    }
}
