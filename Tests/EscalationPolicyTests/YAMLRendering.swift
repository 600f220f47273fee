import Yams

@testable import EscalationPolicy
@testable import EscalationYAML

/// One text for a composed node or a composing error, the same for Yams' result and `YAMLComposer`'s, so that the
/// two can be compared as strings: kind, resolved tag, scalar style, mark and text of every node, every collection's
/// items in order (an alias as the node it names, as Yams gives it); an error's kind, context, problem and marks.
/// Yams reports every composed collection's style as `any` (it reads the style from the end event), so collection
/// styles are left out.
enum YAMLRendering {
    /// A node composed by Yams.
    static func render(_ node: Node) -> String {
        let mark = node.mark.map { "\($0.line):\($0.column)" } ?? "-"
        switch node {
        case .scalar(let scalar):
            return "S(\(node.tag.rawValue) \(scalar.style.rawValue) \(mark) \(scalar.string.debugDescription))"
        case .sequence(let sequence):
            return "Q(\(node.tag.rawValue) \(mark))[" + sequence.map(render).joined(separator: ", ") + "]"
        case .mapping(let mapping):
            return "M(\(node.tag.rawValue) \(mark)){" + mapping.map { render($0.key) + ": " + render($0.value) }.joined(separator: ", ") + "}"
        case .alias:
            return "A"
        }
    }

    /// A node of a `YAMLDocument`.
    static func render(_ node: YAMLNode, in document: YAMLDocument) -> String {
        let mark = document.mark(node).description
        let tag = document.tagName(node)
        switch document.kind(node) {
        case .scalar:
            return "S(\(tag) \(document.style(node).rawValue) \(mark) \(document.string(node).debugDescription))"
        case .sequence:
            return "Q(\(tag) \(mark))[" + document.items(node).map { render($0, in: document) }.joined(separator: ", ") + "]"
        case .mapping:
            let pairs = (0..<document.count(node)).map { render(document.key(node, $0), in: document) + ": " + render(document.value(node, $0), in: document) }
            return "M(\(tag) \(mark)){" + pairs.joined(separator: ", ") + "}"
        }
    }

    /// What `Yams.compose` gives for `text` as the loader called it: a tree, "nil" or an error.
    static func yams(_ text: String) -> String {
        do {
            return try Yams.compose(yaml: text, .basic, .default, .utf8).map(render) ?? "nil"
        } catch let error as YamlError {
            return render(error)
        } catch {
            return "other error \(error)"
        }
    }

    /// What `YAMLComposer.compose` gives for `text`, in the same form.
    static func composer(_ text: String) -> String {
        do {
            let document = try YAMLComposer.compose(text)
            return document.root.map { render($0, in: document) } ?? "nil"
        } catch {
            return render(error)
        }
    }

    private static func context(_ text: String?, _ line: Int?, _ column: Int?) -> String {
        guard let text, let line, let column else { return "-" }
        return "\(text) at \(line):\(column)"
    }

    static func render(_ error: YamlError) -> String {
        switch error {
        case .reader(let problem, _, _, _): return "reader \(problem)"
        case .scanner(let c, let problem, let mark, _): return "scanner \(context(c?.text, c?.mark.line, c?.mark.column)) \(problem) \(mark)"
        case .parser(let c, let problem, let mark, _): return "parser \(context(c?.text, c?.mark.line, c?.mark.column)) \(problem) \(mark)"
        case .composer(let c, let problem, let mark, _): return "composer \(context(c?.text, c?.mark.line, c?.mark.column)) \(problem) \(mark)"
        case .duplicatedKeysInMapping(let keys, let c): return "duplicates \(keys) \(c.mark)"
        case .memory: return "memory"
        default: return "other \(error)"
        }
    }

    static func render(_ error: YAMLError) -> String {
        switch error {
        case .reader(let problem, _, _): return "reader \(problem)"
        case .scanner(let c, let problem, let mark): return "scanner \(context(c?.text, c?.mark.line, c?.mark.column)) \(problem) \(mark)"
        case .parser(let c, let problem, let mark): return "parser \(context(c?.text, c?.mark.line, c?.mark.column)) \(problem) \(mark)"
        case .composer(let c, let problem, let mark): return "composer \(context(c?.text, c?.mark.line, c?.mark.column)) \(problem) \(mark)"
        case .duplicatedKeys(let keys, let mark): return "duplicates \(keys) \(mark)"
        case .memory: return "memory"
        case .tooLarge: return "too large"
        }
    }
}
