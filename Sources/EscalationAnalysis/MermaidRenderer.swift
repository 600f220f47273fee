import EscalationGraph
/// Draws policies as a Mermaid `flowchart TD` that GitHub renders: the ladder top to bottom, shapes by node kind,
/// labelled edges (`after 15m`, `ack`, `signal: X`, `yes`/`no`, `resolve`), one subgraph per policy when there are
/// several. The same graph always gives the same bytes.
public struct MermaidRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// One policy.
    public func render(_ policy: CompiledPolicy) -> String {
        draw([GraphPicture.Part(prefix: "", title: "\(policy.name) (\(policy.id))", picture: GraphPicture(policy))], header: [policy])
    }

    /// Every policy of an organisation.
    public func render(_ graph: RuleGraph) -> String {
        render([graph])
    }

    /// Every policy of several organisations.
    public func render(_ graphs: [RuleGraph]) -> String {
        draw(GraphPicture.parts(graphs), header: graphs.flatMap(\.policies))
    }

    private func draw(_ parts: [GraphPicture.Part], header policies: [CompiledPolicy]) -> String {
        var out = ["flowchart TD"]
        for policy in policies {
            out.append("    %% \(policy.id) version \(policy.version)")
        }
        var ids = Identifiers()
        var links: [GraphPicture.Line: [Int]] = [:]
        var classes: [GraphPicture.Role: [String]] = [:]
        var linkCount = 0
        let framed = parts.count > 1
        for part in parts {
            let indent = framed ? "        " : "    "
            if framed {
                out.append("    subgraph \(ids.frame(part.prefix)) [\"\(Self.escape(part.title))\"]")
                out.append("        direction TB")
            }
            let picture = part.picture
            for box in picture.boxes {
                let id = ids.node(part.prefix + box.id)
                let text = (GraphPicture.wrap(box.title) + box.lines).map(Self.escape).joined(separator: "<br/>")
                let (open, close) = Self.shape(box.role)
                out.append("\(indent)\(id)\(open)\"\(text)\"\(close)")
                classes[box.role, default: []].append(id)
            }
            let endRank = picture.endRank
            let ends = Set(picture.boxes.filter { $0.role.isEnd }.map(\.id))
            for arrow in picture.arrows {
                let length = ends.contains(arrow.to) ? max(1, endRank - (picture.ranks[arrow.from] ?? 0)) : 1
                let link = arrow.line.isDashed ? "-" + String(repeating: ".", count: length) + "->" : String(repeating: "-", count: length + 1) + ">"
                let label = arrow.labels.isEmpty ? "" : "|\"\(arrow.labels.map(Self.escape).joined(separator: "<br/>"))\"|"
                out.append("\(indent)\(ids.node(part.prefix + arrow.from)) \(link)\(label) \(ids.node(part.prefix + arrow.to))")
                links[arrow.line, default: []].append(linkCount)
                linkCount += 1
            }
            for stack in picture.stacks {
                for (upper, lower) in zip(stack, stack.dropFirst()) {
                    out.append("\(indent)\(ids.node(part.prefix + upper)) ~~~ \(ids.node(part.prefix + lower))")
                    linkCount += 1
                }
            }
            if framed { out.append("    end") }
        }
        for role in GraphPicture.Role.allCases {
            guard let members = classes[role] else { continue }
            out.append("    classDef k_\(role.rawValue) fill:\(role.fill),stroke:\(role.stroke),color:#212121")
            out.append("    class \(members.joined(separator: ",")) k_\(role.rawValue)")
        }
        for line in Self.lineOrder {
            guard let indices = links[line], line != .flow else { continue }
            let dash = line.isDashed ? ",stroke-dasharray:4 3" : ""
            out.append("    linkStyle \(indices.map(String.init).joined(separator: ",")) stroke:\(line.colour),color:\(line.colour)\(dash)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static let lineOrder: [GraphPicture.Line] = [.flow, .timer, .acknowledge, .signal, .resolve, .yes, .no, .exhausted, .side]

    /// The opening and closing brackets of a role's shape.
    private static func shape(_ role: GraphPicture.Role) -> (String, String) {
        switch role {
        case .start: ("([", "])")
        case .branch: ("{", "}")
        case .notify: ("[", "]")
        case .task: ("[[", "]]")
        case .wait: ("{{", "}}")
        case .repeat: ("(", ")")
        case .stage: ("[/", "/]")
        case .action: ("[/", "\\]")
        case .hook, .reminders: (">", "]")
        case .resolved: ("(((", ")))")
        case .acknowledged, .exhausted, .stopped, .end: ("((", "))")
        }
    }

    /// Text for a quoted Mermaid label: characters Mermaid or HTML would read as syntax become entity codes.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "&": out += "#amp;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "[": out += "#91;"
            case "]": out += "#93;"
            case "{": out += "#123;"
            case "}": out += "#125;"
            case "|": out += "#124;"
            case "`": out += "#96;"
            case "\n", "\r", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Mermaid ids for graph node ids: `n_` and letters, digits and `_` only, made unique in order of first use.
    struct Identifiers {
        private var names: [String: String] = [:]
        private var taken: Set<String> = []

        /// The id of a node.
        mutating func node(_ id: String) -> String { name(id, prefix: "n_") }

        /// The id of a policy's subgraph.
        mutating func frame(_ prefix: String) -> String { name("frame " + prefix, prefix: "") }

        private mutating func name(_ id: String, prefix: String) -> String {
            if let name = names[id] { return name }
            let base = prefix + String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            var candidate = base
            var counter = 2
            while taken.contains(candidate) {
                candidate = "\(base)_\(counter)"
                counter += 1
            }
            taken.insert(candidate)
            names[id] = candidate
            return candidate
        }
    }
}
