import EscalationCore
import Foundation

/// Resolves a step's targets to contacts at an instant, with the reason for each: a direct contact, a member of a
/// group, on call in a schedule (rotation shift or override), or named by an incident field. Pure: the instant and
/// the incident's fields are parameters. Channels follow the engine: the step's `via`, else the contact's
/// preferences, else the first channel that reads one of its addresses; channels without an address are dropped.
public struct TargetResolver: Sendable {
    /// The compiled organisation.
    public var graph: RuleGraph
    /// Whether each recipient's channels are worked out; when false they are left empty (for analyses that ask only
    /// whom a step reaches: recipients, problems and pending fields are the same either way).
    public var resolvesChannels: Bool

    /// Creates a resolver over a graph.
    public init(graph: RuleGraph, resolvesChannels: Bool = true) {
        self.graph = graph
        self.resolvesChannels = resolvesChannels
    }

    /// Resolves every target of a step. `fields` nil means no incident yet: field targets are then pending.
    /// `policy` is needed for `address` targets (their fields' declarations).
    public func resolve(_ step: CompiledStep, at instant: Instant, fields: [String: String]?, policy: CompiledPolicy? = nil) -> ResolvedStep {
        ResolvedStep(
            notify: step.targets.map { resolve($0, channels: step.channels, at: instant, fields: fields, policy: policy) },
            cc: step.cc.map { resolve($0, channels: step.channels, at: instant, fields: fields, policy: policy) },
            assignees: step.tasks.compactMap(\.assignee).map { resolve($0, channels: step.channels, at: instant, fields: fields, policy: policy) })
    }

    /// Resolves one target; `channels` is the step's `via` (empty: each contact's preferences).
    public func resolve(
        _ target: CompiledTarget, channels: [ChannelUse] = [], at instant: Instant, fields: [String: String]?, policy: CompiledPolicy? = nil
    ) -> ResolvedTarget {
        var result = ResolvedTarget(target: target, recipients: [], pendingField: false, problem: nil)
        var missing: [String] = []
        func add(_ id: String, _ reason: Recipient.Reason) {
            if let recipient = recipient(id, reason: reason, channels: channels) {
                result.recipients.append(recipient)
            } else {
                missing.append(id)
            }
        }
        switch target.kind {
        case "contact":
            add(target.ref, .direct)
        case "group":
            guard let group = graph.group(target.ref) else {
                result.problem = "group '\(target.ref)' is not declared"
                return result
            }
            group.members.forEach { add($0, .member(group: group.id)) }
            if group.members.isEmpty { result.problem = "group '\(group.id)' has no members" }
        case "schedule":
            guard let schedule = graph.schedule(target.ref) else {
                result.problem = "schedule '\(target.ref)' is not declared"
                return result
            }
            if let (who, why) = schedule.onCall(at: instant, calendars: graph.calendars) {
                switch why {
                case .override(let from, let to): add(who, .override(schedule: schedule.id, from: from, to: to))
                case .rotation(let shift, let from, let to): add(who, .rotation(schedule: schedule.id, shift: shift, from: from, to: to))
                }
            } else {
                result.problem = nobodyOnCall(schedule)
            }
        case "field":
            guard let fields else {
                result.pendingField = true
                return result
            }
            guard let value = fields[target.ref], !Self.listItems(value).isEmpty else {
                result.problem = "incident field '\(target.ref)' is not given"
                return result
            }
            Self.listItems(value).forEach { add($0, .field(name: target.ref)) }
        case "address":
            guard let fields else {
                result.pendingField = true
                return result
            }
            guard let policy else {
                result.problem = "the policy of address target '\(target)' is not known"
                return result
            }
            let people = graph.addressRecipients(target, policy: policy, fields: fields)
            if people.isEmpty { result.problem = "incident field '\(target.ref)' gives no address" }
            for person in people {
                result.recipients.append(recipient(person, reason: .field(name: target.ref), channels: channels))
            }
        case "route":
            guard let route = graph.route(target.ref) else {
                result.problem = "route '\(target.ref)' is not declared"
                return result
            }
            guard let fields else {
                // No incident yet: every row may be picked (coverage analyses each row on its own).
                result.pendingField = true
                result.route = "by \(route.field): one row per value, unknown until an incident"
                return result
            }
            let value = fields[route.field]
            guard let picked = route.targets(fields: fields) else {
                result.problem = "route '\(route.id)' has no row for \(route.field) = \(value.map { "'\($0)'" } ?? "(not given)") and no default"
                return result
            }
            let row = value.flatMap { route.rows[$0] == nil ? nil : $0 } ?? "default"
            result.route = "\(route.field) = \(value ?? "(not given)") → \(row == "default" ? "default: " : "")\(picked.map(\.description).joined(separator: ", "))"
            var problems: [String] = []
            for inner in picked where inner.kind != "route" {
                let resolved = resolve(inner, channels: channels, at: instant, fields: fields, policy: policy)
                result.recipients += resolved.recipients
                if let problem = resolved.problem { problems.append(problem) }
            }
            if !problems.isEmpty { result.problem = problems.joined(separator: "; ") }
        default:
            result.problem = "unknown target kind '\(target.kind)'"
        }
        if !missing.isEmpty {
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            result.problem = [result.problem, "\(missing.count == 1 ? "contact" : "contacts") \(names) not declared"].compactMap { $0 }
                .joined(separator: "; ")
        }
        return result
    }

    /// Why a schedule has nobody on call at an instant where `onCall` found nobody.
    private func nobodyOnCall(_ schedule: CompiledSchedule) -> String {
        if schedule.members.isEmpty || schedule.shiftSeconds <= 0 {
            return "nobody is on call in schedule \(schedule.id): it has no rotation and no override applies"
        }
        let during = schedule.during ?? "?"
        return "nobody is on call in schedule \(schedule.id): the rotation's calendar \(during) is closed and no override applies"
    }

    /// The recipient for a contact id, or nil when the contact is not declared.
    private func recipient(_ id: String, reason: Recipient.Reason, channels: [ChannelUse]) -> Recipient? {
        graph.contact(id).map { recipient($0, reason: reason, channels: channels) }
    }

    /// The recipient for a contact (declared, or a person whose addresses the incident carries).
    private func recipient(_ contact: CompiledContact, reason: Recipient.Reason, channels: [ChannelUse]) -> Recipient {
        let source: Recipient.ChannelSource
        var candidates: [ChannelUse]
        if !channels.isEmpty {
            source = .step
            candidates = channels
        } else if !contact.preferences.isEmpty {
            source = .preferences
            candidates = contact.preferences
        } else {
            source = .fallback
            candidates = []
        }
        guard resolvesChannels else {
            return Recipient(
                contact: contact.id, name: contact.name, canAcknowledge: contact.canAcknowledge, reason: reason, channels: [],
                channelSource: source, droppedChannels: [])
        }
        if source == .fallback {
            candidates = graph.channels.first { contact.addresses[$0.addressKind] != nil }.map { [ChannelUse(channel: $0.id, afterSeconds: 0)] } ?? []
        }
        var kept: [ChannelUse] = []
        var dropped: [String] = []
        for use in candidates {
            let reaches = { (id: String) in graph.channel(id).map { contact.addresses[$0.addressKind] != nil } ?? false }
            if let reaching = use.keeping(reaches) { kept.append(reaching) }
            dropped += use.channels.filter { !reaches($0) }
        }
        return Recipient(
            contact: contact.id, name: contact.name, canAcknowledge: contact.canAcknowledge, reason: reason, channels: kept,
            channelSource: source, droppedChannels: dropped)
    }

    /// The items of a list value (`a, b, c`), as the engine splits a field naming several contacts.
    public static func listItems(_ value: String) -> [String] {
        var items: [String] = []
        appendListItems(value, to: &items)
        return items
    }

    /// Appends the items of a list value (`listItems`) to `items`, without a list of its own (the engine appends a
    /// field's contacts to those its other targets name).
    public static func appendListItems(_ value: String, to items: inout [String]) {
        // ASCII text (the usual case) is split on its bytes, read where they are: there the only characters
        // `.whitespaces` holds are space and tab, and a comma is always one character. Other text goes through
        // Foundation, as before. One item with nothing to trim (a field naming one contact, the usual case) is the value
        // itself.
        var text = value
        let ascii = text.withUTF8 { appendASCIIListItems($0, value: value, to: &items) }
        if !ascii { items += foundationListItems(value) }
    }

    /// `appendListItems` on the bytes of `value`; false (nothing appended) when it is not ASCII.
    private static func appendASCIIListItems(_ bytes: UnsafeBufferPointer<UInt8>, value: String, to items: inout [String]) -> Bool {
        var high: UInt8 = 0
        var separated = false
        for byte in bytes {
            high |= byte
            if byte == UInt8(ascii: ",") || byte == 0x20 || byte == 0x09 { separated = true }
        }
        guard high < 0x80 else { return false }
        if !separated, !bytes.isEmpty {
            items.append(value)
            return true
        }
        var start = 0
        for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: ",") {
            var lower = start
            var upper = end
            start = end + 1
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
            if lower < upper { items.append(String(decoding: bytes[lower..<upper], as: UTF8.self)) }
        }
        return true
    }

    /// `listItems` through Foundation's trimming (any text).
    static func foundationListItems(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
