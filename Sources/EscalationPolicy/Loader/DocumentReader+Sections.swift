import EscalationCore
import EscalationYAML
import Foundation

extension DocumentReader {
    /// The `organisation:` section; `owner` is the location of its key.
    func organisationHeader(_ node: YAMLNode, owner: SourceLocation?) -> OrganisationHeader? {
        let what = "the organisation section"
        guard
            let map = fields(
                node, what: what, allowed: ["id", "name", "timezone", "default_calendar", "calendars"], owner: owner,
                hint: "write the section as a map with id, name and timezone")
        else {
            return nil
        }
        let id = map.required("id", example: "id: acme").flatMap { identifier($0, what: "\(what): id") }
        let name = map.required("name", example: "name: Acme").flatMap { string($0, what: "\(what): name") }
        let timezone = map.required(
            "timezone", hint: "add 'timezone:' with an IANA name, e.g. 'timezone: America/Chicago'",
            example: "timezone: America/Chicago"
        )
        .flatMap { self.timezone($0, what: "\(what): timezone") }
        let defaultCalendar = map["default_calendar"].flatMap { identifier($0, what: "\(what): default_calendar") }
        let calendars = map["calendars"].map { node in
            entries(node, what: "the calendars of \(what)", hint: "key each calendar by its id, e.g. 'office-hours: { hours: [...] }'")
                .compactMap { entry in tracking(ModelItem(.calendar, entry.id.value)) { calendar(id: entry.id, node: entry.value) } }
        } ?? []
        guard let id, let name, let timezone else { return nil }
        return OrganisationHeader(
            id: id, name: name, timezone: timezone, defaultCalendar: defaultCalendar, calendars: calendars,
            location: map.location)
    }

    func calendar(id: Located<String>, node: YAMLNode) -> BusinessCalendar? {
        let what = "calendar '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["timezone", "hours", "holidays"], owner: id.location) else { return nil }
        let zone = map["timezone"].flatMap { timezone($0, what: "\(what): timezone") }
        let hours = map.required(
            "hours", hint: "add 'hours:' with the open hours, e.g. '- { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }'"
        )
        .map { list($0, what: "\(what): hours").compactMap { openHours($0, what: what) } } ?? []
        let holidays = map["holidays"].map { list($0, what: "\(what): holidays").compactMap { holiday($0, what: what) } } ?? []
        return BusinessCalendar(id: id, timezone: zone, hours: hours, holidays: holidays)
    }

    private func openHours(_ node: YAMLNode, what: String) -> BusinessCalendar.OpenHours? {
        let entry = "an hours entry of \(what)"
        guard
            let map = fields(
                node, what: entry, allowed: ["days", "from", "to"],
                hint: "write each entry as '- { days: [mon, tue], from: \"09:00\", to: \"17:00\" }'")
        else { return nil }
        let days = map.required("days", example: "days: [mon, tue, wed, thu, fri]").map {
            list($0, what: "\(entry): days").compactMap { choice($0, what: "\(entry): day", as: Weekday.self)?.value }
        }
        let from = map.required("from", example: "from: \"09:00\"").flatMap { timeOfDay($0, what: "\(entry): from") }
        let to = map.required("to", example: "to: \"17:00\"").flatMap { timeOfDay($0, what: "\(entry): to") }
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

    private func holiday(_ node: YAMLNode, what: String) -> BusinessCalendar.Holiday? {
        if isMapping(node) {
            let holidayWhat = "a holiday of \(what)"
            guard let map = fields(node, what: holidayWhat, allowed: ["date", "name"]) else { return nil }
            let name = map["name"].flatMap { string($0, what: "\(holidayWhat): name") }
            guard let date = map.required("date", example: "date: 2026-12-25").flatMap({ date($0, what: "\(holidayWhat): date") })
            else { return nil }
            return BusinessCalendar.Holiday(date: date.value, name: name?.value, location: date.location)
        }
        guard let date = date(node, what: "\(what): holiday") else { return nil }
        return BusinessCalendar.Holiday(date: date.value, name: nil, location: date.location)
    }

    func contact(id: Located<String>, node: YAMLNode) -> Contact? {
        let what = "contact '\(id.value)'"
        guard
            let map = fields(node, what: what, allowed: ["name", "kind", "addresses", "preferences", "timezone"], owner: id.location)
        else {
            return nil
        }
        let name = map.required("name", example: "name: \(id.value.capitalized)").flatMap { string($0, what: "\(what): name") }
        let kind = map["kind"].flatMap { choice($0, what: "\(what): kind", as: Contact.Kind.self) }
        var addresses: [(kind: Located<String>, value: Located<String>)] = []
        if let node = map.required(
            "addresses", hint: "add 'addresses:' with at least one address, e.g. 'email: \(id.value)@example.org'",
            example: "addresses: { email: \(id.value)@example.org }")
        {
            // The hint is made only for a message.
            for entry in entries(
                node, what: "the addresses of \(what)",
                hint: "write one 'kind: address' pair per line, without '- ', e.g. 'email: \(id.value)@example.org'")
            {
                if let value = string(entry.value, what: "\(what): address '\(entry.id.value)'") {
                    addresses.append((entry.id, value))
                }
            }
        }
        let preferences = map["preferences"].map { channelSteps($0, key: "preferences", of: what) } ?? []
        let zone = map["timezone"].flatMap { timezone($0, what: "\(what): timezone") }
        guard let name else { return nil }
        return Contact(
            id: id, name: name, kind: kind?.value ?? .person, addresses: addresses, preferences: preferences, timezone: zone)
    }

    func group(id: Located<String>, node: YAMLNode) -> ContactGroup? {
        let what = "group '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["name", "members"], owner: id.location) else { return nil }
        let name = map.required("name", example: "name: \(id.value.capitalized)").flatMap { string($0, what: "\(what): name") }
        let membersNode = map.required("members", example: "members: [alice, bob]")
        let members = membersNode.map { list($0, what: "\(what): members").compactMap { identifier($0, what: "\(what): member") } }
        if let membersNode, isSequence(membersNode), document.count(membersNode) == 0 {
            sink.add(LoadProblem.invalidValue("\(what) has no members", at: location(membersNode), hint: "list at least one contact id, e.g. [alice, bob]"))
        }
        guard let name else { return nil }
        return ContactGroup(id: id, name: name, members: members ?? [])
    }

    func schedule(id: Located<String>, node: YAMLNode) -> Schedule? {
        let what = "schedule '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["name", "timezone", "rotation", "overrides"], owner: id.location) else {
            return nil
        }
        let name = map.required("name", example: "name: Primary on-call").flatMap { string($0, what: "\(what): name") }
        let zone = map["timezone"].flatMap { timezone($0, what: "\(what): timezone") }
        var rotation: Schedule.Rotation?
        if let node = map.required("rotation", hint: "add 'rotation:' with members, shift and start"),
            let rotationMap = fields(
                node, what: "the rotation of \(what)", allowed: ["members", "shift", "start", "during"],
                owner: map.keyLocation("rotation"))
        {
            let rotationWhat = rotationMap.what
            let membersNode = rotationMap.required("members", example: "members: [alice, bob]")
            let members = membersNode.map {
                list($0, what: "\(rotationWhat): members").compactMap { identifier($0, what: "\(rotationWhat): member") }
            }
            let shift = rotationMap.required("shift", example: "shift: 1w").flatMap {
                duration($0, what: "\(rotationWhat): shift", allowBusiness: false)
            }
            let start = rotationMap.required("start", example: "start: 2026-01-05T09:00").flatMap {
                instant($0, what: "\(rotationWhat): start")
            }
            let during = rotationMap["during"].flatMap { identifier($0, what: "\(rotationWhat): during") }
            if let shift, shift.value.seconds <= 0 {
                sink.add(
                    LoadProblem.invalidValue(
                        "\(rotationWhat): shift must be longer than zero", at: shift.location, hint: "write a positive length, e.g. 1w or 12h"))
            }
            if let membersNode, isSequence(membersNode), document.count(membersNode) == 0 {
                sink.add(
                    LoadProblem.invalidValue(
                        "the rotation of \(what) has no members", at: location(membersNode),
                        hint: "list the contacts in the order of their shifts, e.g. [alice, bob]"))
            }
            if let members, let shift, let start, shift.value.seconds > 0 {
                rotation = Schedule.Rotation(members: members, shift: shift, start: start, during: during)
            }
        }
        let overrides = map["overrides"].map { node in
            list(node, what: "\(what): overrides").enumerated().compactMap { index, item -> Schedule.Override? in
                let overrideWhat = "override \(index + 1) of \(what)"
                guard
                    let entry = fields(
                        item, what: overrideWhat, allowed: ["contact", "from", "to"],
                        hint: "write each override as '- { contact: bob, from: 2026-12-24T09:00, to: 2026-12-26T09:00 }'")
                else { return nil }
                let contact = entry.required("contact", example: "contact: bob").flatMap { identifier($0, what: "\(overrideWhat): contact") }
                let from = entry.required("from", example: "from: 2026-12-24T09:00").flatMap { instant($0, what: "\(overrideWhat): from") }
                let to = entry.required("to", example: "to: 2026-12-26T09:00").flatMap { instant($0, what: "\(overrideWhat): to") }
                guard let contact, let from, let to else { return nil }
                return Schedule.Override(contact: contact, from: from, to: to)
            }
        } ?? []
        guard let name else { return nil }
        return Schedule(id: id, name: name, timezone: zone, rotation: rotation, overrides: overrides)
    }

    func channel(id: Located<String>, node: YAMLNode) -> ChannelConfig? {
        let what = "channel '\(id.value)'"
        guard
            let map = fields(node, what: what, allowed: ["plugin", "address", "settings", "timeout", "description"], owner: id.location)
        else { return nil }
        let plugin = map.required(
            "plugin", hint: "name the plugin that delivers this channel, e.g. 'plugin: email'", example: "plugin: email"
        )
        .flatMap { identifier($0, what: "\(what): plugin") }
        let address = map["address"].flatMap { identifier($0, what: "\(what): address") }
        let description = map["description"].flatMap { string($0, what: "\(what): description") }
        let timeout = map["timeout"].flatMap { node -> Located<PolicyDuration>? in
            guard let duration = self.duration(node, what: "\(what): timeout", allowBusiness: false) else { return nil }
            guard duration.value.seconds > 0 else {
                sink.add(
                    LoadProblem.invalidDuration(
                        "\(what): timeout must be longer than zero", at: duration.location,
                        hint: "give the plugin time to deliver, e.g. 'timeout: 30s', or leave it out for the plugin's default"))
                return nil
            }
            return duration
        }
        var settings: SettingValue?
        if let node = map["settings"] {
            if isMapping(node) {
                settings = settingValue(node)
            } else {
                wrongType(node, expected: "a map", what: "\(what): settings", hint: "write one 'name: value' setting per line, without '- '")
            }
        }
        guard let plugin else { return nil }
        return ChannelConfig(id: id, plugin: plugin, address: address, settings: settings, description: description?.value, timeout: timeout)
    }

    func settingValue(_ node: YAMLNode) -> SettingValue {
        switch document.kind(node) {
        case .scalar:
            return isNull(node) ? .null(location(node)) : .scalar(text(node), location(node))
        case .sequence:
            return .list(document.items(node).map(settingValue), location(node))
        case .mapping:
            let pairs = pairs(node, what: "settings") ?? []
            return .map(pairs.map { (Located($0.key, at: location($0.keyNode)), settingValue($0.value)) }, location(node))
        }
    }

    func template(id: Located<String>, node: YAMLNode) -> MessageTemplate? {
        let what = "template '\(id.value)'"
        guard let map = fields(node, what: what, allowed: ["subject", "body"], owner: id.location) else { return nil }
        let subjectNode = map["subject"]
        let bodyNode = map.required("body", hint: "add 'body:' with the message text; use 'body: |' for several lines", example: "body: |")
        let subject = subjectNode.flatMap { string($0, what: "\(what): subject") }
        let body = bodyNode.flatMap { node -> Located<String>? in
            if isSequence(node) {
                wrongType(node, expected: "text", what: "\(what): body", hint: "for several lines write 'body: |' and indent the text below it, without '- '")
                return nil
            }
            return string(node, what: "\(what): body")
        }
        var variables: [Located<String>] = []
        for (node, text) in [(subjectNode, subject), (bodyNode, body)] {
            guard let node, let text else { continue }
            let mark = document.mark(node)
            variables += TemplateText.variables(in: text.value, what: what, source: source, mark: mark, sink: sink)
        }
        guard let body else { return nil }
        return MessageTemplate(id: id, subject: subject, body: body, variables: variables)
    }

    /// The channel steps under `key` (`via`, `preferences`) of `owner`: `[sms, {channel: email, after: 5m}]`, with groups
    /// `{all: [sms, email]}` and waits for an answer `{channel: email, unanswered: 2m}`.
    func channelSteps(_ node: YAMLNode, key: String, of owner: String) -> [ChannelStep] {
        list(node, what: "\(owner): \(key)").compactMap { item in
            if isMapping(item) { return channelStep(item, key: key, of: owner) }
            if isSequence(item) {
                wrongType(
                    item, expected: "a channel id or a map", what: "\(owner): \(key) item",
                    hint: "to use several channels at once write '{ all: [sms, email] }'")
                return nil
            }
            return identifier(item, what: "\(owner): \(key) channel").map { ChannelStep(channel: $0) }
        }
    }

    /// One map item of a channel list: exactly one of `channel` and `all`, at most one of `after` and `unanswered`.
    private func channelStep(_ item: YAMLNode, key: String, of owner: String) -> ChannelStep? {
        // Made only for a message.
        let what = { "a channel in the \(key) of \(owner)" }
        guard let map = fields(item, describedBy: what, allowed: ["channel", "all", "after", "unanswered"]) else { return nil }
        let after = map["after"].flatMap { duration($0, what: "\(what()): after", allowBusiness: false) }
        var unanswered = map["unanswered"].flatMap { duration($0, what: "\(what()): unanswered", allowBusiness: false) }
        if let wait = unanswered, wait.value.seconds <= 0 {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what()): unanswered must be longer than 0s, found '\(wait.value)'", at: wait.location,
                    hint: "give the time to wait for an answer, e.g. 'unanswered: 2m'; for a channel used only when the one before fails, drop 'unanswered'"))
            unanswered = nil
        }
        if map.has("after"), map.has("unanswered"), let location = map.keyLocation("unanswered") {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what()) has both 'after' and 'unanswered'; an item is used at a fixed delay or when the one before goes unanswered, not both",
                    at: location,
                    hint: "keep 'unanswered: D' to follow an unanswered (or failed) delivery, or 'after: D' to follow D after the start whatever happened"))
            return nil
        }
        switch (map["channel"], map["all"]) {
        case (let channelNode?, nil):
            guard let channel = identifier(channelNode, what: "\(what()): channel") else { return nil }
            return ChannelStep(channel: channel, after: after, unanswered: unanswered)
        case (nil, let allNode?):
            let members = list(allNode, what: "\(what()): all", hint: "list the channels to use at once, e.g. 'all: [sms, email]'")
                .compactMap { identifier($0, what: "\(what()): all channel") }
            var seen = Set<String>()
            for member in members where !seen.insert(member.value).inserted {
                sink.add(
                    LoadProblem.invalidValue(
                        "\(what()): channel '\(member.value)' appears twice in 'all'", at: member.location,
                        hint: "name each channel of the group once"))
                return nil
            }
            guard let first = members.first else {
                if isSequence(allNode) {
                    sink.add(
                        LoadProblem.invalidValue(
                            "\(what()): 'all' names no channel", at: location(allNode),
                            hint: "list the channels to use at once, e.g. 'all: [sms, email]', or drop the item"))
                }
                return nil
            }
            return ChannelStep(channel: first, after: after, all: members, unanswered: unanswered)
        case (_?, _?):
            sink.add(
                LoadProblem.invalidValue(
                    "\(what()) has both 'channel' and 'all'", at: map.keyLocation("all") ?? map.location,
                    hint: "write '{ channel: sms }' for one channel or '{ all: [sms, email] }' for several at once"))
            return nil
        case (nil, nil):
            _ = map.required("channel", hint: "name the channel ('channel: email') or the channels to use at once ('all: [sms, email]')", example: "channel: email")
            return nil
        }
    }
}
