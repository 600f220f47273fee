import EscalationCore
import EscalationGraph
import Foundation

/// The graph's lookups by id, built once per engine: the engine finds a contact, channel, policy or node by
/// table (`IDTable`) instead of scanning arrays on every event. The first of duplicate ids wins, as the arrays' `first` did.
final class GraphIndex: Sendable {
    /// The graph itself.
    let graph: RuleGraph
    /// The contacts, each behind one reference (`Shared`): a delivery reads the name in place instead of copying the
    /// contact.
    let contacts: IDTable<Shared<CompiledContact>>
    let channels: IDTable<CompiledChannel>
    /// Each channel's address kind (a lookup that needs only the kind copies no channel).
    let channelAddressKinds: IDTable<String>
    /// Each channel's address kind by position among the kinds the channels read (first seen first).
    let channelKindSlots: IDTable<Int>
    /// Each channel's address kind with its position, in one lookup (a delivery needs both).
    let channelKinds: IDTable<ChannelKind>
    /// Each contact (the one `contacts` shares) with its addresses by those positions (nil where it has none), in one
    /// table: a delivery reads `addresses[i]` instead of copying the contact and hashing the kind into its
    /// `[String: String]`, and finds the contact's name in the same lookup.
    let contactEntries: IDTable<ContactEntry>
    let groups: IDTable<CompiledGroup>
    /// What a lone `group` target reaches, by the group's id: its members without repeats (`EngineRun.Reach.dropRepeats`),
    /// each as the organisation declares it, members that are no contact left out. The same for every incident, so
    /// a task's assignees or a step's copies naming one group share this list instead of walking the group per step.
    let groupReach: IDTable<[String]>
    let schedules: IDTable<CompiledSchedule>
    let calendars: IDTable<CompiledCalendar>
    let routes: IDTable<CompiledRoute>
    let policyIndexes: IDTable<PolicyIndex>
    /// The organisation's zone, looked up once.
    let zone: TimeZone
    /// The engine's condition evaluator (no look-ahead), made once: a step with a condition built one over the graph,
    /// copying the graph's twelve references in and releasing them after.
    let conditions: ConditionEvaluator

    init(_ graph: RuleGraph) {
        self.graph = graph
        func byID<T>(_ items: [T], _ id: (T) -> String) -> IDTable<T> { IDTable(items.map { (id($0), $0) }) }
        let shared = graph.contacts.map(Shared.init)
        let contacts = IDTable(shared.map { ($0.value.id, $0) })
        self.contacts = contacts
        channels = byID(graph.channels, \.id)
        channelAddressKinds = IDTable(graph.channels.map { ($0.id, $0.addressKind) })
        var kinds: [String: Int] = [:]
        var kindNames: [String] = []
        for channel in graph.channels where kinds[channel.addressKind] == nil {
            kinds[channel.addressKind] = kindNames.count
            kindNames.append(channel.addressKind)
        }
        channelKindSlots = IDTable(graph.channels.compactMap { channel in kinds[channel.addressKind].map { (channel.id, $0) } })
        channelKinds = IDTable(
            graph.channels.compactMap { channel in kinds[channel.addressKind].map { (channel.id, ChannelKind(kind: channel.addressKind, slot: $0)) } })
        contactEntries = IDTable(
            shared.map { contact in (contact.value.id, ContactEntry(contact: contact, addresses: kindNames.map { contact.value.addresses[$0] })) })
        groups = byID(graph.groups, \.id)
        groupReach = IDTable(
            graph.groups.map { group in
                var ids = group.members
                EngineRun.Reach.dropRepeats(&ids)
                return (group.id, ids.compactMap { contacts[$0]?.value.id })
            })
        schedules = byID(graph.schedules, \.id)
        calendars = byID(graph.calendars, \.id)
        routes = byID(graph.routes ?? [], \.id)
        let templates = Dictionary(graph.templates.map { ($0.id, $0) }) { first, _ in first }
        policyIndexes = IDTable(graph.policies.map { ($0.id, PolicyIndex($0, templates: templates)) })
        zone = ZonedTime.zone(graph.timezone) ?? ZonedTime.utc
        conditions = ConditionEvaluator(graph: graph, looksAhead: false)
    }

    func contact(_ id: String) -> CompiledContact? { contacts[id]?.value }
    /// The contact `id`, shared (read its parts through `value`, without copying the contact).
    func sharedContact(_ id: String) -> Shared<CompiledContact>? { contacts[id] }
    func channel(_ id: String) -> CompiledChannel? { channels[id] }
    /// Whether `id` names a contact of the organisation.
    func isContact(_ id: String) -> Bool { contacts.contains(id) }
    /// The address kind of channel `id` (nil: no such channel).
    func addressKind(ofChannel id: String) -> String? { channelAddressKinds[id] }
    /// The position of channel `id`'s address kind (`channelKindSlots`; nil: no such channel).
    func addressKindSlot(ofChannel id: String) -> Int? { channelKindSlots[id] }
    /// Channel `id`'s address kind and its position (nil: no such channel).
    func kind(ofChannel id: String) -> ChannelKind? { channelKinds[id] }

    /// A channel's address kind and the kind's position among those the channels read (`channelKindSlots`).
    struct ChannelKind: Sendable {
        /// The address kind (`email`, `phone`, …).
        let kind: String
        /// Its position, for `address(ofContact:kindSlot:)`.
        let slot: Int
    }
    /// The address contact `id` has of the kind at `kindSlot` (nil: no such contact, or no such address).
    func address(ofContact id: String, kindSlot: Int) -> String? { contactEntries[id]?.address(kindSlot: kindSlot) }
    /// Contact `id`, shared, with its addresses by kind position (`contactEntries`; nil: no such contact).
    func contactEntry(_ id: String) -> ContactEntry? { contactEntries[id] }

    /// A contact, shared, with its addresses by the position of their kind (`channelKindSlots`).
    struct ContactEntry: Sendable {
        /// The contact (read its parts through `value`).
        let contact: Shared<CompiledContact>
        /// Its address of each kind the channels read, by the kind's position (nil where it has none).
        let addresses: [String?]

        /// The address of the kind at `kindSlot` (nil: none).
        func address(kindSlot: Int) -> String? { addresses[kindSlot] }
    }
    func group(_ id: String) -> CompiledGroup? { groups[id] }
    /// The ids a lone target naming group `id` reaches (`groupReach`; nil: no such group).
    func groupContactIDs(_ id: String) -> [String]? { groupReach[id] }
    func schedule(_ id: String) -> CompiledSchedule? { schedules[id] }
    func calendar(_ id: String) -> CompiledCalendar? { calendars[id] }
    func route(_ id: String) -> CompiledRoute? { routes[id] }
    /// A policy with its own index, by the policy's id.
    func policyIndex(_ id: String) -> PolicyIndex? { policyIndexes[id] }
}

/// One policy, with its nodes, outgoing edges and fields by id (a class, so a step shares it instead of copying the
/// policy).
final class PolicyIndex: Sendable {
    /// The policy.
    let policy: CompiledPolicy
    /// The nodes by id, each behind one reference (`IndexedNode`): a lookup copied the whole node before.
    let nodes: IDTable<IndexedNode>
    /// The nodes in the policy's order (`IndexedNode.targets` are positions in it).
    let nodeList: [IndexedNode]
    /// The hook steps of `acknowledge`, `resolve` and `trigger`, each behind one reference, so `run` reads them in
    /// place instead of copying each out of its list.
    let acknowledgeSteps: [Shared<CompiledStep>]
    let resolveSteps: [Shared<CompiledStep>]
    let triggerSteps: [Shared<CompiledStep>]
    /// The origin of each hook step above (`on resolve #2`), written once: the texts are the same for every incident.
    let acknowledgeOrigins: [String]
    let resolveOrigins: [String]
    let triggerOrigins: [String]
    /// The record of each hook step above when its condition does not hold (`on resolve #3 skipped: …`), written once.
    let acknowledgeSkipped: [String]
    let resolveSkipped: [String]
    let triggerSkipped: [String]
    /// The first line of every incident's timeline: `triggered by policy 'P' (version V)`.
    let triggeredRecord: String
    let outgoing: IDTable<[GraphEdge]>
    let fields: IDTable<CompiledField>
    /// Each layer's name for `layer.name` (its step's name, else its node's label), by the layer's id.
    let layerNames: IDTable<String>
    /// The declared fields in order, each with the check its type asks for.
    let fieldChecks: [FieldCheck]
    /// Each template split into pieces once, its fields shown as this policy declares them (`CompiledMessage`).
    let messages: IDTable<CompiledMessage>
    /// A slot for each field name the policy declares or its messages read (declared fields first, in order): the
    /// incident's fields are read into a list by slot once (`slotValues`, kept beside the state as `FieldSlots`) and a
    /// placeholder reads its slot, instead of hashing the field's name into the incident's `[String: String]`.
    let fieldSlots: IDTable<Int>
    /// The number of slots.
    let slotCount: Int
    /// Each declared field as an `address` target reads it (its slot, address kind and whether it is a list), by name,
    /// the first of duplicate names winning as `fields` answers: the walk reads the field's value at its slot instead
    /// of copying the declaration out of `fields` and hashing its name into the incident's fields with SipHash.
    let addressFields: IDTable<AddressField>

    /// A declared field's slot, address kind (`address` when it has none) and whether it is an `address-list`.
    struct AddressField: Sendable {
        let slot: Int
        let kind: String
        let isList: Bool
    }

    init(_ policy: CompiledPolicy, templates: [String: CompiledTemplate]) {
        self.policy = policy
        let grouped = Dictionary(grouping: policy.edges, by: \.from)
        // Each id's position among the nodes, the first of duplicates winning as the node table's lookup does.
        let positions = Dictionary(policy.nodes.enumerated().map { ($0.element.id, $0.offset) }) { first, _ in first }
        let nodeList = policy.nodes.map { node in
            let outgoing = grouped[node.id] ?? []
            return IndexedNode(node, outgoing: outgoing, targets: outgoing.map { positions[$0.to] ?? -1 })
        }
        self.nodeList = nodeList
        nodes = IDTable(zip(policy.nodes, nodeList).map { ($0.0.id, $0.1) })
        acknowledgeSteps = policy.hooks.acknowledge.map(Shared.init)
        resolveSteps = policy.hooks.resolve.map(Shared.init)
        triggerSteps = (policy.hooks.trigger ?? []).map(Shared.init)
        let acknowledgeOrigins = policy.hooks.acknowledge.indices.map { "on acknowledge #\($0 + 1)" }
        let resolveOrigins = policy.hooks.resolve.indices.map { "on resolve #\($0 + 1)" }
        let triggerOrigins = (policy.hooks.trigger ?? []).indices.map { "on trigger #\($0 + 1)" }
        self.acknowledgeOrigins = acknowledgeOrigins
        self.resolveOrigins = resolveOrigins
        self.triggerOrigins = triggerOrigins
        acknowledgeSkipped = acknowledgeOrigins.map(EngineRun.skippedRecord)
        resolveSkipped = resolveOrigins.map(EngineRun.skippedRecord)
        triggerSkipped = triggerOrigins.map(EngineRun.skippedRecord)
        triggeredRecord = "triggered by policy '\(policy.id)' (version \(policy.version))"
        // Looked up once here: a message naming its layer found the layer's node (copying it) on every render.
        layerNames = IDTable(
            policy.nodes.filter { $0.id.hasPrefix("layer:") }.map { (String($0.id.dropFirst("layer:".count)), $0.step?.name ?? $0.label) })
        outgoing = IDTable(grouped.map { ($0.key, $0.value) })
        let fields = IDTable(policy.fields.map { ($0.name, $0) })
        self.fields = fields
        var slots: [String: Int] = [:]
        for field in policy.fields where slots[field.name] == nil { slots[field.name] = slots.count }
        // Each check with its field's slot (the first of duplicate names, as the slot table answers).
        fieldChecks = policy.fields.map { field in FieldCheck(field, slot: slots[field.name] ?? 0) }
        messages = IDTable(
            templates.map { id, template in
                let message = CompiledMessage(template, fieldKind: { TemplateVariable.fieldKind(type: fields[$0]?.type) }) { name in
                    if let slot = slots[name] { return slot }
                    slots[name] = slots.count
                    return slots.count - 1
                }
                return (id, message)
            })
        fieldSlots = IDTable(slots.map { ($0.key, $0.value) })
        slotCount = slots.count
        addressFields = IDTable(
            policy.fields.map { field in
                let read = AddressFieldRead(field, value: nil)
                return (field.name, AddressField(slot: slots[field.name] ?? 0, kind: read.kind, isList: read.isList))
            })
    }

    /// The incident's `fields` by slot (nil where the incident has no value), in one pass over the dictionary: each
    /// name is found in `fieldSlots` (no SipHash), and names no slot has are skipped.
    func slotValues(_ fields: [String: String]) -> [String?] {
        var values = [String?](repeating: nil, count: slotCount)
        for (name, value) in fields {
            if let slot = fieldSlots[name] { values[slot] = value }
        }
        return values
    }

    /// The node `id`, shared (read its parts through `value`).
    func node(_ id: String) -> IndexedNode? { nodes[id] }
    func edges(from id: String) -> [GraphEdge] { outgoing[id] ?? [] }
    /// The node the edge at `edge` of `node.outgoing` leads to (nil: the policy has no node of that id).
    func target(of node: IndexedNode, edge: Int) -> IndexedNode? {
        let position = node.targets[edge]
        return position >= 0 ? nodeList[position] : nil
    }
    func field(_ name: String) -> CompiledField? { fields[name] }
    func message(_ id: String) -> CompiledMessage? { messages[id] }
    /// The name `layer.name` shows for a layer (nil: the policy has no such layer).
    func layerName(_ layer: String) -> String? { layerNames[layer] }
}
