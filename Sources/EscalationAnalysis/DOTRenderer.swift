import EscalationGraph
/// Draws policies as a Graphviz DOT digraph (`rankdir=TB`): the same boxes and labelled edges as the Mermaid
/// drawing, shapes and colours by node kind, the ends of the ladder on one row, and a cluster per policy when
/// there are several. The same graph always gives the same bytes.
public struct DOTRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// One policy.
    public func render(_ policy: CompiledPolicy) -> String {
        let part = GraphPicture.Part(prefix: "", title: "\(policy.name) (\(policy.id))", picture: GraphPicture(policy))
        return draw([part], name: policy.id, title: part.title, subtitle: "version \(policy.version)")
    }

    /// Every policy of an organisation.
    public func render(_ graph: RuleGraph) -> String {
        render([graph])
    }

    /// Every policy of several organisations.
    public func render(_ graphs: [RuleGraph]) -> String {
        let parts = GraphPicture.parts(graphs)
        if parts.count == 1, let part = parts.first {
            let organisation = graphs.first { !$0.policies.isEmpty }
            return draw(
                parts, name: organisation?.organisation ?? "escalate", title: part.title,
                subtitle: [organisation?.name, "version \(part.picture.policy.version)"].compactMap { $0 }.joined(separator: " · "))
        }
        let name = graphs.map(\.organisation).joined(separator: "+")
        let title = graphs.map(\.name).joined(separator: ", ")
        return draw(parts, name: name.isEmpty ? "escalate" : name, title: title, subtitle: nil)
    }

    private func draw(_ parts: [GraphPicture.Part], name: String, title: String, subtitle: String?) -> String {
        var out = ["digraph \(Self.quote(name)) {"]
        var heading = "<B>\(Self.html(title))</B>"
        if let subtitle { heading += "<BR/><FONT POINT-SIZE=\"9\">\(Self.html(subtitle))</FONT>" }
        out.append("    graph [rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.4, fontname=\"Helvetica\", labelloc=t, label=<\(heading)>];")
        out.append("    node [fontname=\"Helvetica\", fontsize=11, style=filled, fontcolor=\"#212121\", margin=\"0.12,0.06\"];")
        out.append("    edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];")
        let framed = parts.count > 1
        for (index, part) in parts.enumerated() {
            var indent = "    "
            if framed {
                out.append("    subgraph \(Self.quote("cluster_\(index + 1)_\(part.prefix)")) {")
                out.append("        graph [label=<<B>\(Self.html(part.title))</B><BR/><FONT POINT-SIZE=\"9\">version \(part.picture.policy.version)</FONT>>, style=rounded, color=\"#b0bec5\", fontsize=12];")
                indent = "        "
            }
            for box in part.picture.boxes {
                out.append("\(indent)\(Self.quote(part.prefix + box.id)) [\(Self.attributes(box))];")
            }
            let ends = part.picture.boxes.filter { $0.role.isEnd }.map { Self.quote(part.prefix + $0.id) }
            if ends.count > 1 { out.append("\(indent){ rank=same; \(ends.joined(separator: "; ")); }") }
            for arrow in part.picture.arrows {
                out.append("\(indent)\(Self.quote(part.prefix + arrow.from)) -> \(Self.quote(part.prefix + arrow.to)) [\(Self.attributes(arrow))];")
            }
            for stack in part.picture.stacks {
                for (upper, lower) in zip(stack, stack.dropFirst()) {
                    out.append("\(indent)\(Self.quote(part.prefix + upper)) -> \(Self.quote(part.prefix + lower)) [style=invis];")
                }
            }
            if framed { out.append("    }") }
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    private static func attributes(_ box: GraphPicture.Box) -> String {
        var shape: String
        var style = "filled"
        var extra = ""
        switch box.role {
        case .start: shape = "box"; style = "rounded,filled"
        case .branch: shape = "diamond"
        case .notify: shape = "box"
        case .task: shape = "box"; extra = ", peripheries=2"
        case .wait: shape = "hexagon"
        case .repeat: shape = "box"; style = "rounded,filled,dashed"
        case .stage: shape = "tab"
        case .action: shape = "component"
        case .hook, .reminders: shape = "note"
        case .resolved: shape = "doublecircle"; extra = ", fixedsize=true, width=1.05, fontsize=10"
        case .acknowledged, .exhausted, .stopped, .end: shape = "circle"; extra = ", fixedsize=true, width=1.1, fontsize=10"
        }
        let title = GraphPicture.wrap(box.title).map(html).joined(separator: "<BR/>")
        var label = box.role.isEnd ? title : "<B>\(title)</B>"
        if !box.lines.isEmpty {
            // A hook lists steps: left-aligned (each line ends in a left break); other boxes are centred.
            let lines =
                box.role == .hook
                ? box.lines.map { html($0) + "<BR ALIGN=\"LEFT\"/>" }.joined()
                : box.lines.map(html).joined(separator: "<BR/>")
            label += "<BR/><FONT POINT-SIZE=\"9\">\(lines)</FONT>"
        }
        return "shape=\(shape), style=\(quote(style)), fillcolor=\(quote(box.role.fill)), color=\(quote(box.role.stroke))\(extra), label=<\(label)>"
    }

    private static func attributes(_ arrow: GraphPicture.Arrow) -> String {
        var parts = ["color=\(quote(arrow.line.colour))"]
        if !arrow.labels.isEmpty {
            parts.append("label=\(quote(arrow.labels.joined(separator: "\n")))")
            parts.append("fontcolor=\(quote(arrow.line.colour))")
        }
        switch arrow.line {
        case .acknowledge, .signal: parts.append("style=dashed")
        case .resolve, .side: parts.append("style=dotted")
        case .timer, .yes, .no, .exhausted: parts.append("penwidth=1.3")
        case .flow: break
        }
        return parts.joined(separator: ", ")
    }

    /// A DOT double-quoted string.
    static func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r", "\t": out += " "
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// Text inside an HTML-like label.
    static func html(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\r", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
