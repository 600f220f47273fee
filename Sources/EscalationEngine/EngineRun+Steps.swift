import EscalationCore
import EscalationGraph
import Foundation

extension EngineRun {
    /// Runs a step: notifications with channel fallback, tasks and posts (a hook step may have a condition).
    func run(_ step: CompiledStep, origin: String, reason: String, perItems: [String: [String]] = [:]) {
        run(Shared(step), origin: origin, reason: reason, perItems: perItems)
    }

    /// Runs a step read in place from its shared copy (the index keeps the steps of nodes and of the common hooks
    /// shared). A step passed by value was copied whole at every call (memcpy and about 20 retains, released after),
    /// even from the index's immutable storage.
    /// `skipped` is the record of a step whose condition does not hold, when the caller keeps it written
    /// (`PolicyIndex`'s hooks; nil: written here by `skippedRecord`).
    func run(_ step: Shared<CompiledStep>, origin: String, reason: String, perItems: [String: [String]] = [:], skipped: String? = nil) {
        if let condition = step.value.condition,
            !engine.index.conditions.holds(condition, at: now, fields: state.fields, outcome: state.outcome, seen: seen)
        {
            return record(skipped ?? Self.skippedRecord(origin: origin))
        }
        let layer = step.value.id
        // The organisation's contacts are read in place (no copy of each), and whether one is a person the incident
        // carries is known from the walk (no lookup of its id). The recipients are visited without a list of them;
        // `reaches nobody` is recorded after the visit, which then recorded nothing and sent nothing (as before, it
        // comes before the tasks and posts; `copied` records nothing).
        let reach = reached(by: step.value.targets, fields: nil)
        let (ccContacts, ccPeople) = copied(step.value.cc)
        let reachedAny = eachRecipient(of: reach) { recipient in
            let channels = channelsFor(recipient, stepChannels: step.value.channels)
            guard !channels.isEmpty else {
                record("\(origin): no channel reaches \(recipient.id)")
                return
            }
            let key = nextID("n")
            let pending = PendingNotification(
                key: key, contact: recipient.id, channels: channels, index: -1, startedAt: now, template: step.value.template,
                origin: origin, cc: ccContacts, layer: layer,
                person: recipient.person, ccPeople: ccPeople.isEmpty ? nil : ccPeople, alternative: step.value.alternative)
            Self.add(pending, to: &state.pending)
            let first = channels[0]
            // Once resolved (resolve hooks) nothing is sent later: the first channel goes at once, without fallback.
            if first.afterSeconds > 0, isOpen {
                schedule(.fallback(key: key), at: now.adding(seconds: first.afterSeconds))
            } else {
                deliver(key: key, reason: reason)
            }
        }
        if !step.value.targets.isEmpty, !reachedAny {
            record("\(origin) reaches nobody (\(step.value.targets.map(\.description).joined(separator: ", ")))")
        }
        for task in step.value.tasks {
            let shared = task.assignee.map { contactIDs(for: CollectionOfOne($0)) } ?? []
            // `per: FIELD` makes one task per item; an absent or empty list makes none.
            let items = task.per.map { perItems[$0] ?? Engine.listItems(state.fields[$0] ?? "") } ?? [""]
            for item in items {
                // An assignee routed by the `per` field is picked for this item (its row), not for the whole list.
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
                        channel: channel, message: render(post.template, recipient: nil, layer: layer, alternative: step.value.alternative), idempotencyKey: nextID("p"),
                        origin: origin)))
        }
    }

    /// Appends `pending` to the list passed in place: one exclusivity check of the run's state for the reserve and
    /// the append, and the notification moved in (`consuming`; borrowed, it was copied into the list, about 380
    /// instructions an event more than the two checks it saved). An empty list (a new incident's, or one emptied by an
    /// acknowledgement) gets room for four at once: it was reallocated at every append that found it full (every one
    /// in the benchmark, about 330 instructions each).
    private static func add(_ pending: consuming PendingNotification, to list: inout [PendingNotification]) {
        if list.capacity == 0 { list.reserveCapacity(4) }
        list.append(pending)
    }

    /// The record of a step from `origin` whose condition does not hold (written once per hook by `PolicyIndex`).
    static func skippedRecord(origin: String) -> String { "\(origin) skipped: its condition does not hold" }

    /// Sends a pending notification on its next item (each channel of a group at once) and arms the timer for the one
    /// after: at `start + after`, or `unanswered` after now. Every delivery of a notification renders the same message
    /// (the layer it started in). After resolution there is no fallback.
    func deliver(key: String, reason: String) {
        guard let index = state.pending.firstIndex(where: { $0.key == key }) else { return }
        // Changed where it is kept and read in the same access (a copy changed and written back cost a copy and a
        // destroy more; four writes and a read were five exclusivity checks of the run's state).
        let pending = state.pending[index].movedToNextItem()
        guard pending.index < pending.channels.count else {
            state.pending.remove(at: index)
            return record("no channel left for \(pending.contact) (\(pending.origin))")
        }
        let use = pending.channels[pending.index]
        // The recipient's id and name alone: an organisation's contact is read in place, not copied, and found once with
        // its addresses (`contactEntry`: a lookup for the name and another for each address cost two of the same id).
        // A person's addresses are taken here once: reading `pending.person` again for each member channel copied the
        // whole person (its id, name, addresses and preferences) each time.
        let known: GraphIndex.ContactEntry?
        let recipient: MessageRecipient?
        let personAddresses: [String: String]?
        if let person = pending.person {
            known = nil
            recipient = MessageRecipient(id: person.id, name: person.name)
            personAddresses = person.addresses
        } else {
            known = engine.index.contactEntry(pending.contact)
            recipient = known.map { MessageRecipient(id: $0.contact.value.id, name: $0.contact.value.name) }
            personAddresses = nil
        }
        let message = render(pending.template, recipient: recipient, layer: pending.layer, alternative: pending.alternative)
        // A group's channels, else the item's one channel (`use.channels` built a one-element list for it).
        let members = use.all
        for member in 0..<(members?.count ?? 1) {
            let id = members?[member] ?? use.channel
            // The channel's address kind and its position in one lookup, and the copied people's addresses read where
            // they are: no copy of the channel, and no list of the copied contacts built first.
            // An organisation's contact's address is read by the kind's position (`GraphIndex.contactEntries`): no
            // copy of the contact and no hash of the kind; a person the incident carries has only its own map.
            let channelKind = engine.index.kind(ofChannel: id)
            let address: String?
            if let personAddresses {
                address = channelKind.flatMap { Self.address(in: personAddresses, kind: $0.kind) }
            } else {
                address = channelKind.flatMap { known?.address(kindSlot: $0.slot) }
            }
            var cc: [String] = []
            if let channelKind {
                // Room for every copy at once: grown one append at a time, the list was reallocated for the second.
                let copies = pending.cc.count + (pending.ccPeople?.count ?? 0)
                if copies > 1 { cc.reserveCapacity(copies) }
                for copied in pending.cc {
                    if let reached = engine.index.address(ofContact: copied, kindSlot: channelKind.slot) { cc.append(reached) }
                }
                for person in pending.ccPeople ?? [] {
                    if let reached = Self.address(in: person.addresses, kind: channelKind.kind) { cc.append(reached) }
                }
            }
            effects.append(
                .notify(
                    Effect.Notification(
                        contact: pending.contact, name: recipient?.name ?? pending.contact, channel: id, address: address, cc: cc, message: message,
                        idempotencyKey: KeyText.key(key, number: pending.index, member: use.isGroup ? member : nil), notificationKey: key,
                        origin: pending.origin, reason: reason)))
        }
        guard isOpen else {
            state.pending.remove(at: index)
            return
        }
        let nextIndex = pending.index + 1
        guard nextIndex < pending.channels.count else { return }
        let next = pending.channels[nextIndex]
        if let wait = next.unansweredSeconds, wait > 0 {
            schedule(.fallback(key: key), at: now.adding(seconds: wait))
        } else if next.afterSeconds > 0 {
            let at = pending.startedAt.adding(seconds: next.afterSeconds)
            if at > now { schedule(.fallback(key: key), at: at) }
        }
    }

    /// Moves a notification to its next item now (after a failure, no answer, or its delay).
    func nextChannel(key: String, reason: String) {
        cancelTimers { if case .fallback(let timerKey) = $0 { return timerKey == key }; return false }
        // Read where it is kept: copying the notification out to read two numbers cost a copy and a destroy of it.
        guard let index = state.pending.firstIndex(where: { $0.key == key }) else { return }
        if state.pending[index].index + 1 >= state.pending[index].channels.count {
            let contact = state.pending[index].contact
            let origin = state.pending[index].origin
            state.pending.removeAll { $0.key == key }
            return record("all channels tried for \(contact) (\(origin))")
        }
        deliver(key: key, reason: reason)
    }

    /// Drops every pending fallback (after acknowledge or resolve).
    func cancelFallbacks() {
        cancelTimers { if case .fallback = $0 { return true }; return false }
        state.pending.removeAll()
    }

    /// The contacts a list of targets reaches now, in order, without repeats; people outside the organisation whose
    /// addresses the incident carries come as contacts that cannot acknowledge.
    func contacts(for targets: some Collection<CompiledTarget>, fields given: [String: String]? = nil) -> [CompiledContact] {
        recipients(for: targets, fields: given).map(\.contact)
    }

    /// `contacts(for:fields:)` without copying the organisation's contacts: each is read in place from the index.
    func recipients(for targets: some Collection<CompiledTarget>, fields given: [String: String]? = nil) -> [Recipient] {
        let reach = reached(by: targets, fields: given)
        var recipients: [Recipient] = []
        recipients.reserveCapacity(reach.ids.count)
        eachRecipient(of: reach) { recipients.append($0) }
        return recipients
    }

    /// Hands `body` each recipient of a walk in order, as `recipients(for:)` lists them: a person the incident carries,
    /// else the organisation's contact read in place (an id that is neither is skipped). A step's run visits them
    /// without the list (an allocation and a free per step). Returns whether there was any.
    @discardableResult
    func eachRecipient(of reach: Reach, _ body: (Recipient) -> Void) -> Bool {
        var any = false
        for id in reach.ids {
            if let person = reach.person(id) {
                any = true
                body(.person(person))
            } else if let known = engine.index.sharedContact(id) {
                any = true
                body(.contact(known))
            }
        }
        return any
    }

    /// Someone a step reaches: a contact of the organisation (shared, read in place) or a person the incident carries.
    enum Recipient {
        case contact(Shared<CompiledContact>)
        case person(CompiledContact)

        /// The contact's id (the organisation's spelling of it, for a contact).
        var id: String {
            switch self {
            case .contact(let known): return known.value.id
            case .person(let person): return person.id
            }
        }

        /// The addresses by kind.
        var addresses: [String: String] {
            switch self {
            case .contact(let known): return known.value.addresses
            case .person(let person): return person.addresses
            }
        }

        /// The channels the contact prefers (none for a person).
        var preferences: [ChannelUse] {
            switch self {
            case .contact(let known): return known.value.preferences
            case .person(let person): return person.preferences
            }
        }

        /// The person the incident carries (nil: a contact of the organisation).
        var person: CompiledContact? {
            if case .person(let person) = self { return person }
            return nil
        }

        /// The contact whole (a copy, for an organisation's contact).
        var contact: CompiledContact {
            switch self {
            case .contact(let known): return known.value
            case .person(let person): return person
            }
        }
    }

    /// The ids of `contacts(for:fields:)`, the same list without keeping each contact (for copies and assignees).
    func contactIDs(for targets: some Collection<CompiledTarget>, fields given: [String: String]? = nil) -> [String] {
        // A lone group (a task's usual assignee): its ids do not depend on the incident, so the index keeps them.
        if let members = loneGroupIDs(targets) { return members }
        let reach = reached(by: targets, fields: given)
        var ids: [String] = []
        ids.reserveCapacity(reach.ids.count)
        for id in reach.ids {
            // The declared spelling of the id, read in place from the shared contact.
            if let found = reach.person(id)?.id ?? engine.index.sharedContact(id)?.value.id { ids.append(found) }
        }
        return ids
    }

    /// Those a step copies (`cc`): the organisation's contacts by id and the people the incident carries whole, each in
    /// the order `contacts(for:)` reaches them.
    func copied(_ targets: [CompiledTarget]) -> (contacts: [String], people: [CompiledContact]) {
        if let members = loneGroupIDs(targets) { return (members, []) }
        var reach = reached(by: targets, fields: nil)
        if reach.people.isEmpty {
            // No people (the usual `cc`): the walk's own list becomes the contacts' ids in place, no second list.
            var kept = 0
            for index in reach.ids.indices {
                guard let contact = engine.index.sharedContact(reach.ids[index])?.value.id else { continue }
                reach.ids[kept] = contact
                kept += 1
            }
            reach.ids.removeLast(reach.ids.count - kept)
            return (reach.ids, [])
        }
        var contacts: [String] = []
        var people: [CompiledContact] = []
        for id in reach.ids {
            if let person = reach.person(id) {
                people.append(person)
            } else if let contact = engine.index.sharedContact(id)?.value.id {
                contacts.append(contact)
            }
        }
        return (contacts, people)
    }

    /// The ids a list of one `group` target reaches, kept by the index (`GraphIndex.groupReach`: the walk's
    /// rule applied once per group); nil for any other list, which the walk reads.
    func loneGroupIDs(_ targets: some Collection<CompiledTarget>) -> [String]? {
        guard targets.count == 1, let only = targets.first, only.kind == "group" else { return nil }
        return engine.index.groupContactIDs(only.ref) ?? []
    }

    /// What a list of targets reaches: every id named (declared or not), in order, without repeats, and the people
    /// outside the organisation that address targets give (`contacts(for:fields:)` reads a contact for each id).
    struct Reach {
        /// The ids named, first kept.
        var ids: [String] = []
        /// People the incident carries, the first for each id.
        var people: [CompiledContact] = []

        /// The person whose id is `id`, if an address target gave one.
        func person(_ id: String) -> CompiledContact? {
            people.isEmpty ? nil : people.first { $0.id == id }
        }

        /// Drops repeated ids (by `==`, canonically equal spellings included), keeping the first of each in order: a
        /// few compared directly, many through a set.
        static func dropRepeats(_ ids: inout [String]) {
            guard ids.count > 1 else { return }
            if ids.count <= 16 {
                var kept = 1
                for index in 1..<ids.count where !ids[..<kept].contains(ids[index]) {
                    ids.swapAt(kept, index)
                    kept += 1
                }
                ids.removeLast(ids.count - kept)
            } else {
                var seen = Set<String>()
                ids = ids.filter { seen.insert($0).inserted }
            }
        }
    }

    /// The one walk of the targets behind `contacts(for:)` and `contactIDs(for:)`. No list is made for no targets, and
    /// repeats are dropped in place (a few ids compared directly, many through a set).
    func reached(by targets: some Collection<CompiledTarget>, fields given: [String: String]?) -> Reach {
        var reach = Reach()
        guard !targets.isEmpty else { return reach }
        // The fields by name are read where a target asks for them (`given ?? state.fields` at each use): read once
        // before the walk, they cost an exclusivity check of the run's state and a retain and release on every walk,
        // though most walks (contacts, groups, schedules, fields and addresses read by slot) never use them.
        reach.ids.reserveCapacity(max(4, targets.count))
        for target in targets {
            switch target.kind {
            case "contact": reach.ids.append(target.ref)
            case "group": reach.ids += engine.index.group(target.ref)?.members ?? []
            case "schedule":
                if let who = engine.index.schedule(target.ref)?.onCall(at: now, calendars: graph.calendars)?.contact { reach.ids.append(who) }
            case "field":
                // The state's own fields are read at the field's slot when it has one (`fieldSlots`, the byte table; the
                // values kept beside the state): hashing the name into the fields with SipHash cost about 570
                // instructions a read. Fields given by the caller, or a name without a slot, are read by name.
                let value: String?
                if given == nil, let slot = nodes.fieldSlots[target.ref] { value = slotRead().values[slot] } else { value = (given ?? state.fields)[target.ref] }
                if let value { TargetResolver.appendListItems(value, to: &reach.ids) }
            case "route":
                // A route row names contacts, groups and schedules (never another route), resolved like any target.
                let fields = given ?? state.fields
                let picked = engine.index.route(target.ref)?.targets(fields: fields) ?? []
                reach.ids += contactIDs(for: picked.filter { $0.kind != "route" }, fields: fields)
            case "address":
                // The people's rule is `RuleGraph.addressRecipients`, read without a copy of the graph. The state's own
                // fields are read at their slots (`addressFields`): each declaration copied out of the index and each
                // name hashed into the fields with SipHash cost about 1,100 instructions a field.
                let people: [CompiledContact]
                if let given {
                    people = RuleGraph.addressRecipients(of: target, declaredBy: nodes.field, fields: given)
                } else {
                    let values = slotRead().values
                    let declared = nodes.addressFields
                    people = RuleGraph.addressRecipients(of: target) { name in
                        declared[name].map { AddressFieldRead(value: values[$0.slot], kind: $0.kind, isList: $0.isList) }
                    }
                }
                for person in people where !engine.index.isContact(person.id) {
                    if reach.person(person.id) == nil { reach.people.append(person) }
                    reach.ids.append(person.id)
                }
            default: break
            }
        }
        Reach.dropRepeats(&reach.ids)
        return reach
    }

    /// The channels to try for a contact: the step's, else the contact's preferences, else the first channel
    /// that can reach one of the contact's addresses. Channels the contact has no address for are dropped.
    /// (It takes the step's channels, not the step: a step passed by value was copied whole.)
    func channelsFor(_ recipient: Recipient, stepChannels: [ChannelUse]) -> [ChannelUse] {
        let addresses = recipient.addresses
        let candidates = !stepChannels.isEmpty ? stepChannels : recipient.preferences
        if candidates.isEmpty {
            return graph.channels.first { Self.address(in: addresses, kind: $0.addressKind) != nil }.map { [ChannelUse(channel: $0.id, afterSeconds: 0)] } ?? []
        }
        let index = engine.index
        // Every candidate a single channel the recipient has an address for (the usual case): the list itself, shared,
        // instead of a new one with the same uses. From the first use that is a group or is dropped, as before. (The
        // test is written out here: a closure kept in a `let` for both uses was allocated on the heap per call.)
        var whole = 0
        while whole < candidates.count, candidates[whole].all == nil, let kind = index.addressKind(ofChannel: candidates[whole].channel),
            Self.address(in: addresses, kind: kind) != nil
        {
            whole += 1
        }
        if whole == candidates.count { return candidates }
        var kept = Array(candidates[..<whole])
        for use in candidates[whole...] {
            if let use = use.keeping({ index.addressKind(ofChannel: $0).map { Self.address(in: addresses, kind: $0) != nil } ?? false }) { kept.append(use) }
        }
        return kept
    }

    /// The value of one template variable (nil: no such variable), computed only when a template asks for it. A field
    /// with a slot is read by `field(slot:)` instead; one without is read here by name.
    func variable(_ variable: TemplateVariable, recipient: MessageRecipient?, layer: String?, alternative: String?) -> String? {
        let zone = engine.zone
        let base = engine.links.baseURL
        switch variable {
        case .incidentID: return state.id
        case .incidentTitle: return state.title
        case .incidentStartedAt: return ZonedTime.display(state.triggeredAt, in: zone)
        case .incidentURL: return base.map { "\($0)/v1/incidents/\(state.id)" } ?? "(incident link)"
        // A placeholder the executor signs when it sends (the engine reads no clock and holds no key).
        case .incidentAckURL: return link(.acknowledge, plain: "(acknowledge link)", recipient: recipient)
        case .incidentResolveURL: return link(.resolve, plain: "(resolve link)", recipient: recipient)
        case .incidentEscalateURL: return link(.escalate, plain: "(escalate link)", recipient: recipient)
        case .incidentReplyCode: return state.replyCode ?? "(reply code)"
        case .incidentStatus: return state.status.rawValue
        case .incidentStage: return state.stage ?? "none"
        case .incidentOutcome: return state.outcome ?? "none"
        case .incidentScope: return (state.openScopes + state.resolvedScopes).joined(separator: ", ")
        case .incidentReports: return String(state.reports ?? 1)
        case .incidentResolvedScope: return state.resolvedScopes.last ?? "none"
        case .incidentOpenScopes: return state.openScopes.isEmpty ? "none" : state.openScopes.joined(separator: ", ")
        case .organisationID: return graph.organisation
        case .organisationName: return graph.name
        case .policyID: return policy.id
        case .policyName: return policy.name
        case .layerID: return layer ?? "none"
        case .layerName:
            return alternative ?? layer.flatMap(nodes.layerName) ?? "none"
        case .recipientID: return recipient?.id ?? "all"
        case .recipientName: return recipient?.name ?? "all"
        case .now: return ZonedTime.display(now, in: zone)
        case .unknown:
            return nil
        case .field(let field, let kind):
            return state.fields[field].map { shown($0, kind: kind) }
        }
    }

    /// A field's value as a message shows it.
    func shown(_ value: String, kind: TemplateVariable.FieldKind) -> String {
        switch kind {
        case .plain: return value
        case .contact: return engine.index.contact(value)?.name ?? value
        // The names people are addressed by (the address when no name is given).
        case .address: return IncidentAddress.entries(value).map { $0.name ?? $0.address }.joined(separator: ", ")
        }
    }

    /// An action link's placeholder, or `plain` (`(acknowledge link)`, a literal: no text built per message) when the
    /// server has no base URL.
    private func link(_ action: ActionLink.Action, plain: String, recipient: MessageRecipient?) -> String {
        engine.links.baseURL == nil ? plain : ActionLink(action: action, incident: state.id, recipient: recipient?.id ?? "").placeholder
    }

    /// A template rendered for a recipient.
    func render(_ template: String?, recipient: MessageRecipient?, layer: String?, alternative: String? = nil) -> RenderedMessage {
        guard engine.rendersMessages else { return RenderedMessage(template: template, subject: nil, body: "") }
        guard let id = template, let compiled = nodes.message(id) else {
            return RenderedMessage(template: template, subject: nil, body: state.title)
        }
        // The fields by slot, fetched once for the render (and only when a placeholder reads one).
        let slotValues = compiled.readsSlots ? slotRead().values : nil
        // The closures are written where they are passed: kept in a `let` for both renders, the one capturing the
        // recipient, layer and alternative had its context allocated on the heap for every message.
        var subject: String?
        if let text = compiled.subject {
            subject = CompiledMessage.render(
                text, slotValues: slotValues, shown: { self.shown($0, kind: $1) },
                value: { self.variable($0, recipient: recipient, layer: layer, alternative: alternative) })
        }
        let body = CompiledMessage.render(
            compiled.body, slotValues: slotValues, shown: { self.shown($0, kind: $1) },
            value: { self.variable($0, recipient: recipient, layer: layer, alternative: alternative) })
        return RenderedMessage(template: id, subject: subject, body: body)
    }
}

extension EngineRun {
    /// The channel of a post or stage: its own, or the one its channel route picks by the incident's fields (nil, with a
    /// record, when the route has no row for the value and no default).
    func channel(_ channel: String, route: String?, what: String) -> String? {
        guard let route else { return channel }
        guard let table = engine.index.route(route) else {
            record("\(what) skipped: route '\(route)' is not declared")
            return nil
        }
        guard let picked = table.channel(fields: state.fields) else {
            record("\(what) skipped: route '\(route)' has no channel for \(table.field) = \(state.fields[table.field].map { "'\($0)'" } ?? "(not given)")")
            return nil
        }
        return picked
    }

    /// What `when: { seen: … }` tests against: the signals received and the stages posted so far.
    var seen: [String] { (state.signalsSeen ?? []) + (state.postedStages ?? []) }
}
