import EscalationCore
import Yams

extension DocumentReader {
    func organisationHeader(_ node: Node) -> OrganisationHeader? {
        let what = "the organisation section"
        guard let map = fields(node, what: what, allowed: ["id", "name", "timezone", "default_calendar", "calendars"]) else {
            return nil
        }
        let id = map.required("id").flatMap { identifier($0, what: "the organisation id") }
        let name = map.required("name").flatMap { string($0, what: "the organisation name") }
        let timezone = map.required("timezone", hint: "add 'timezone:' with an IANA name, e.g. 'timezone: America/Chicago'")
            .flatMap { self.timezone($0, what: "the organisation timezone") }
        let defaultCalendar = map["default_calendar"].flatMap { identifier($0, what: "default_calendar") }
        let calendars = map["calendars"].map { node in
            entries(node, what: "calendars").compactMap { calendar(id: $0.id, node: $0.value) }
        } ?? []
        guard let id, let name, let timezone else { return nil }
        return OrganisationHeader(
            id: id, name: name, timezone: timezone, defaultCalendar: defaultCalendar, calendars: calendars,
            location: map.location)
    }

    func calendar(id: Located<String>, node: Node) -> BusinessCalendar? {
        let what = "calendar '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["timezone", "hours", "holidays"]) else { return nil }
        let zone = map["timezone"].flatMap { timezone($0, what: "the timezone of \(what)") }
        let hours = map.required("hours").map { list($0, what: "hours of \(what)").compactMap { openHours($0, what: what) } } ?? []
        let holidays = map["holidays"].map { list($0, what: "holidays of \(what)").compactMap { holiday($0, what: what) } } ?? []
        return BusinessCalendar(id: id, timezone: zone, hours: hours, holidays: holidays)
    }

    private func openHours(_ node: Node, what: String) -> BusinessCalendar.OpenHours? {
        let entry = "an hours entry of \(what)"
        guard let map = fields(node, what: entry, allowed: ["days", "from", "to"]) else { return nil }
        let days = map.required("days").map { list($0, what: "days").compactMap { choice($0, what: "day", as: Weekday.self)?.value } }
        let from = map.required("from").flatMap { timeOfDay($0, what: "'from'") }
        let to = map.required("to").flatMap { timeOfDay($0, what: "'to'") }
        guard let days, let from, let to else { return nil }
        guard to.value > from.value else {
            sink.add(
                LoadProblem.invalidTime(
                    "'to' (\(to.value)) must be after 'from' (\(from.value)) in \(entry)", at: to.location,
                    hint: "split hours that cross midnight into two entries, e.g. 22:00–24:00 and 00:00–06:00 on the next day"))
            return nil
        }
        return BusinessCalendar.OpenHours(days: days, from: from.value, to: to.value, location: map.location)
    }

    private func holiday(_ node: Node, what: String) -> BusinessCalendar.Holiday? {
        if case .mapping = node {
            guard let map = fields(node, what: "a holiday of \(what)", allowed: ["date", "name"]) else { return nil }
            let name = map["name"].flatMap { string($0, what: "holiday name") }
            guard let date = map.required("date").flatMap({ date($0, what: "holiday date") }) else { return nil }
            return BusinessCalendar.Holiday(date: date.value, name: name?.value, location: date.location)
        }
        guard let date = date(node, what: "a holiday of \(what)") else { return nil }
        return BusinessCalendar.Holiday(date: date.value, name: nil, location: date.location)
    }

    func contact(id: Located<String>, node: Node) -> Contact? {
        let what = "contact '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["name", "kind", "addresses", "preferences", "timezone"]) else {
            return nil
        }
        let name = map.required("name").flatMap { string($0, what: "the name of \(what)") }
        let kind = map["kind"].flatMap { choice($0, what: "the kind of \(what)", as: Contact.Kind.self) }
        var addresses: [(kind: Located<String>, value: Located<String>)] = []
        if let node = map.required("addresses", hint: "add 'addresses:' with at least one address, e.g. 'email: \(id.value)@example.org'") {
            for entry in entries(node, what: "the addresses of \(what)") {
                if let value = string(entry.value, what: "address '\(entry.id.value)' of \(what)") {
                    addresses.append((entry.id, value))
                }
            }
        }
        let preferences = map["preferences"].map { channelSteps($0, what: "preferences of \(what)") } ?? []
        let zone = map["timezone"].flatMap { timezone($0, what: "the timezone of \(what)") }
        guard let name else { return nil }
        return Contact(
            id: id, name: name, kind: kind?.value ?? .person, addresses: addresses, preferences: preferences, timezone: zone)
    }

    func group(id: Located<String>, node: Node) -> ContactGroup? {
        let what = "group '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["name", "members"]) else { return nil }
        let name = map.required("name").flatMap { string($0, what: "the name of \(what)") }
        let members = map.required("members").map { list($0, what: "members of \(what)").compactMap { identifier($0, what: "member") } }
        if let members, members.isEmpty, let node = map["members"] {
            sink.add(LoadProblem.invalidValue("\(what) has no members", at: location(node), hint: "list at least one contact id"))
        }
        guard let name else { return nil }
        return ContactGroup(id: id, name: name, members: members ?? [])
    }

    func schedule(id: Located<String>, node: Node) -> Schedule? {
        let what = "schedule '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["name", "timezone", "rotation", "overrides"]) else { return nil }
        let name = map.required("name").flatMap { string($0, what: "the name of \(what)") }
        let zone = map["timezone"].flatMap { timezone($0, what: "the timezone of \(what)") }
        var rotation: Schedule.Rotation?
        if let node = map.required("rotation"),
            let rotationMap = fields(node, what: "the rotation of \(what)", allowed: ["members", "shift", "start", "during"])
        {
            let members = rotationMap.required("members").map {
                list($0, what: "rotation members").compactMap { identifier($0, what: "rotation member") }
            }
            let shift = rotationMap.required("shift").flatMap { duration($0, what: "the shift length", allowBusiness: false) }
            let start = rotationMap.required("start").flatMap { instant($0, what: "the rotation start") }
            let during = rotationMap["during"].flatMap { identifier($0, what: "calendar") }
            if let shift, shift.value.seconds <= 0 {
                sink.add(LoadProblem.invalidValue("the shift length of \(what) must be longer than zero", at: shift.location))
            }
            if let members, members.isEmpty {
                sink.add(LoadProblem.invalidValue("the rotation of \(what) has no members", at: rotationMap.location))
            }
            if let members, let shift, let start, shift.value.seconds > 0 {
                rotation = Schedule.Rotation(members: members, shift: shift, start: start, during: during)
            }
        }
        let overrides = map["overrides"].map { node in
            list(node, what: "overrides of \(what)").compactMap { item -> Schedule.Override? in
                guard let entry = fields(item, what: "an override of \(what)", allowed: ["contact", "from", "to"]) else { return nil }
                let contact = entry.required("contact").flatMap { identifier($0, what: "override contact") }
                let from = entry.required("from").flatMap { instant($0, what: "override start") }
                let to = entry.required("to").flatMap { instant($0, what: "override end") }
                guard let contact, let from, let to else { return nil }
                return Schedule.Override(contact: contact, from: from, to: to)
            }
        } ?? []
        guard let name else { return nil }
        return Schedule(id: id, name: name, timezone: zone, rotation: rotation, overrides: overrides)
    }

    func channel(id: Located<String>, node: Node) -> ChannelConfig? {
        let what = "channel '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["plugin", "address", "settings", "description"]) else { return nil }
        let plugin = map.required("plugin", hint: "name the plugin that delivers this channel, e.g. 'plugin: email'")
            .flatMap { identifier($0, what: "the plugin of \(what)") }
        let address = map["address"].flatMap { identifier($0, what: "the address kind of \(what)") }
        let description = map["description"].flatMap { string($0, what: "description") }
        var settings: SettingValue?
        if let node = map["settings"] {
            if case .mapping = node { settings = settingValue(node) } else { wrongType(node, expected: "a map", what: "the settings of \(what)") }
        }
        guard let plugin else { return nil }
        return ChannelConfig(id: id, plugin: plugin, address: address, settings: settings, description: description?.value)
    }

    func settingValue(_ node: Node) -> SettingValue {
        switch node {
        case .scalar(let scalar):
            return isNull(node) ? .null(location(node)) : .scalar(scalar.string, location(node))
        case .sequence(let sequence):
            return .list(sequence.map(settingValue), location(node))
        case .mapping:
            let pairs = pairs(node, what: "settings") ?? []
            return .map(pairs.map { (Located($0.key, at: location($0.keyNode)), settingValue($0.value)) }, location(node))
        case .alias:
            return .null(location(node))
        }
    }

    func template(id: Located<String>, node: Node) -> MessageTemplate? {
        let what = "template '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["subject", "body"]) else { return nil }
        let subjectNode = map["subject"]
        let bodyNode = map.required("body")
        let subject = subjectNode.flatMap { string($0, what: "the subject of \(what)") }
        let body = bodyNode.flatMap { string($0, what: "the body of \(what)") }
        var variables: [Located<String>] = []
        for (node, text) in [(subjectNode, subject), (bodyNode, body)] {
            guard let node, let text, let mark = node.mark else { continue }
            variables += TemplateText.variables(in: text.value, what: what, source: source, mark: mark, sink: sink)
        }
        guard let body else { return nil }
        return MessageTemplate(id: id, subject: subject, body: body, variables: variables)
    }

    /// `[sms, {channel: email, after: 5m}]`.
    func channelSteps(_ node: Node, what: String) -> [ChannelStep] {
        list(node, what: what).compactMap { item in
            if case .mapping = item {
                guard let map = fields(item, what: "a channel in \(what)", allowed: ["channel", "after"]) else { return nil }
                let after = map["after"].flatMap { duration($0, what: "'after'", allowBusiness: false) }
                guard let channel = map.required("channel").flatMap({ identifier($0, what: "channel") }) else { return nil }
                return ChannelStep(channel: channel, after: after)
            }
            return identifier(item, what: "channel").map { ChannelStep(channel: $0, after: nil) }
        }
    }
}
