import EscalationCore
import EscalationYAML

extension DocumentReader {
    /// A `routes:` entry: `by: FIELD`, `to: { VALUE: TARGETS }` and an optional `default: TARGETS`, where TARGETS is
    /// one target map or a list of them (contacts, groups, schedules).
    func route(id: Located<String>, node: YAMLNode) -> RouteTable? {
        let what = "route '\(id.value)'"
        guard
            let map = fields(
                node, what: what, allowed: ["by", "to", "default"], owner: id.location,
                hint: "write a route as a map, e.g. '{ by: region, to: { us: { group: us-it } }, default: { group: it } }'")
        else { return nil }
        let by = map.required("by", hint: "name the incident field whose value picks the row", example: "by: region")
            .flatMap { fieldName($0, what: "\(what): by") }
        var entries: [RouteTable.Entry] = []
        if let toNode = map.required("to", hint: "map each value of the field to whom it reaches", example: "to: { us: { group: us-it } }"),
            let rows = pairs(toNode, what: "\(what): to", hint: "write 'to:' as a map of field values, e.g. 'to: { us: { group: us-it } }'")
        {
            if rows.isEmpty {
                sink.add(
                    LoadProblem.invalidValue(
                        "\(what) has no rows", at: location(toNode), hint: "map at least one value, e.g. 'to: { us: { group: us-it } }'"))
            }
            for row in rows {
                let value = Located(row.key, at: location(row.keyNode))
                if let channel = channelRow(row.value, of: "row '\(row.key)' of \(what)") {
                    entries.append(RouteTable.Entry(value: value, targets: [], channel: channel))
                } else {
                    entries.append(RouteTable.Entry(value: value, targets: routeTargets(row.value, of: "row '\(row.key)' of \(what)")))
                }
            }
        }
        var fallback: [Target]?
        var fallbackChannel: Located<String>?
        if let node = map["default"] {
            if let channel = channelRow(node, of: "the default of \(what)") {
                fallbackChannel = channel
            } else {
                fallback = routeTargets(node, of: "the default of \(what)")
            }
        }
        guard let by else { return nil }
        var table = RouteTable(id: id, by: by, entries: entries, fallback: fallback, toLocation: map.keyLocation("to"))
        table.fallbackChannel = fallbackChannel
        if table.picksChannels, table.entries.contains(where: { $0.channel == nil }) || fallback != nil {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what) mixes channel rows and rows of people", at: map.location,
                    hint: "a route picks either channels ('{ channel: ID }', for posts and stages) or people; split it in two"))
        }
        return table
    }

    /// The channel of a row written `{ channel: ID }` (nil for any other row).
    private func channelRow(_ node: YAMLNode, of owner: String) -> Located<String>? {
        guard isMapping(node), document.count(node) == 1, document.isScalar(document.key(node, 0), equalTo: "channel") else { return nil }
        return identifier(document.value(node, 0), what: "\(owner): channel")
    }

    /// One target map or a list of them; a route row reaches declared people only (no fields, addresses or routes).
    private func routeTargets(_ node: YAMLNode, of owner: String) -> [Target] {
        let found = isMapping(node) ? targets(items: [node], key: "to", of: owner) : targets(node, key: "to", of: owner)
        return found.filter { target in
            guard [.contact, .group, .schedule].contains(target.kind) else {
                sink.add(
                    LoadProblem.invalidValue(
                        "\(owner) names a \(target.kind.rawValue) target; a route row names contacts, groups or schedules",
                        at: target.reference.location,
                        hint: "name the contact, group or schedule the row reaches, e.g. '{ group: us-it }'"))
                return false
            }
            return true
        }
    }

    /// The `choose:` alternatives of a layer: each a step (`when`, `name`, `notify`, `via`, `cc`, `template`, `tasks`,
    /// `post`); the first whose `when` holds runs, and only the last may leave `when` out (it is the otherwise).
    func choices(_ node: YAMLNode, what: String) -> [Step] {
        let items = list(node, what: "\(what): choose", hint: "write 'choose:' as a list of alternatives, each with 'when' and 'notify'")
        if items.isEmpty {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what): 'choose' has no alternatives", at: location(node),
                    hint: "list at least two alternatives, e.g. '- { when: { during: office }, notify: [{ group: desk }], template: page }'"))
        }
        var steps: [Step] = []
        for (index, item) in items.enumerated() {
            let label = "alternative \(index + 1) of \(what)"
            guard let map = fields(item, what: label, allowed: ["when", "name", "notify", "via", "cc", "template", "tasks", "post"]) else {
                continue
            }
            let step = step(from: map, what: label)
            if step.when == nil, index < items.count - 1, !map.has("when") {
                sink.add(
                    LoadProblem.invalidValue(
                        "\(label) has no 'when', so the alternatives after it never run", at: map.location,
                        hint: "give it a 'when', or move it last: the last alternative without 'when' is the otherwise"))
            }
            steps.append(step)
        }
        return steps
    }

    /// A post's or stage's `channel`: a channel id, or `{ route: R }` (a route whose rows pick the channel by a field's
    /// value; the channel is then the route id and `route` is set).
    func channelOrRoute(_ node: YAMLNode, what: String) -> (channel: Located<String>, route: Located<String>?)? {
        guard isMapping(node) else { return identifier(node, what: what).map { ($0, nil) } }
        guard let map = fields(node, what: what, allowed: ["route"], hint: "write a channel id, or '{ route: ROUTE }' to pick it by a field's value"),
            let route = map.required("route", example: "channel: { route: status-page-by-region }").flatMap({ identifier($0, what: "\(what): route") })
        else { return nil }
        return (route, route)
    }
}
