import EscalationGraph
import EscalationCore

/// What the renderers draw for one policy: boxes with a title and lines of text, labelled arrows, and the
/// row each box sits on. Mermaid and DOT draw the same picture from it, so they show the same content.
struct GraphPicture: Sendable {
    /// What a box stands for; decides its shape and colour.
    enum Role: String, Sendable, CaseIterable {
        case start, branch, notify, task, wait, `repeat`, stage, action, hook, reminders
        case acknowledged, exhausted, stopped, resolved, end

        /// Whether the box is one of the ends of the ladder.
        var isEnd: Bool { [.acknowledged, .exhausted, .stopped, .resolved, .end].contains(self) }

        /// Fill colour.
        var fill: String {
            switch self {
            case .start: "#e8f5e9"
            case .branch: "#fff8e1"
            case .notify: "#e3f2fd"
            case .task: "#ede7f6"
            case .wait: "#fff3e0"
            case .repeat: "#fce4ec"
            case .stage, .action: "#eceff1"
            case .hook: "#f1f8e9"
            case .reminders: "#fffde7"
            case .acknowledged: "#c8e6c9"
            case .exhausted: "#ffcdd2"
            case .stopped: "#e1bee7"
            case .resolved: "#cfd8dc"
            case .end: "#eeeeee"
            }
        }

        /// Border colour.
        var stroke: String {
            switch self {
            case .start, .acknowledged: "#2e7d32"
            case .branch: "#f9a825"
            case .notify: "#1565c0"
            case .task: "#5e35b1"
            case .wait: "#ef6c00"
            case .repeat: "#ad1457"
            case .stage, .action: "#546e7a"
            case .hook: "#558b2f"
            case .reminders: "#9e9d24"
            case .exhausted: "#c62828"
            case .stopped: "#6a1b9a"
            case .resolved: "#37474f"
            case .end: "#616161"
            }
        }
    }

    /// How an arrow is drawn.
    enum Line: String, Sendable {
        /// The ladder moving on at once.
        case flow
        /// A timer firing.
        case timer
        /// Someone acknowledging.
        case acknowledge
        /// A named signal.
        case signal
        /// The incident resolving.
        case resolve
        /// A branch condition holding.
        case yes
        /// A branch condition not holding.
        case no
        /// A repeat running out of passes.
        case exhausted
        /// A side effect (stage, action, hook, reminders) hanging off the ladder.
        case side

        /// Line and label colour.
        var colour: String {
            switch self {
            case .flow: "#424242"
            case .timer: "#e65100"
            case .acknowledge, .yes: "#2e7d32"
            case .signal: "#6a1b9a"
            case .resolve: "#78909c"
            case .no, .exhausted: "#c62828"
            case .side: "#90a4ae"
            }
        }

        /// Whether the line is drawn dashed (what may happen, rather than the ladder's own course).
        var isDashed: Bool { [.acknowledge, .signal, .resolve, .side].contains(self) }
    }

    /// One policy of a drawing with several: its id prefix and its title.
    struct Part: Sendable {
        /// Prepended to every box id (empty when the drawing holds one policy).
        var prefix: String
        /// The title of the policy's frame.
        var title: String
        /// The picture.
        var picture: GraphPicture
    }

    /// The parts of a drawing of every policy of the graphs.
    static func parts(_ graphs: [RuleGraph]) -> [Part] {
        let total = graphs.reduce(0) { $0 + $1.policies.count }
        return graphs.flatMap { graph in
            graph.policies.map { policy in
                let prefix = total == 1 ? "" : graphs.count == 1 ? "\(policy.id)/" : "\(graph.organisation)/\(policy.id)/"
                let title = (graphs.count == 1 ? "" : "\(graph.name): ") + "\(policy.name) (\(policy.id))"
                return Part(prefix: prefix, title: title, picture: GraphPicture(policy, routes: graph.routes ?? []))
            }
        }
    }

    /// One box.
    struct Box: Sendable, Hashable {
        /// The graph node id (or a synthesised `hooks:…`/`reminders` id).
        var id: String
        /// What it stands for.
        var role: Role
        /// The first line, drawn prominently.
        var title: String
        /// Further lines, already wrapped.
        var lines: [String]
    }

    /// One arrow.
    struct Arrow: Sendable, Hashable {
        /// Source box id.
        var from: String
        /// Target box id.
        var to: String
        /// How it is drawn.
        var line: Line
        /// Label lines (several when parallel edges were merged).
        var labels: [String]
    }

    /// Longest line before wrapping.
    static let width = 42

    /// The policy drawn.
    var policy: CompiledPolicy
    /// Boxes, in ladder order.
    var boxes: [Box] = []
    /// Arrows, in ladder order; parallel edges of one kind are merged.
    var arrows: [Arrow] = []
    /// Box id → row (longest path from the start, back edges of a repeat left out).
    var ranks: [String: Int] = [:]
    /// Side boxes (stages, actions, hooks, reminders) hanging off the same box, in order: the renderers stack each
    /// list in a column with invisible links, so they do not spread into a wide row.
    var stacks: [[String]] = []

    /// The row the ends of the ladder share: the lowest row any end reaches.
    var endRank: Int {
        boxes.filter { $0.role.isEnd }.compactMap { ranks[$0.id] }.max() ?? 1
    }

    /// Builds the picture of a policy.
    init(_ policy: CompiledPolicy, routes: [CompiledRoute] = []) {
        self.policy = policy
        let used = Set(policy.edges.flatMap { [$0.from, $0.to] })
        for node in policy.nodes where node.kind != .end || used.contains(node.id) {
            boxes.append(box(for: node))
        }
        for edge in policy.edges where !(edge.kind == .resolve && edge.detail == "undo") {
            add(arrow(for: edge))
        }
        addHooks()
        addRoutes(routes)
        let known = Set(boxes.map(\.id))
        arrows = arrows.filter { known.contains($0.from) && known.contains($0.to) }
        ranks = Self.ranks(boxes: boxes, arrows: arrows, entry: policy.entry)
        let roles = Dictionary(boxes.map { ($0.id, $0.role) }, uniquingKeysWith: { first, _ in first })
        var children: [String: [String]] = [:]
        var parents: [String] = []
        for arrow in arrows where [.stage, .action, .hook, .reminders].contains(roles[arrow.to]) {
            if children[arrow.from] == nil { parents.append(arrow.from) }
            if children[arrow.from]?.contains(arrow.to) != true { children[arrow.from, default: []].append(arrow.to) }
        }
        stacks = parents.compactMap { children[$0] }.filter { $0.count > 1 }
    }

    // MARK: Boxes

    private func box(for node: GraphNode) -> Box {
        switch node.kind {
        case .start:
            return Box(id: node.id, role: .start, title: policy.name, lines: startLines())
        case .branch:
            let text = node.condition.map(Self.describe) ?? ""
            return Box(id: node.id, role: .branch, title: "when \(text.isEmpty ? node.label : text)?", lines: [])
        case .notify, .task:
            return Box(id: node.id, role: node.kind == .task ? .task : .notify, title: node.label, lines: node.step.map(Self.stepLines) ?? [])
        case .wait:
            guard let wait = node.wait else { return Box(id: node.id, role: .wait, title: node.label, lines: []) }
            switch wait.kind {
            case .anchor: return Box(id: node.id, role: .wait, title: "wait until \(wait)", lines: [])
            case .business: return Box(id: node.id, role: .wait, title: "wait \(wait)", lines: wait.calendar.map { ["counted on \($0)"] } ?? [])
            case .duration: return Box(id: node.id, role: .wait, title: "wait \(wait)", lines: [])
            }
        case .repeat:
            var lines: [String] = []
            if let rule = node.repeatRule, rule.after.seconds > 0 || rule.after.businessDays > 0 { lines.append("each pass after \(rule.after)") }
            return Box(id: node.id, role: .repeat, title: node.label, lines: lines)
        case .stage:
            let id = String(node.id.dropFirst("stage:".count))
            guard let stage = policy.stages.first(where: { $0.id == id }) else { return Box(id: node.id, role: .stage, title: node.label, lines: []) }
            var lines = Self.wrap("post \(stage.template) → \(stage.channel)")
            if let expires = stage.expiresSeconds { lines.append("taken down after \(PolicyDuration.compact(expires) ?? "0s")") }
            if let earlier = stage.ifPosted { lines.append("only if stage \(earlier) was posted") }
            return Box(id: node.id, role: .stage, title: "stage \(stage.id)", lines: lines)
        case .action:
            let id = String(node.id.dropFirst("action:".count))
            guard let action = policy.actions.first(where: { $0.id == id }) else { return Box(id: node.id, role: .action, title: node.label, lines: []) }
            var lines = Self.wrap("\(action.template) → \(action.channel)")
            lines.append(action.undoOnResolve ? "undone on resolve" : "kept after resolve")
            return Box(id: node.id, role: .action, title: "action \(action.id)", lines: lines)
        case .end:
            let role = Role(rawValue: String(node.id.dropFirst("end:".count))).flatMap { $0.isEnd ? $0 : nil } ?? .end
            return Box(id: node.id, role: role, title: node.label, lines: [])
        }
    }

    private func startLines() -> [String] {
        var lines = ["triggered" + (policy.match.isEmpty ? " (any incident)" : "")]
        let match = policy.match.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.joined(separator: " or "))" }
        if !match.isEmpty { lines += Self.wrap("match " + match.joined(separator: ", ")) }
        if let threshold = policy.threshold {
            lines += Self.wrap("after \(threshold.count) events within \(PolicyDuration.compact(threshold.withinSeconds) ?? "0s")")
        }
        if let target = policy.targetAckSeconds { lines.append("target ack \(PolicyDuration.compact(target) ?? "0s")") }
        return lines
    }

    /// The lines describing a step: who, how, what, tasks and posts.
    static func stepLines(_ step: CompiledStep) -> [String] {
        var lines: [String] = []
        if !step.targets.isEmpty { lines += wrap("notify " + step.targets.map(\.description).joined(separator: ", ")) }
        if !step.cc.isEmpty { lines += wrap("cc " + step.cc.map(\.description).joined(separator: ", ")) }
        if !step.channels.isEmpty {
            let channels = step.channels.map { use in
                let names = use.isGroup ? "(\(use.channels.joined(separator: " + ")))" : use.channel
                if let wait = use.unansweredSeconds { return "\(names) if unanswered \(PolicyDuration.compact(wait) ?? "0s")" }
                return use.afterSeconds > 0 ? "\(names) +\(PolicyDuration.compact(use.afterSeconds) ?? "0s")" : names
            }
            lines += wrap("via " + channels.joined(separator: " → "))
        } else if !step.targets.isEmpty {
            lines.append("via contact preferences")
        }
        if let template = step.template { lines += wrap("template \(template)") }
        for task in step.tasks {
            var text = "task: \(task.title)"
            if let per = task.per { text += " (one per item of \(per))" }
            if let assignee = task.assignee { text += " → \(assignee)" }
            lines += wrap(text)
        }
        for post in step.posts { lines += wrap("post \(post.template) → \(post.channel)") }
        return lines
    }

    /// A step on one line (before wrapping): `notify A, B · cc C · via email · template T · task: …`.
    static func summary(_ step: CompiledStep) -> String {
        var parts: [String] = []
        if !step.targets.isEmpty { parts.append("notify " + step.targets.map(\.description).joined(separator: ", ")) }
        if !step.cc.isEmpty { parts.append("cc " + step.cc.map(\.description).joined(separator: ", ")) }
        if !step.channels.isEmpty { parts.append("via " + step.channels.map { $0.isGroup ? "(\($0.channels.joined(separator: " + ")))" : $0.channel }.joined(separator: " → ")) }
        if let template = step.template { parts.append("template \(template)") }
        for task in step.tasks { parts.append("task: \(task.title)" + (task.per.map { " (one per item of \($0))" } ?? "")) }
        for post in step.posts { parts.append("post \(post.template) → \(post.channel)") }
        return parts.joined(separator: " · ")
    }

    private mutating func addHooks() {
        let hooks = policy.hooks
        func lines(_ steps: [CompiledStep]) -> [String] {
            steps.enumerated().flatMap { index, step -> [String] in
                var head = "• " + (step.name ?? step.id ?? "step \(index + 1)")
                if let condition = step.condition { head += " (when \(Self.describe(condition)))" }
                return Self.wrap(head, indent: "   ") + Self.wrap(Self.summary(step), indent: "   ").map { "   " + $0 }
            }
        }
        if let trigger = hooks.trigger, !trigger.isEmpty {
            boxes.append(Box(id: "hooks:trigger", role: .hook, title: "on trigger", lines: lines(trigger)))
            add(Arrow(from: "start", to: "hooks:trigger", line: .side, labels: ["at once"]))
        }
        if !hooks.acknowledge.isEmpty, boxes.contains(where: { $0.id == "end:acknowledged" }) {
            boxes.append(Box(id: "hooks:acknowledge", role: .hook, title: "on acknowledge", lines: lines(hooks.acknowledge)))
            add(Arrow(from: "end:acknowledged", to: "hooks:acknowledge", line: .side, labels: []))
        }
        if !hooks.resolve.isEmpty, boxes.contains(where: { $0.id == "end:resolved" }) {
            boxes.append(Box(id: "hooks:resolve", role: .hook, title: "on resolve", lines: lines(hooks.resolve)))
            add(Arrow(from: "end:resolved", to: "hooks:resolve", line: .side, labels: []))
        }
        if let reports = hooks.report, !reports.isEmpty {
            let appended = policy.correlate.map { $0.append.isEmpty ? "" : " (appends \($0.append.joined(separator: ", ")))" } ?? ""
            boxes.append(Box(id: "hooks:report", role: .hook, title: "on report\(appended)", lines: lines(reports)))
            add(Arrow(from: policy.entry, to: "hooks:report", line: .side, labels: ["a later event joins"]))
        }
        if let scoped = hooks.scopeResolved, !scoped.isEmpty {
            boxes.append(Box(id: "hooks:scope_resolved", role: .hook, title: "on scope_resolved (each item but the last)", lines: lines(scoped)))
            add(Arrow(from: policy.entry, to: "hooks:scope_resolved", line: .side, labels: ["an item resolves"]))
        }
        for (signal, steps) in hooks.signals.sorted(by: { $0.key < $1.key }) where !steps.isEmpty {
            boxes.append(Box(id: "hooks:signal:\(signal)", role: .hook, title: "on signal \(signal)", lines: lines(steps)))
            add(Arrow(from: policy.entry, to: "hooks:signal:\(signal)", line: .signal, labels: ["signal: \(signal)"]))
        }
        for deadline in policy.deadlines ?? [] {
            var lines = Self.stepLines(deadline.step)
            if let signal = deadline.signal { lines.append("raises signal \(signal)") }
            if let until = deadline.until, !until.isEmpty { lines.append("cancelled by signal \(until.joined(separator: ", "))") }
            boxes.append(Box(id: "deadline:\(deadline.id)", role: .reminders, title: "deadline \(deadline.id) at \(deadline.wait)", lines: lines))
            add(Arrow(from: policy.entry, to: "deadline:\(deadline.id)", line: .side, labels: ["beside the ladder"]))
        }
        for watchdog in policy.watchdogs ?? [] {
            let id = watchdog.id ?? "watchdog"
            let title = "watchdog \(id): \(watchdog.every) without \((watchdog.resetOn ?? []).joined(separator: " or "))"
            boxes.append(Box(id: "watchdog:\(id)", role: .reminders, title: title, lines: Self.stepLines(watchdog.step)))
            add(Arrow(from: policy.entry, to: "watchdog:\(id)", line: .side, labels: ["while open"]))
        }
        if let reminders = policy.reminders {
            let title = reminders.resetOn.map { "watchdog: \(reminders.every) without \($0.joined(separator: " or "))" } ?? "reminders every \(reminders.every)"
            boxes.append(Box(id: "reminders", role: .reminders, title: title, lines: Self.stepLines(reminders.step)))
            add(Arrow(from: policy.entry, to: "reminders", line: .side, labels: ["while open"]))
        }
    }

    /// `during office-hours and severity = high or low`.
    static func describe(_ condition: CompiledCondition) -> String { condition.words(or: " or ", empty: "") }

    // MARK: Arrows

    private func arrow(for edge: GraphEdge) -> Arrow {
        let source = policy.node(edge.from)
        let target = policy.node(edge.to)
        switch edge.kind {
        case .next:
            let side = target.map { [.stage, .action].contains($0.kind) } ?? false
            return Arrow(from: edge.from, to: edge.to, line: side ? .side : .flow, labels: [])
        case .timer:
            let detail = edge.detail ?? ""
            let label: String
            if let wait = source?.wait {
                label = wait.kind == .anchor ? "at \(detail)" : "after \(detail)"
            } else {
                label = detail
            }
            return Arrow(from: edge.from, to: edge.to, line: .timer, labels: label.isEmpty ? [] : [label])
        case .acknowledge:
            return Arrow(from: edge.from, to: edge.to, line: .acknowledge, labels: ["ack"])
        case .signal:
            return Arrow(from: edge.from, to: edge.to, line: .signal, labels: ["signal: \(edge.detail ?? "?")"])
        case .resolve:
            return Arrow(from: edge.from, to: edge.to, line: .resolve, labels: [edge.detail.map { "\($0) on resolve" } ?? "resolve"])
        case .conditionTrue:
            return Arrow(from: edge.from, to: edge.to, line: .yes, labels: ["yes"])
        case .conditionFalse:
            return Arrow(from: edge.from, to: edge.to, line: .no, labels: ["no"])
        case .exhausted:
            let label = source?.repeatRule.map { "after \($0.times) more \($0.times == 1 ? "pass" : "passes")" } ?? edge.detail ?? "exhausted"
            return Arrow(from: edge.from, to: edge.to, line: .exhausted, labels: [label])
        }
    }

    /// A side box per route table the policy uses: the field, and each row with whom (or which channel) it picks.
    private mutating func addRoutes(_ routes: [CompiledRoute]) {
        let used = policy.routesUsed
        for route in routes where used.contains(route.id) {
            var lines: [String] = route.branches.map { branch in
                let value: String = branch.value ?? "any other"
                let targets: String = branch.targets.map(\.description).joined(separator: ", ")
                return value + " → " + targets
            }
            if let channels = route.channels {
                // A channel route: its rows name the channel a post or stage goes to.
                lines = channels.keys.sorted().map { "\($0) → channel:\(channels[$0] ?? "")" }
                if let fallback = route.fallbackChannel { lines.append("any other → channel:\(fallback)") }
            }
            boxes.append(Box(id: "route:\(route.id)", role: .stage, title: "route \(route.id) by \(route.field)", lines: lines))
            add(Arrow(from: policy.entry, to: "route:\(route.id)", line: .side, labels: ["\(route.field) picks"]))
        }
    }

    /// Adds an arrow, merging it into an earlier one with the same ends and line.
    private mutating func add(_ arrow: Arrow) {
        if let index = arrows.firstIndex(where: { $0.from == arrow.from && $0.to == arrow.to && $0.line == arrow.line }) {
            for label in arrow.labels where !arrows[index].labels.contains(label) { arrows[index].labels.append(label) }
        } else {
            arrows.append(arrow)
        }
    }

    /// Longest-path rows from the entry; arrows that close a cycle (a repeat going back) are ignored.
    private static func ranks(boxes: [Box], arrows: [Arrow], entry: String) -> [String: Int] {
        var outgoing: [String: [String]] = [:]
        for arrow in arrows { outgoing[arrow.from, default: []].append(arrow.to) }
        var onPath: Set<String> = []
        var back: Set<[String]> = []
        var visited: Set<String> = []
        func visit(_ id: String) {
            visited.insert(id)
            onPath.insert(id)
            for next in outgoing[id] ?? [] {
                if onPath.contains(next) {
                    back.insert([id, next])
                } else if !visited.contains(next) {
                    visit(next)
                }
            }
            onPath.remove(id)
        }
        visit(entry)
        for box in boxes where !visited.contains(box.id) { visit(box.id) }
        var ranks: [String: Int] = [:]
        var changed = true
        for box in boxes { ranks[box.id] = 0 }
        // Bellman-Ford style relaxation over the acyclic remainder: at most one pass per box.
        var passes = 0
        while changed && passes <= boxes.count {
            changed = false
            passes += 1
            for arrow in arrows where !back.contains([arrow.from, arrow.to]) {
                let candidate = (ranks[arrow.from] ?? 0) + 1
                if candidate > (ranks[arrow.to] ?? 0) {
                    ranks[arrow.to] = candidate
                    changed = true
                }
            }
        }
        return ranks
    }

    // MARK: Text

    /// Splits text into lines of at most `width` characters at spaces (a longer word stays whole); lines after the
    /// first start with `indent`.
    static func wrap(_ text: String, width: Int = GraphPicture.width, indent: String = "") -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        var lines: [String] = []
        var current = ""
        for word in words {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = indent + word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
