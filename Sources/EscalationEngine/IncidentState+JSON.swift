import EscalationCore
import EscalationGraph

extension IncidentState {
    /// The state's compact JSON as `JSONEncoder` with `.sortedKeys` writes it, byte for byte, written by hand: the
    /// store writes it on every transition, and the encoder's generic pass over the nested state was its main cost.
    public var sortedJSON: String {
        var writer = JSONWriter(.compact, escapesSlashes: true)
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension JSONWriter {
    fileprivate mutating func write(_ state: IncidentState) {
        beginObject()
        optionalMember("acknowledgedBy", state.acknowledgedBy)
        key("appliedActions")
        strings(state.appliedActions)
        optionalMember("cursor", state.cursor)
        optionalMember("dedupKey", state.dedupKey)
        key("fields")
        map(state.fields)
        member("id", state.id)
        optionalMember("ladderEnd", state.ladderEnd)
        key("openScopes")
        strings(state.openScopes)
        optionalMember("outcome", state.outcome)
        key("pass")
        integer(Int64(state.pass))
        key("pending")
        beginArray()
        for notification in state.pending {
            element()
            write(notification)
        }
        endArray()
        member("policy", state.policy)
        if let posted = state.postedStages {
            key("postedStages")
            strings(posted)
        }
        optionalMember("replyCode", state.replyCode)
        if let reports = state.reports {
            key("reports")
            integer(Int64(reports))
        }
        optionalMember("resolvedBy", state.resolvedBy)
        key("resolvedScopes")
        strings(state.resolvedScopes)
        key("sequence")
        integer(Int64(state.sequence))
        if let seen = state.signalsSeen {
            key("signalsSeen")
            strings(seen)
        }
        if let snoozed = state.snoozedUntil {
            key("snoozedUntil")
            write(snoozed)
        }
        optionalMember("stage", state.stage)
        member("status", state.status.rawValue)
        key("timers")
        beginArray()
        for timer in state.timers {
            element()
            write(timer)
        }
        endArray()
        member("title", state.title)
        key("triggeredAt")
        write(state.triggeredAt)
        member("version", state.version)
        endObject()
    }

    private mutating func write(_ notification: PendingNotification) {
        beginObject()
        optionalMember("alternative", notification.alternative)
        if let answered = notification.answered {
            key("answered")
            bool(answered)
        }
        key("cc")
        strings(notification.cc)
        if let people = notification.ccPeople {
            key("ccPeople")
            beginArray()
            for person in people {
                element()
                write(person)
            }
            endArray()
        }
        key("channels")
        write(notification.channels)
        member("contact", notification.contact)
        if let failed = notification.failed {
            key("failed")
            strings(failed)
        }
        key("index")
        integer(Int64(notification.index))
        member("key", notification.key)
        optionalMember("layer", notification.layer)
        member("origin", notification.origin)
        if let person = notification.person {
            key("person")
            write(person)
        }
        key("startedAt")
        write(notification.startedAt)
        optionalMember("template", notification.template)
        if let unanswered = notification.unanswered {
            key("unanswered")
            strings(unanswered)
        }
        endObject()
    }

    private mutating func write(_ contact: CompiledContact) {
        beginObject()
        key("addresses")
        map(contact.addresses)
        key("canAcknowledge")
        bool(contact.canAcknowledge)
        member("id", contact.id)
        member("name", contact.name)
        key("preferences")
        write(contact.preferences)
        endObject()
    }

    private mutating func write(_ uses: [ChannelUse]) {
        beginArray()
        for use in uses {
            element()
            beginObject()
            key("afterSeconds")
            integer(Int64(use.afterSeconds))
            if let all = use.all {
                key("all")
                strings(all)
            }
            member("channel", use.channel)
            if let seconds = use.unansweredSeconds {
                key("unansweredSeconds")
                integer(Int64(seconds))
            }
            endObject()
        }
        endArray()
    }

    private mutating func write(_ timer: PendingTimer) {
        beginObject()
        key("at")
        write(timer.at)
        member("id", timer.id)
        key("purpose")
        beginObject()
        switch timer.purpose {
        case .ladder(let node): associated("ladder", "node", node)
        case .repeatPass: associated("repeatPass", nil, nil)
        case .reminder: associated("reminder", nil, nil)
        case .fallback(let key): associated("fallback", "key", key)
        case .stageExpiry(let stage): associated("stageExpiry", "stage", stage)
        case .snooze: associated("snooze", nil, nil)
        case .deadline(let id): associated("deadline", "id", id)
        case .watchdog(let id): associated("watchdog", "id", id)
        }
        endObject()
        endObject()
    }

    /// An enum case as the synthesized coding writes it: `"case":{"label":"value"}`, or `"case":{}` without values.
    private mutating func associated(_ name: String, _ label: String?, _ value: String?) {
        key(name)
        beginObject()
        if let label, let value { member(label, value) }
        endObject()
    }

    private mutating func write(_ instant: Instant) {
        beginObject()
        key("seconds")
        integer(instant.seconds)
        endObject()
    }

    private mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    private mutating func optionalMember(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }
}
