import EscalationCore
import Foundation
import Yams

/// Loads organisations from YAML files and folders, collecting every problem with its location.
public struct PolicyLoader: Sendable {
    /// A problem that stops loading altogether (a path that does not exist or cannot be read).
    public struct IOError: Error, CustomStringConvertible, Sendable {
        /// What went wrong.
        public var description: String
    }

    /// One organisation and what the loader found wrong with it.
    public struct Loaded: Sendable {
        /// The organisation (partial when there were errors).
        public var organisation: Organisation
        /// Every problem the loader found in it, sorted by location.
        public var diagnostics: [Diagnostic]
    }

    /// Creates a loader.
    public init() {}

    /// The YAML files of each organisation under the paths: a file is one organisation; a folder with YAML files
    /// is one; a folder of such folders is one per sub-folder. `tests/` folders are skipped.
    public func discover(_ paths: [String]) throws(IOError) -> [[String]] {
        var groups: [[String]] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw IOError(description: "\(path): no such file or folder")
            }
            if !isDirectory.boolValue {
                groups.append([path])
                continue
            }
            let direct = try yamlFiles(in: path, recursive: false)
            if !direct.isEmpty {
                groups.append(try yamlFiles(in: path, recursive: true))
                continue
            }
            let children = (try? manager.contentsOfDirectory(atPath: path))?.sorted() ?? []
            var found = false
            for child in children where child != "tests" && !child.hasPrefix(".") {
                let childPath = (path as NSString).appendingPathComponent(child)
                var childIsDirectory: ObjCBool = false
                guard manager.fileExists(atPath: childPath, isDirectory: &childIsDirectory), childIsDirectory.boolValue else { continue }
                let files = try yamlFiles(in: childPath, recursive: true)
                if !files.isEmpty {
                    groups.append(files)
                    found = true
                }
            }
            if !found { throw IOError(description: "\(path): no policy files (*.yaml, *.yml) found in this folder or its sub-folders") }
        }
        return groups
    }

    private func yamlFiles(in folder: String, recursive: Bool) throws(IOError) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
            throw IOError(description: "\(folder): cannot read this folder")
        }
        var files: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            manager.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                if recursive, name != "tests" { files += try yamlFiles(in: path, recursive: true) }
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                files.append(path)
            }
        }
        return files
    }

    /// Loads every organisation under the paths.
    public func load(paths: [String]) throws(IOError) -> [Loaded] {
        var organisations: [Loaded] = []
        for files in try discover(paths) {
            var texts: [(String, String)] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw IOError(description: "\(file): cannot read this file")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw IOError(description: "\(file): not UTF-8 text")
                }
                texts.append((file, text))
            }
            organisations.append(load(files: texts))
        }
        return organisations
    }

    /// Loads one organisation from in-memory files `(path, text)`.
    public func load(files: [(path: String, text: String)]) -> Loaded {
        let sink = DiagnosticSink()
        var organisation = Organisation()
        var seen: [String: [String: SourceLocation]] = [:]
        var headerLocations: [SourceLocation] = []

        func unique(_ section: String, _ id: Located<String>) -> Bool {
            if let first = seen[section, default: [:]][id.value] {
                sink.add(
                    LoadProblem.duplicateID(
                        "\(section.dropLast()) '\(id.value)' is already declared at \(first)", at: id.location,
                        hint: "rename one of them or remove the copy"))
                return false
            }
            seen[section, default: [:]][id.value] = id.location
            return true
        }

        for (path, text) in files {
            organisation.files.append(path)
            let source = SourceText(file: path, text: text)
            let reader = DocumentReader(source: source, sink: sink)
            guard let root = compose(text, source: source, sink: sink) else { continue }
            if reader.isNull(root) { continue }
            let sections = ["version", "organisation", "contacts", "groups", "schedules", "channels", "templates", "policies"]
            guard let map = reader.fields(root, what: "the top level of \((path as NSString).lastPathComponent)", allowed: sections) else {
                continue
            }
            if let node = map["version"], let version = reader.int(node, what: "version"), version.value != 1 {
                sink.add(LoadProblem.invalidValue("language version \(version.value) is not supported; this escalate reads version 1", at: version.location))
            }
            if let node = map["organisation"] {
                headerLocations.append(reader.location(node))
                if organisation.header == nil { organisation.header = reader.organisationHeader(node) }
            }
            if let node = map["contacts"] {
                for entry in reader.entries(node, what: "contacts") where unique("contacts", entry.id) {
                    if let contact = reader.contact(id: entry.id, node: entry.value) { organisation.contacts.append(contact) }
                }
            }
            if let node = map["groups"] {
                for entry in reader.entries(node, what: "groups") where unique("groups", entry.id) {
                    if let group = reader.group(id: entry.id, node: entry.value) { organisation.groups.append(group) }
                }
            }
            if let node = map["schedules"] {
                for entry in reader.entries(node, what: "schedules") where unique("schedules", entry.id) {
                    if let schedule = reader.schedule(id: entry.id, node: entry.value) { organisation.schedules.append(schedule) }
                }
            }
            if let node = map["channels"] {
                for entry in reader.entries(node, what: "channels") where unique("channels", entry.id) {
                    if let channel = reader.channel(id: entry.id, node: entry.value) { organisation.channels.append(channel) }
                }
            }
            if let node = map["templates"] {
                for entry in reader.entries(node, what: "templates") where unique("templates", entry.id) {
                    if let template = reader.template(id: entry.id, node: entry.value) { organisation.templates.append(template) }
                }
            }
            if let node = map["policies"] {
                for entry in reader.entries(node, what: "policies") where unique("policies", entry.id) {
                    if let policy = reader.policy(id: entry.id, node: entry.value) { organisation.policies.append(policy) }
                }
            }
        }
        if headerLocations.count > 1 {
            for location in headerLocations.dropFirst() {
                sink.add(
                    LoadProblem.organisationSection(
                        "a second 'organisation:' section; the first is at \(headerLocations[0])", at: location,
                        hint: "an organisation is declared once; merge the two sections"))
            }
        } else if headerLocations.isEmpty, !files.isEmpty, !sink.diagnostics.contains(where: { $0.rule == LoadProblem.yamlSyntax.id || $0.rule == LoadProblem.duplicateKey.id }) {
            sink.add(
                LoadProblem.organisationSection(
                    "no file of this organisation has an 'organisation:' section",
                    at: SourceLocation(file: files[0].path, line: 1, column: 1),
                    hint: "add 'organisation:' with id, name and timezone to one file"))
        }
        return Loaded(organisation: organisation, diagnostics: sink.diagnostics)
    }

    private func compose(_ text: String, source: SourceText, sink: DiagnosticSink) -> Node? {
        do {
            return try Yams.compose(yaml: text) ?? Node("", Tag(.null))
        } catch let error as YamlError {
            sink.add(diagnostic(for: error, source: source))
            return nil
        } catch {
            sink.add(LoadProblem.yamlSyntax("cannot parse YAML: \(error)", at: source.location(line: 1, column: 1)))
            return nil
        }
    }

    private func diagnostic(for error: YamlError, source: SourceText) -> Diagnostic {
        let hint = "check indentation (spaces, not tabs), a missing ':' or an unclosed quote or bracket near this line"
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let contextText = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return LoadProblem.yamlSyntax(
                "invalid YAML: \(problem)\(contextText)", at: source.location(line: mark.line, column: mark.column), hint: hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = context.mark
            if let line = source.duplicateKeyLine(key: key, firstLine: first.line, column: first.column) {
                return LoadProblem.duplicateKey(
                    "duplicate key '\(key)'; it is already set at line \(first.line), column \(first.column)",
                    at: source.location(line: line, column: first.column),
                    hint: "YAML keeps only one value per key: remove or rename one of them")
            }
            return LoadProblem.duplicateKey(
                "key '\(key)' appears more than once in this mapping",
                at: source.location(line: first.line, column: first.column),
                hint: "YAML keeps only one value per key: remove or rename one of them")
        case .reader(let problem, _, _, _):
            return LoadProblem.yamlSyntax("cannot read the file: \(problem)", at: source.location(line: 1, column: 1))
        default:
            return LoadProblem.yamlSyntax("invalid YAML: \(error)", at: source.location(line: 1, column: 1), hint: hint)
        }
    }
}
