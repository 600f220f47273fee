import EscalationCore
import EscalationYAML

extension DocumentReader {
    static let stepKeys = ["id", "name", "when", "notify", "via", "cc", "template", "tasks", "post"]
    static let layerKeys = stepKeys + ["timeout", "at", "calendar", "choose"]

    func policy(id: Located<String>, node: YAMLNode) -> Policy? {
        let what = "policy '\(id.value)'"
        let allowed = [
            "name", "description", "match", "priority", "threshold", "fields", "calendar", "target_ack", "outcomes",
            "resolve_per", "until", "layers", "repeat", "reminders", "watchdogs", "stages", "actions", "on", "deadlines", "correlate",
        ]
        guard let map = fields(node, what: what, allowed: allowed, owner: id.location) else { return nil }
        let name = map.required("name", example: "name: Outage").flatMap { string($0, what: "\(what): name") }
        let description = map["description"].flatMap { string($0, what: "\(what): description") }
        let match = map["match"].map { matches($0, what: "the match of \(what)") } ?? []
        let priority = map["priority"].flatMap { int($0, what: "\(what): priority") }
        let threshold = map["threshold"].flatMap {
            readThreshold($0, what: "the threshold of \(what)", owner: map.keyLocation("threshold"))
        }
        let fieldList = map["fields"].map { node in
            tracking(ModelItem(.policyFields, id.value)) { entriesOfFields(node, policy: what) }
        } ?? []
        let calendar = map["calendar"].flatMap { identifier($0, what: "\(what): calendar") }
        let targetAck = map["target_ack"].flatMap { duration($0, what: "\(what): target_ack") }
        let outcomes = map["outcomes"].map {
            list($0, what: "\(what): outcomes").compactMap { identifier($0, what: "\(what): outcome") }
        } ?? []
        let resolvePer = map["resolve_per"].flatMap { fieldName($0, what: "\(what): resolve_per") }
        let until = map["until"].map { list($0, what: "\(what): until").compactMap { identifier($0, what: "\(what): until signal") } } ?? []
        var layers: [Layer] = []
        if let node = map.required("layers", hint: "add 'layers:' with at least one layer that notifies someone") {
            let items = list(
                node, what: "the layers of \(what)",
                hint: isMapping(node) ? "start each layer with '- ', e.g. '- id: first-responder'" : nil)
            if items.isEmpty, isSequence(node) {
                sink.add(
                    LoadProblem.invalidValue(
                        "\(what) has no layers", at: location(node), hint: "add at least one layer that notifies someone"))
            }
            for (index, item) in items.enumerated() {
                if let layer = layer(item, what: itemName("layer", item, index: index, of: what)) { layers.append(layer) }
            }
        }
        var repeatRule: RepeatRule?
        if let node = map["repeat"],
            let rep = fields(node, what: "the repeat of \(what)", allowed: ["times", "after"], owner: map.keyLocation("repeat"))
        {
            let times = rep.required("times", example: "times: 2").flatMap { int($0, what: "\(rep.what): times", minimum: 1) }
            let after = rep["after"].flatMap { duration($0, what: "\(rep.what): after") }
            if let times { repeatRule = RepeatRule(times: times, after: after) }
        }
        let reminders = map["reminders"].flatMap { readReminders($0, what: "the reminders of \(what)", owner: map.keyLocation("reminders")) }
        let watchdogs = map["watchdogs"].map { node in
            list(node, what: "the watchdogs of \(what)", hint: "list the watchdogs, each starting with '- id: …'").enumerated().compactMap {
                index, item -> Reminders? in
                let label = itemName("watchdog", item, index: index, of: what)
                guard let watchdog = readReminders(item, what: label, owner: nil, watchdog: true) else { return nil }
                if watchdog.id == nil || watchdog.resetOn.isEmpty { return nil }
                return watchdog
            }
        } ?? []
        let stages = map["stages"].map {
            list($0, what: "\(what): stages").enumerated().compactMap {
                stage($0.element, what: itemName("stage", $0.element, index: $0.offset, of: what))
            }
        } ?? []
        let actions = map["actions"].map {
            list($0, what: "\(what): actions").enumerated().compactMap {
                action($0.element, what: itemName("action", $0.element, index: $0.offset, of: what))
            }
        } ?? []
        let hooks = map["on"].map { readHooks($0, policy: what, owner: map.keyLocation("on")) } ?? Hooks()
        let deadlines = map["deadlines"].map { node in
            list(node, what: "the deadlines of \(what)", hint: "list the deadlines, each starting with '- '").enumerated().compactMap { index, item in
                deadline(item, what: itemName("deadline", item, index: index, of: what))
            }
        } ?? []
        guard let name else { return nil }
        var policy = Policy(
            id: id, name: name, description: description?.value, match: match, priority: priority?.value ?? 0,
            threshold: threshold, fields: fieldList, calendar: calendar, targetAck: targetAck, outcomes: outcomes,
            resolvePer: resolvePer, until: until, layers: layers, repeatRule: repeatRule, reminders: reminders,
            stages: stages, actions: actions, hooks: hooks, location: map.location)
        policy.deadlines = deadlines
        policy.watchdogs = watchdogs
        if let node = map["correlate"],
            let correlate = fields(
                node, what: "the correlate of \(what)", allowed: ["key", "append"], owner: map.keyLocation("correlate"),
                hint: "write e.g. 'correlate: { key: product, append: [customer_tickets] }'")
        {
            let key = correlate["key"].flatMap { fieldName($0, what: "\(correlate.what): key") }
            let append = correlate["append"].map { node in
                list(node, what: "\(correlate.what): append").compactMap { fieldName($0, what: "\(correlate.what): append") }
            } ?? []
            policy.correlate = Correlation(key: key, append: append, location: correlate.location)
        }
        return policy
    }

    /// An `at:` anchor (`FIELD`, `FIELD + D`, `FIELD - D`), reported where it is malformed.
    func anchor(_ node: YAMLNode, what: String, example: String) -> Located<Anchor>? {
        guard let text = string(node, what: "\(what): at") else { return nil }
        switch Anchor.parse(text.value) {
        case .success(let value): return Located(value, at: text.location)
        case .failure(let error):
            sink.add(
                LoadProblem.invalidAnchor(
                    "\(what): at '\(text.value)' is not an anchor: \(error.message)", at: text.location,
                    hint: "write a time field plus or minus a wall-time offset, e.g. 'at: \(example)'"))
            return nil
        }
    }

    /// One deadline: a step with `id`, exactly one of `at` (anchor) and `after` (wall or business duration), an optional
    /// `signal` to raise and `until` (signals that cancel it).
    private func deadline(_ node: YAMLNode, what: String) -> Deadline? {
        guard let map = fields(node, what: what, allowed: Self.stepKeys + ["at", "after", "signal", "until"]) else { return nil }
        let step = step(from: map, what: what, requireTemplate: false)
        if map["id"] == nil {
            _ = map.required("id", hint: "give each deadline an id, e.g. 'id: cancel-booking'", example: "id: cancel-booking")
        }
        let anchor = map["at"].flatMap { self.anchor($0, what: what, example: "session.start - 45m") }
        let after = map["after"].flatMap { duration($0, what: "\(what): after") }
        if map["at"] == nil, map["after"] == nil {
            _ = map.required(
                "at", hint: "say when it fires: 'at: FIELD ± D' (an instant from the incident) or 'after: D' (from the trigger)",
                example: "at: session.start - 45m")
        } else if map["at"] != nil, let node = map["after"] {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what) has both 'at' and 'after'", at: location(node), hint: "keep one: 'at' is an instant from the incident, 'after' a delay from the trigger"))
        }
        let signal = map["signal"].flatMap { identifier($0, what: "\(what): signal") }
        if !step.notify.isEmpty, map["template"] == nil {
            _ = map.required("template", hint: "name the message the deadline sends, e.g. 'template: reminder'", example: "template: reminder")
        }
        if step.notify.isEmpty, step.tasks.isEmpty, step.posts.isEmpty, signal == nil {
            sink.add(
                LoadProblem.missingKey(
                    "\(what) does nothing when it fires", at: map.ownerLocation,
                    hint: "give it 'notify', 'tasks' or 'post', or a 'signal' to raise"))
        }
        var deadline = Deadline(step: step, at: anchor, after: after, signal: signal)
        if let node = map["until"] { deadline.until = list(node, what: "\(what): until").compactMap { identifier($0, what: "\(what): until signal") } }
        return deadline
    }

    private func entriesOfFields(_ node: YAMLNode, policy: String) -> [FieldDeclaration] {
        guard let pairs = pairs(node, what: "the fields of \(policy)", hint: "declare each field by name, e.g. 'session.start: { type: time }'")
        else { return [] }
        return pairs.compactMap { pair in
            let name = Located(pair.key, at: location(pair.keyNode))
            return tracking(ModelItem(.field, name.value)) { field(name: name, pair: pair, policy: policy) }
        }
    }

    /// The field types, for the hint when one is missing (built once, not per field).
    private static let fieldTypeNames = FieldDeclaration.FieldType.allCases.map(\.rawValue).joined(separator: ", ")

    private func field(name: Located<String>, pair: Pair, policy: String) -> FieldDeclaration? {
        guard FieldName.isValid(name.value) else {
            sink.add(
                LoadProblem.invalidIdentifier(
                    "field name '\(name.value)' in \(policy) is not valid", at: name.location,
                    hint: "field names are lower-case words of letters, digits and '_', joined by dots (e.g. 'session.start')"))
            return nil
        }
        // Made only for a message.
        let fieldWhat = { "field '\(name.value)' of \(policy)" }
        guard
            let map = fields(
                pair.value, describedBy: fieldWhat, allowed: ["type", "required", "description", "values", "kind"], owner: name.location,
                hint: "declare the field as a map, e.g. '\(name.value): { type: string }'")
        else {
            return nil
        }
        let type = map.required("type", hint: "add 'type:' (one of \(Self.fieldTypeNames))", example: "type: string")
            .flatMap { choice($0, what: "\(fieldWhat()): type", as: FieldDeclaration.FieldType.self) }
        let required = map["required"].flatMap { bool($0, what: "\(fieldWhat()): 'required'") } ?? false
        let description = map["description"].flatMap { string($0, what: "\(fieldWhat()): description") }
        let values = map["values"].map {
            list($0, what: "\(fieldWhat()): values").compactMap { string($0, what: "\(fieldWhat()): value") }
        } ?? []
        if type?.value == .enum, values.isEmpty {
            sink.add(
                LoadProblem.missingKey(
                    "enum \(fieldWhat()) needs 'values:'", at: map.ownerLocation, hint: "list the allowed values, e.g. values: [low, high]"))
        }
        if let type, type.value != .enum, let node = map["values"] {
            sink.add(
                LoadProblem.invalidValue(
                    "'values' only applies to enum fields; \(fieldWhat()) is \(type.value.rawValue)", at: location(node),
                    hint: "remove 'values', or make the field 'type: enum'"))
        }
        let addressKind = map["kind"].flatMap { identifier($0, what: "\(fieldWhat()): kind") }
        if let type, type.value.holdsAddresses, addressKind == nil, map["kind"] == nil {
            sink.add(
                LoadProblem.missingKey(
                    "\(type.value.rawValue) \(fieldWhat()) needs 'kind:', the address kind it holds", at: map.ownerLocation,
                    hint: "name the kind of address a channel reads, e.g. 'kind: email' or 'kind: phone'"))
        }
        if let type, !type.value.holdsAddresses, let node = map["kind"] {
            sink.add(
                LoadProblem.invalidValue(
                    "'kind' only applies to address fields; \(fieldWhat()) is \(type.value.rawValue)", at: location(node),
                    hint: "remove 'kind', or make the field 'type: address' or 'type: address-list'"))
        }
        guard let type else { return nil }
        var declaration = FieldDeclaration(name: name, type: type, required: required, description: description?.value, values: values)
        declaration.addressKind = addressKind
        return declaration
    }

    func matches(_ node: YAMLNode, what: String) -> [FieldMatch] {
        guard let pairs = pairs(node, what: what, hint: "write 'field: value' pairs, e.g. 'severity: high'") else { return [] }
        return pairs.compactMap { pair in
            let field = Located(pair.key, at: location(pair.keyNode))
            guard FieldName.isValid(field.value) else {
                sink.add(
                    LoadProblem.invalidIdentifier(
                        "'\(field.value)' in \(what) is not a valid field name", at: field.location,
                        hint: "field names are lower-case words of letters, digits and '_', joined by dots (e.g. 'session.start')"))
                return nil
            }
            let values: [Located<String>]
            if isSequence(pair.value) {
                values = document.items(pair.value).compactMap { string($0, what: "\(what): a value of '\(field.value)'") }
            } else if isScalar(pair.value), let value = string(pair.value, what: "\(what): '\(field.value)'") {
                values = [value]
            } else {
                wrongType(
                    pair.value, expected: "text or a list of text", what: "\(what): '\(field.value)'",
                    hint: "write one value ('\(field.value): high') or a list ('\(field.value): [low, high]')")
                return nil
            }
            return FieldMatch(field: field, values: values)
        }
    }

    private func readThreshold(_ node: YAMLNode, what: String, owner: SourceLocation?) -> Threshold? {
        guard let map = fields(node, what: what, allowed: ["count", "within", "unless"], owner: owner) else { return nil }
        let count = map.required("count", example: "count: 3").flatMap { int($0, what: "\(what): count", minimum: 1) }
        let within = map.required("within", example: "within: 10m").flatMap {
            duration($0, what: "\(what): within", allowBusiness: false)
        }
        let unless = map["unless"].map { matches($0, what: "the 'unless' of \(what)") } ?? []
        guard let count, let within else { return nil }
        return Threshold(count: count, within: within, unless: unless)
    }

    func layer(_ node: YAMLNode, what: String) -> Layer? {
        guard let map = fields(node, what: what, allowed: Self.layerKeys) else { return nil }
        let layerStep = step(from: map, what: what)
        if map["id"] == nil {
            _ = map.required("id", hint: "give each layer an id, e.g. 'id: first-responder'", example: "id: first-responder")
        }
        let timeout = map["timeout"].flatMap { duration($0, what: "\(what): timeout") }
        let anchor = map["at"].flatMap { self.anchor($0, what: what, example: "session.start + 15m") }
        if let timeout, let anchorNode = map["at"] {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what) has both 'timeout' (\(timeout.value)) and 'at'", at: location(anchorNode),
                    hint: "keep one: 'timeout' counts from the layer's start, 'at' is an instant from the incident"))
        }
        let calendar = map["calendar"].flatMap { identifier($0, what: "\(what): calendar") }
        var choices: [Step] = []
        if let chooseNode = map["choose"] {
            choices = self.choices(chooseNode, what: what)
            for key in ["when", "notify", "via", "cc", "template"] where map.has(key) {
                sink.add(
                    LoadProblem.invalidValue(
                        "\(what) has both 'choose' and '\(key)'", at: map.keyLocation(key) ?? map.location,
                        hint: "move '\(key)' into each alternative under 'choose'; the layer keeps id, name, timeout, tasks and post"))
            }
        }
        return Layer(step: layerStep, timeout: timeout, at: anchor, calendar: calendar, choices: choices)
    }

    /// The step keys of any mapping (layer, hook step, reminders). `requireTemplate: false` when the caller
    /// already requires 'template' itself.
    func step(from map: Fields, what: String, requireTemplate: Bool = true) -> Step {
        let id = map["id"].flatMap { identifier($0, what: "\(what): id") }
        let name = map["name"].flatMap { string($0, what: "\(what): name") }
        let when = map["when"].flatMap { condition($0, what: "the condition of \(what)", owner: map.keyLocation("when")) }
        let notify = map["notify"].map { targets($0, key: "notify", of: what) } ?? []
        let via = map["via"].map { channelSteps($0, key: "via", of: what) } ?? []
        let cc = map["cc"].map { targets($0, key: "cc", of: what) } ?? []
        let template = map["template"].flatMap { identifier($0, what: "\(what): template") }
        let tasks = map["tasks"].map {
            list($0, what: "\(what): tasks").compactMap { task($0, what: "a task of \(what)") }
        } ?? []
        let posts = map["post"].map { node in
            list(node, what: "\(what): post").compactMap { item -> Post? in
                let postWhat = "a post of \(what)"
                guard
                    let entry = fields(
                        item, what: postWhat, allowed: ["channel", "template"],
                        hint: "write each post as '- { channel: status-page, template: banner }'")
                else { return nil }
                let channel = entry.required("channel", example: "channel: status-page").flatMap { channelOrRoute($0, what: "\(postWhat): channel") }
                let template = entry.required("template", example: "template: banner").flatMap { identifier($0, what: "\(postWhat): template") }
                guard let channel, let template else { return nil }
                return Post(channel: channel.channel, template: template, route: channel.route)
            }
        } ?? []
        if requireTemplate, !notify.isEmpty, template == nil, map.has("notify") {
            _ = map.required("template", hint: "name the message to send, e.g. 'template: first-page'", example: "template: first-page")
        }
        return Step(
            id: id, name: name?.value, when: when, notify: notify, via: via, cc: cc, template: template, tasks: tasks,
            posts: posts, location: map.location)
    }

    /// The targets under `key` (`notify`, `cc`, `assignee`) of `owner`.
    func targets(_ node: YAMLNode, key: String, of owner: String) -> [Target] {
        targets(
            items: list(node, what: "\(owner): \(key)", hint: isMapping(node) ? "write a list of targets, e.g. '\(key): [{ contact: alice }]'" : nil),
            key: key, of: owner)
    }

    /// The targets of a list's items (`targets(_:key:of:)` after reading the list, or one node read as a list of one).
    func targets(items: [YAMLNode], key: String, of owner: String) -> [Target] {
        let kinds = Self.targetKinds
        let article = Self.startsWithVowel(key) ? "an" : "a"
        // Made only for a message.
        let what = { "\(article) \(key) target of \(owner)" }
        return items
            .compactMap { item in
                guard
                    let map = fields(
                        item, describedBy: what, allowed: kinds,
                        hint: "write each target as a map, e.g. '{ contact: \(isScalar(item) ? text(item) : "alice") }'")
                else {
                    return nil
                }
                let present = Target.Kind.allCases.filter { map.has($0.rawValue) }
                guard present.count == 1, let kind = present.first, let value = map[kind.rawValue] else {
                    // An unknown key was reported already; saying the target names nothing would repeat it.
                    if map.unknownKeys.isEmpty || present.count > 1 {
                        sink.add(
                            LoadProblem.invalidValue(
                                "\(what()) must name exactly one of contact, group, schedule, field, address or route"
                                    + (present.count > 1 ? ", but names \(present.map(\.rawValue).joined(separator: " and "))" : ""),
                                at: map.location,
                                hint: present.count > 1
                                    ? "split it into one target per line, e.g. '- contact: jessie' and '- group: leads'"
                                    : "write e.g. '- contact: jessie' or '- group: leads'"))
                    }
                    return nil
                }
                if kind == .address {
                    // One address field, or several fields that are one person's addresses of different kinds.
                    var names: [Located<String>] = []
                    var malformed = isMapping(value)
                    if isSequence(value) {
                        names = list(value, what: "\(what()): address").compactMap { fieldName($0, what: "\(what()): address") }
                        malformed = document.count(value) == 0
                    } else if !malformed, let name = fieldName(value, what: "\(what()): address") {
                        names = [name]
                    }
                    if malformed {
                        sink.add(
                            LoadProblem.invalidValue(
                                "\(what()): 'address' must name an address field, or a list of them", at: location(value),
                                hint: "write e.g. '{ address: client_email }' or '{ address: [client_phone, client_email] }'"))
                    }
                    guard let first = names.first else { return nil }
                    return Target(kind: kind, reference: first, also: Array(names.dropFirst()))
                }
                let reference = kind == .field
                    ? fieldName(value, what: "\(what()): field") : identifier(value, what: "\(what()): \(kind.rawValue)")
                return reference.map { Target(kind: kind, reference: $0) }
            }
    }

    /// The target kinds' names, in order, made once.
    static let targetKinds = Target.Kind.allCases.map(\.rawValue)

    /// Whether a text's first character is one of a, e, i, o and u: by its first byte when the next byte is ASCII
    /// too (then the first character is that byte alone; every key asked for is such), else as characters.
    static func startsWithVowel(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        guard let first = bytes.next() else { return false }
        if first < 0x80, bytes.next().map({ $0 < 0x80 && $0 != 0x0A }) ?? true, first != 0x0D {
            return first == 0x61 || first == 0x65 || first == 0x69 || first == 0x6F || first == 0x75
        }
        return text.first.map { "aeiou".contains($0) } == true
    }

    func condition(_ node: YAMLNode, what: String, owner: SourceLocation?) -> Condition? {
        guard
            let map = fields(
                node, what: what, allowed: ["during", "outside", "fields", "outcome", "seen"], owner: owner,
                hint: "write the condition as a map, e.g. 'when: { during: office-hours }'")
        else { return nil }
        let during = map["during"].flatMap { identifier($0, what: "\(what): during") }
        let outside = map["outside"].flatMap { identifier($0, what: "\(what): outside") }
        let fieldMatches = map["fields"].map { matches($0, what: "the 'fields' of \(what)") } ?? []
        var outcome: [Located<String>] = []
        if let node = map["outcome"] {
            if isSequence(node) {
                outcome = list(node, what: "\(what): outcome").compactMap { identifier($0, what: "\(what): outcome") }
            } else if let value = identifier(node, what: "\(what): outcome") {
                outcome = [value]
            }
        }
        if map.pairs.isEmpty, map.unknownKeys.isEmpty {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what) is empty", at: map.location, hint: "remove 'when:' or add 'during', 'outside', 'fields', 'outcome' or 'seen'"))
        }
        var seen: [Located<String>] = []
        if let node = map["seen"] {
            if isSequence(node) {
                seen = list(node, what: "\(what): seen").compactMap { identifier($0, what: "\(what): seen") }
            } else if let value = identifier(node, what: "\(what): seen") {
                seen = [value]
            }
        }
        var condition = Condition(during: during, outside: outside, fields: fieldMatches, outcome: outcome, location: map.location)
        condition.seen = seen
        return condition
    }

    private func task(_ node: YAMLNode, what: String) -> TaskSpec? {
        guard
            let map = fields(
                node, what: what, allowed: ["title", "assignee", "description", "per"],
                hint: "write each task as a map, e.g. '- title: Call the customer'")
        else { return nil }
        let title = map.required("title", example: "title: Call the customer").flatMap { string($0, what: "\(what): title") }
        var assignee: Target?
        if let node = map["assignee"] {
            assignee = targets(items: [node], key: "assignee", of: what).first
        }
        let description = map["description"].flatMap { string($0, what: "\(what): description") }
        let per = map["per"].flatMap { fieldName($0, what: "\(what): per") }
        guard let title else { return nil }
        return TaskSpec(title: title, assignee: assignee, description: description?.value, per: per)
    }

    private func stage(_ node: YAMLNode, what: String) -> Stage? {
        guard let map = fields(node, what: what, allowed: ["id", "on", "signal", "channel", "template", "expires", "if_posted", "requires"]) else { return nil }
        let id = map.required("id", example: "id: investigating").flatMap { identifier($0, what: "\(what): id") }
        let on = map.required("on", example: "on: trigger").flatMap { choice($0, what: "\(what): on", as: Stage.Trigger.self) }
        let signal = map["signal"].flatMap { identifier($0, what: "\(what): signal") }
        let routed = map.required("channel", example: "channel: status-page").flatMap { channelOrRoute($0, what: "\(what): channel") }
        let channel = routed?.channel
        let template = map.required("template", example: "template: banner").flatMap { identifier($0, what: "\(what): template") }
        let expires = map["expires"].flatMap { duration($0, what: "\(what): expires", allowBusiness: false) }
        if on?.value == .signal, signal == nil, map["signal"] == nil {
            _ = map.required(
                "signal", hint: "a stage entered on a signal names it, e.g. 'signal: identified'", example: "signal: identified")
        }
        if let on, on.value != .signal, let node = map["signal"] {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what): 'signal' only applies when 'on: signal' (this stage is entered on \(on.value.rawValue))",
                    at: location(node), hint: "remove 'signal', or write 'on: signal'"))
        }
        let ifPosted = map["if_posted"].flatMap { identifier($0, what: "\(what): if_posted") }
        guard let id, let on, let channel, let template else { return nil }
        var stage = Stage(id: id, on: on, signal: signal, channel: channel, template: template, expires: expires)
        stage.ifPosted = ifPosted
        stage.route = routed?.route
        stage.requires = map["requires"].map { list($0, what: "\(what): requires").compactMap { fieldName($0, what: "\(what): requires") } } ?? []
        return stage
    }

    private func action(_ node: YAMLNode, what: String) -> PolicyAction? {
        guard let map = fields(node, what: what, allowed: ["id", "channel", "template", "undo"]) else { return nil }
        let id = map.required("id", example: "id: open-ticket").flatMap { identifier($0, what: "\(what): id") }
        let channel = map.required("channel", example: "channel: tickets").flatMap { identifier($0, what: "\(what): channel") }
        let template = map.required("template", example: "template: ticket").flatMap { identifier($0, what: "\(what): template") }
        let undo = map["undo"].flatMap { choice($0, what: "\(what): undo", as: PolicyAction.Undo.self) }
        guard let id, let channel, let template else { return nil }
        return PolicyAction(id: id, channel: channel, template: template, undo: undo?.value ?? .resolve)
    }

    private func readHooks(_ node: YAMLNode, policy: String, owner: SourceLocation?) -> Hooks {
        var hooks = Hooks()
        guard
            let map = fields(
                node, what: "the hooks ('on') of \(policy)", allowed: ["trigger", "acknowledge", "resolve", "scope_resolved", "report", "signal"], owner: owner)
        else { return hooks }
        func steps(_ node: YAMLNode, _ label: String) -> [Step] {
            let owner = "\(label) in \(policy)"
            return list(node, what: "\(owner): steps", hint: "list the steps, each starting with '- '").enumerated().compactMap { index, item in
                let what = itemName("step", item, index: index, of: owner)
                return fields(item, what: what, allowed: Self.stepKeys).map { step(from: $0, what: what) }
            }
        }
        hooks.trigger = map["trigger"].map { steps($0, "'on trigger'") } ?? []
        hooks.acknowledge = map["acknowledge"].map { steps($0, "'on acknowledge'") } ?? []
        hooks.resolve = map["resolve"].map { steps($0, "'on resolve'") } ?? []
        hooks.scopeResolved = map["scope_resolved"].map { steps($0, "'on scope_resolved'") } ?? []
        hooks.scopeResolvedLocation = map.keyLocation("scope_resolved")
        hooks.report = map["report"].map { steps($0, "'on report'") } ?? []
        hooks.reportLocation = map.keyLocation("report")
        if let node = map["signal"] {
            let hint = "key each signal by its name, with its steps as a list, e.g. 'signal: { customer-replied: [{ notify: [{ contact: alice }], template: reply }] }'"
            for entry in entries(node, what: "the signal hooks of \(policy)", hint: hint) {
                hooks.signals.append((entry.id, steps(entry.value, "'on signal \(entry.id.value)'")))
            }
        }
        return hooks
    }
}
