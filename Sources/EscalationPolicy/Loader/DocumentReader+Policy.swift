import EscalationCore
import Yams

extension DocumentReader {
    static let stepKeys = ["id", "name", "when", "notify", "via", "cc", "template", "tasks", "post"]
    static let layerKeys = stepKeys + ["timeout", "at", "calendar"]

    func policy(id: Located<String>, node: Node) -> Policy? {
        let what = "policy '\(id.value)'"
        let allowed = [
            "name", "description", "match", "priority", "threshold", "fields", "calendar", "target_ack", "outcomes",
            "resolve_per", "until", "layers", "repeat", "reminders", "stages", "actions", "on",
        ]
        guard let map = fields(node, what: what, allowed: allowed) else { return nil }
        let name = map.required("name").flatMap { string($0, what: "the name of \(what)") }
        let description = map["description"].flatMap { string($0, what: "description") }
        let match = map["match"].map { matches($0, what: "the match of \(what)") } ?? []
        let priority = map["priority"].flatMap { int($0, what: "priority") }
        let threshold = map["threshold"].flatMap { readThreshold($0, what: "the threshold of \(what)") }
        let fieldList = map["fields"].map { node in
            entriesOfFields(node, what: "the fields of \(what)")
        } ?? []
        let calendar = map["calendar"].flatMap { identifier($0, what: "calendar") }
        let targetAck = map["target_ack"].flatMap { duration($0, what: "target_ack") }
        let outcomes = map["outcomes"].map { list($0, what: "outcomes").compactMap { identifier($0, what: "outcome") } } ?? []
        let resolvePer = map["resolve_per"].flatMap { fieldName($0, what: "resolve_per") }
        let until = map["until"].map { list($0, what: "until").compactMap { identifier($0, what: "signal") } } ?? []
        var layers: [Layer] = []
        if let node = map.required("layers", hint: "add 'layers:' with at least one layer that notifies someone") {
            let items = list(node, what: "the layers of \(what)")
            if items.isEmpty, case .sequence = node {
                sink.add(LoadProblem.invalidValue("\(what) has no layers", at: location(node), hint: "add at least one layer"))
            }
            for (index, item) in items.enumerated() {
                if let layer = layer(item, what: "layer \(index + 1) of \(what)") { layers.append(layer) }
            }
        }
        var repeatRule: RepeatRule?
        if let node = map["repeat"], let rep = fields(node, what: "the repeat of \(what)", allowed: ["times", "after"]) {
            let times = rep.required("times").flatMap { int($0, what: "repeat times", minimum: 1) }
            let after = rep["after"].flatMap { duration($0, what: "repeat after") }
            if let times { repeatRule = RepeatRule(times: times, after: after) }
        }
        var reminders: Reminders?
        if let node = map["reminders"],
            let rem = fields(node, what: "the reminders of \(what)", allowed: ["every", "notify", "via", "cc", "template"])
        {
            let every = rem.required("every").flatMap { duration($0, what: "reminder interval") }
            _ = rem.required("template")
            if let every, every.value.seconds <= 0, !every.value.isBusiness || every.value.businessDays == 0 {
                sink.add(LoadProblem.invalidValue("reminders every \(every.value) would never stop firing", at: every.location, hint: "use an interval longer than zero"))
            }
            if let every { reminders = Reminders(every: every, step: step(from: rem, what: "the reminders of \(what)")) }
        }
        let stages = map["stages"].map { list($0, what: "stages").enumerated().compactMap { stage($0.element, what: "stage \($0.offset + 1) of \(what)") } } ?? []
        let actions = map["actions"].map { list($0, what: "actions").enumerated().compactMap { action($0.element, what: "action \($0.offset + 1) of \(what)") } } ?? []
        let hooks = map["on"].map { readHooks($0, what: "the hooks of \(what)") } ?? Hooks()
        guard let name else { return nil }
        return Policy(
            id: id, name: name, description: description?.value, match: match, priority: priority?.value ?? 0,
            threshold: threshold, fields: fieldList, calendar: calendar, targetAck: targetAck, outcomes: outcomes,
            resolvePer: resolvePer, until: until, layers: layers, repeatRule: repeatRule, reminders: reminders,
            stages: stages, actions: actions, hooks: hooks, location: map.location)
    }

    private func entriesOfFields(_ node: Node, what: String) -> [FieldDeclaration] {
        guard let pairs = pairs(node, what: what) else { return [] }
        return pairs.compactMap { pair in
            let name = Located(pair.key, at: location(pair.keyNode))
            guard FieldName.isValid(name.value) else {
                sink.add(
                    LoadProblem.invalidIdentifier(
                        "the field name '\(name.value)' is not valid", at: name.location,
                        hint: "field names are lower-case words of letters, digits and '_', joined by dots (e.g. 'session.start')"))
                return nil
            }
            let fieldWhat = "field '\(name.value)'"
            guard let map = fields(pair.value, what: fieldWhat, allowed: ["type", "required", "description", "values"]) else {
                return nil
            }
            let type = map.required("type", hint: "add 'type:' (one of \(FieldDeclaration.FieldType.allCases.map(\.rawValue).joined(separator: ", ")))")
                .flatMap { choice($0, what: "the type of \(fieldWhat)", as: FieldDeclaration.FieldType.self) }
            let required = map["required"].flatMap { bool($0, what: "'required'") } ?? false
            let description = map["description"].flatMap { string($0, what: "description") }
            let values = map["values"].map { list($0, what: "values").compactMap { string($0, what: "value") } } ?? []
            if type?.value == .enum, values.isEmpty {
                sink.add(LoadProblem.missingKey("enum \(fieldWhat) needs 'values:'", at: map.location, hint: "list the allowed values, e.g. values: [low, high]"))
            }
            if let type, type.value != .enum, let node = map["values"] {
                sink.add(LoadProblem.invalidValue("'values' only applies to enum fields; \(fieldWhat) is \(type.value.rawValue)", at: location(node)))
            }
            guard let type else { return nil }
            return FieldDeclaration(name: name, type: type, required: required, description: description?.value, values: values)
        }
    }

    func matches(_ node: Node, what: String) -> [FieldMatch] {
        guard let pairs = pairs(node, what: what) else { return [] }
        return pairs.compactMap { pair in
            let field = Located(pair.key, at: location(pair.keyNode))
            guard FieldName.isValid(field.value) else {
                sink.add(LoadProblem.invalidIdentifier("'\(field.value)' in \(what) is not a valid field name", at: field.location))
                return nil
            }
            let values: [Located<String>]
            if case .sequence(let items) = pair.value {
                values = items.compactMap { string($0, what: "a value of '\(field.value)'") }
            } else if let value = string(pair.value, what: "the value of '\(field.value)'") {
                values = [value]
            } else {
                return nil
            }
            return FieldMatch(field: field, values: values)
        }
    }

    private func readThreshold(_ node: Node, what: String) -> Threshold? {
        guard let map = fields(node, what: what, allowed: ["count", "within", "unless"]) else { return nil }
        let count = map.required("count").flatMap { int($0, what: "threshold count", minimum: 1) }
        let within = map.required("within").flatMap { duration($0, what: "threshold window", allowBusiness: false) }
        let unless = map["unless"].map { matches($0, what: "threshold unless") } ?? []
        guard let count, let within else { return nil }
        return Threshold(count: count, within: within, unless: unless)
    }

    func layer(_ node: Node, what: String) -> Layer? {
        guard let map = fields(node, what: what, allowed: Self.layerKeys) else { return nil }
        let layerStep = step(from: map, what: what)
        if map["id"] == nil { _ = map.required("id", hint: "give each layer an id, e.g. 'id: first-responder'") }
        let timeout = map["timeout"].flatMap { duration($0, what: "the timeout of \(what)") }
        var anchor: Located<Anchor>?
        if let node = map["at"], let text = string(node, what: "'at'") {
            switch Anchor.parse(text.value) {
            case .success(let value): anchor = Located(value, at: text.location)
            case .failure(let error):
                sink.add(LoadProblem.invalidDuration("'at: \(text.value)' is not an anchor: \(error.message)", at: text.location, hint: "write e.g. 'at: session.start + 15m'"))
            }
        }
        if let timeout, let anchorNode = map["at"] {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what) has both 'timeout' (\(timeout.value)) and 'at'", at: location(anchorNode),
                    hint: "keep one: 'timeout' counts from the layer's start, 'at' is an instant from the incident"))
        }
        let calendar = map["calendar"].flatMap { identifier($0, what: "calendar") }
        return Layer(step: layerStep, timeout: timeout, at: anchor, calendar: calendar)
    }

    /// The step keys of any mapping (layer, hook step, reminders).
    func step(from map: Fields, what: String) -> Step {
        let id = map["id"].flatMap { identifier($0, what: "the id of \(what)") }
        let name = map["name"].flatMap { string($0, what: "name") }
        let when = map["when"].flatMap { condition($0, what: "the condition of \(what)") }
        let notify = map["notify"].map { targets($0, what: "notify") } ?? []
        let via = map["via"].map { channelSteps($0, what: "via") } ?? []
        let cc = map["cc"].map { targets($0, what: "cc") } ?? []
        let template = map["template"].flatMap { identifier($0, what: "template") }
        let tasks = map["tasks"].map { list($0, what: "tasks").compactMap { task($0, what: "a task of \(what)") } } ?? []
        let posts = map["post"].map { node in
            list(node, what: "post").compactMap { item -> Post? in
                guard let entry = fields(item, what: "a post of \(what)", allowed: ["channel", "template"]) else { return nil }
                let channel = entry.required("channel").flatMap { identifier($0, what: "channel") }
                let template = entry.required("template").flatMap { identifier($0, what: "template") }
                guard let channel, let template else { return nil }
                return Post(channel: channel, template: template)
            }
        } ?? []
        if !notify.isEmpty, template == nil, map.has("notify") {
            _ = map.required("template", hint: "name the message to send, e.g. 'template: first-page'")
        }
        return Step(
            id: id, name: name?.value, when: when, notify: notify, via: via, cc: cc, template: template, tasks: tasks,
            posts: posts, location: map.location)
    }

    func targets(_ node: Node, what: String) -> [Target] {
        list(node, what: what).compactMap { item in
            guard let map = fields(item, what: "a target in \(what)", allowed: Target.Kind.allCases.map(\.rawValue)) else {
                return nil
            }
            let present = Target.Kind.allCases.filter { map.has($0.rawValue) }
            guard present.count == 1, let kind = present.first, let value = map[kind.rawValue] else {
                sink.add(
                    LoadProblem.invalidValue(
                        "a target in \(what) must name exactly one of contact, group, schedule or field", at: map.location,
                        hint: "write e.g. '- contact: jessie' or '- group: leads'"))
                return nil
            }
            let reference = kind == .field ? fieldName(value, what: "field") : identifier(value, what: kind.rawValue)
            return reference.map { Target(kind: kind, reference: $0) }
        }
    }

    func condition(_ node: Node, what: String) -> Condition? {
        guard let map = fields(node, what: what, allowed: ["during", "outside", "fields", "outcome"]) else { return nil }
        let during = map["during"].flatMap { identifier($0, what: "calendar") }
        let outside = map["outside"].flatMap { identifier($0, what: "calendar") }
        let fieldMatches = map["fields"].map { matches($0, what: "fields") } ?? []
        var outcome: [Located<String>] = []
        if let node = map["outcome"] {
            if case .sequence = node {
                outcome = list(node, what: "outcome").compactMap { identifier($0, what: "outcome") }
            } else if let value = identifier(node, what: "outcome") {
                outcome = [value]
            }
        }
        if map.pairs.isEmpty {
            sink.add(LoadProblem.invalidValue("\(what) is empty", at: map.location, hint: "remove 'when:' or add 'during', 'outside', 'fields' or 'outcome'"))
        }
        return Condition(during: during, outside: outside, fields: fieldMatches, outcome: outcome, location: map.location)
    }

    private func task(_ node: Node, what: String) -> TaskSpec? {
        guard let map = fields(node, what: what, allowed: ["title", "assignee", "description", "per"]) else { return nil }
        let title = map.required("title").flatMap { string($0, what: "task title") }
        var assignee: Target?
        if let node = map["assignee"] {
            assignee = targets(.sequence(.init([node])), what: "the assignee").first
        }
        let description = map["description"].flatMap { string($0, what: "description") }
        let per = map["per"].flatMap { fieldName($0, what: "per") }
        guard let title else { return nil }
        return TaskSpec(title: title, assignee: assignee, description: description?.value, per: per)
    }

    private func stage(_ node: Node, what: String) -> Stage? {
        guard let map = fields(node, what: what, allowed: ["id", "on", "signal", "channel", "template", "expires"]) else { return nil }
        let id = map.required("id").flatMap { identifier($0, what: "stage id") }
        let on = map.required("on").flatMap { choice($0, what: "'on'", as: Stage.Trigger.self) }
        let signal = map["signal"].flatMap { identifier($0, what: "signal") }
        let channel = map.required("channel").flatMap { identifier($0, what: "channel") }
        let template = map.required("template").flatMap { identifier($0, what: "template") }
        let expires = map["expires"].flatMap { duration($0, what: "expires", allowBusiness: false) }
        if on?.value == .signal, signal == nil, map["signal"] == nil {
            _ = map.required("signal", hint: "a stage entered on a signal names it, e.g. 'signal: identified'")
        }
        if let on, on.value != .signal, let node = map["signal"] {
            sink.add(LoadProblem.invalidValue("'signal' only applies when 'on: signal' (this stage is entered on \(on.value.rawValue))", at: location(node)))
        }
        guard let id, let on, let channel, let template else { return nil }
        return Stage(id: id, on: on, signal: signal, channel: channel, template: template, expires: expires)
    }

    private func action(_ node: Node, what: String) -> PolicyAction? {
        guard let map = fields(node, what: what, allowed: ["id", "channel", "template", "undo"]) else { return nil }
        let id = map.required("id").flatMap { identifier($0, what: "action id") }
        let channel = map.required("channel").flatMap { identifier($0, what: "channel") }
        let template = map.required("template").flatMap { identifier($0, what: "template") }
        let undo = map["undo"].flatMap { choice($0, what: "'undo'", as: PolicyAction.Undo.self) }
        guard let id, let channel, let template else { return nil }
        return PolicyAction(id: id, channel: channel, template: template, undo: undo?.value ?? .resolve)
    }

    private func readHooks(_ node: Node, what: String) -> Hooks {
        var hooks = Hooks()
        guard let map = fields(node, what: what, allowed: ["acknowledge", "resolve", "signal"]) else { return hooks }
        func steps(_ node: Node, _ label: String) -> [Step] {
            list(node, what: label).enumerated().compactMap { index, item in
                fields(item, what: "step \(index + 1) of \(label)", allowed: Self.stepKeys).map { step(from: $0, what: "step \(index + 1) of \(label)") }
            }
        }
        hooks.acknowledge = map["acknowledge"].map { steps($0, "on acknowledge") } ?? []
        hooks.resolve = map["resolve"].map { steps($0, "on resolve") } ?? []
        if let node = map["signal"] {
            for entry in entries(node, what: "on signal") {
                hooks.signals.append((entry.id, steps(entry.value, "on signal '\(entry.id.value)'")))
            }
        }
        return hooks
    }
}
