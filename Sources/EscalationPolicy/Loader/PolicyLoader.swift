import EscalationCore
import EscalationYAML
import Foundation

/// Loads organisations from YAML files and folders, collecting every problem with its location.
public struct PolicyLoader: Sendable {
    /// A problem that stops loading altogether (a path that does not exist or cannot be read). Callers compare
    /// `cause`, never the text; the causes are a struct over a private enum, so adding one breaks no caller.
    public struct IOError: Error, CustomStringConvertible, Sendable {
        /// Why loading stopped.
        public struct Cause: Sendable, Hashable {
            private enum Value: Sendable, Hashable { case missing, empty, unreadable, notUTF8 }
            private let value: Value
            /// The path does not exist.
            public static let missing = Cause(value: .missing)
            /// A folder holds no policy files.
            public static let empty = Cause(value: .empty)
            /// A file or folder cannot be read.
            public static let unreadable = Cause(value: .unreadable)
            /// A file is not UTF-8 text.
            public static let notUTF8 = Cause(value: .notUTF8)
        }

        /// Why.
        public var cause: Cause
        /// The path involved.
        public var path: String
        /// What went wrong, with the path.
        public var description: String

        init(_ cause: Cause, path: String, _ description: String) {
            self.cause = cause
            self.path = path
            self.description = description
        }
    }

    /// One organisation and what the loader found wrong with it.
    public struct Loaded: Sendable {
        /// The organisation (partial when there were errors).
        public var organisation: Organisation
        /// Every problem the loader found in it, sorted by location.
        public var diagnostics: [Diagnostic]
        /// The files it was read from, as read (so it can be loaded again exactly, e.g. from a snapshot).
        public var sources: [PolicySource] = []
    }

    /// Creates a loader.
    public init() {}

    /// The YAML files of each organisation under the paths: a file is one organisation; a folder with YAML files
    /// is one; a folder of such folders is one per sub-folder. `tests/` folders are skipped.
    public func discover(_ paths: [String]) throws(IOError) -> [[String]] {
        let candidates = candidates(paths)
        let listed = candidates.map { candidate -> Result<[String], IOError> in
            do throws(IOError) {
                return .success(try files(of: candidate))
            } catch {
                return .failure(error)
            }
        }
        return try Self.organisations(candidates, listed: listed).map(\.files)
    }

    func yamlFiles(in folder: String, recursive: Bool) throws(IOError) -> [String] {
        var visited = Set<FolderEntry.Identity>()
        return try yamlFiles(in: folder, recursive: recursive, visited: &visited)
    }

    /// The YAML files of a folder; `visited` holds the identities (device and inode) of folders already read, so a
    /// symbolic link that loops back (or reaches a folder twice) is read once.
    private func yamlFiles(in folder: String, recursive: Bool, visited: inout Set<FolderEntry.Identity>) throws(IOError) -> [String] {
        guard let identity = FolderEntry.status(of: folder)?.identity else {
            throw IOError(.unreadable, path: folder, "\(folder): cannot read this folder")
        }
        guard visited.insert(identity).inserted else { return [] }
        guard let entries = FolderEntry.list(folder) else {
            throw IOError(.unreadable, path: folder, "\(folder): cannot read this folder")
        }
        var files: [String] = []
        for entry in entries where !entry.name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(entry.name)
            if entry.isDirectory(at: path) {
                if recursive, entry.name != "tests" { files += try yamlFiles(in: path, recursive: true, visited: &visited) }
            } else if entry.name.hasSuffix(".yaml") || entry.name.hasSuffix(".yml") {
                files.append(path)
            }
        }
        return files
    }

    /// Loads every organisation under the paths.
    public func load(paths: [String]) throws(IOError) -> [Loaded] {
        var organisations: [Loaded] = []
        for files in try discover(paths) {
            organisations.append(try load(organisationFiles: files))
        }
        return organisations
    }

    /// Reads and loads one organisation's files (a group from `discover(_:)`).
    public func load(organisationFiles files: [String]) throws(IOError) -> Loaded {
        var texts: [(String, String)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw IOError(.unreadable, path: file, "\(file): cannot read this file")
            }
            guard let text = Self.decode(data) else {
                throw IOError(.notUTF8, path: file, "\(file):\(Self.firstInvalidUTF8(data)): not UTF-8 text (nor UTF-16/32 with a byte order mark); save the file as UTF-8")
            }
            texts.append((file, text))
        }
        return load(files: texts)
    }

    /// A YAML file's text: UTF-8 (a BOM is dropped), or UTF-16/UTF-32 with a byte order mark, as YAML 1.2 allows.
    static func decode(_ data: Data) -> String? {
        let bytes = [UInt8](data.prefix(4))
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return String(data: data, encoding: .utf32BigEndian).map { String($0.drop { $0 == "\u{FEFF}" }) } }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return String(data: data, encoding: .utf32LittleEndian).map { String($0.drop { $0 == "\u{FEFF}" }) } }
        if bytes.starts(with: [0xFE, 0xFF]) { return String(data: data.dropFirst(2), encoding: .utf16BigEndian) }
        if bytes.starts(with: [0xFF, 0xFE]) { return String(data: data.dropFirst(2), encoding: .utf16LittleEndian) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(data: data.dropFirst(3), encoding: .utf8) }
        return String(data: data, encoding: .utf8)
    }

    /// `(path as NSString).lastPathComponent` without bridging to NSString (27,000 instructions a file): the text
    /// after the last `/`. Paths that are empty or end with `/` go through NSString, which trims them first.
    static func lastPathComponent(_ path: String) -> String {
        guard let last = path.utf8.last, last != UInt8(ascii: "/") else { return (path as NSString).lastPathComponent }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// `line:column` of the first byte that is not valid UTF-8 (1-based, counting characters before it).
    static func firstInvalidUTF8(_ data: Data) -> String {
        let bytes = [UInt8](data)
        var index = 0
        var line = 1
        var column = 1
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            guard length > 0, index + length <= bytes.count, String(bytes: bytes[index..<index + length], encoding: .utf8) != nil else { break }
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        return "\(line):\(column)"
    }

    /// Loads one organisation from in-memory files `(path, text)`.
    public func load(files: [(path: String, text: String)]) -> Loaded {
        let sink = DiagnosticSink()
        var organisation = Organisation()
        var seen: [String: [String: SourceLocation]] = [:]
        var headerLocations: [SourceLocation] = []

        // Each id is hashed once: stored at once, and the first location put back when it was there already.
        func unique(_ section: String, _ id: Located<String>) -> Bool {
            if let first = seen[section, default: [:]].updateValue(id.location, forKey: id.value) {
                seen[section, default: [:]][id.value] = first
                let noun = section == "policies" ? "policy" : String(section.dropLast())
                sink.add(
                    LoadProblem.duplicateID(
                        "\(noun) '\(id.value)' is already declared at \(first)", at: id.location,
                        hint: "rename one of them or remove the copy"))
                return false
            }
            return true
        }

        for (path, text) in files {
            organisation.files.append(path)
            let source = SourceText(file: path, text: text)
            // No document at all reads as null, as an empty one does.
            guard let document = compose(text, source: source, sink: sink), let root = document.root else { continue }
            let reader = DocumentReader(source: source, document: document, sink: sink)
            if reader.isNull(root) { continue }
            let sections = ["version", "organisation", "contacts", "groups", "schedules", "channels", "templates", "routes", "policies"]
            defer {
                reader.reportUnknownKeys()
                organisation.damaged.formUnion(reader.damaged.items)
            }
            guard
                let map = reader.fields(
                    root, what: "the top level of \(Self.lastPathComponent(path))", allowed: sections,
                    hint: "a policy file is a map of sections: organisation, contacts, groups, schedules, channels, templates, routes, policies")
            else {
                continue
            }
            if let node = map["version"], let version = reader.int(node, what: "version"), version.value != 1 {
                sink.add(
                    LoadProblem.invalidValue(
                        "language version \(version.value) is not supported; this escalate reads version 1", at: version.location,
                        hint: "write 'version: 1', or remove the key"))
            }
            if let node = map["organisation"] {
                let owner = map.keyLocation("organisation")
                headerLocations.append(owner ?? reader.location(node))
                if organisation.header == nil { organisation.header = reader.organisationHeader(node, owner: owner) }
                if organisation.declaredID == nil, let id = document.value(node, forKey: "id"), document.isScalar(id) {
                    organisation.declaredID = document.string(id)
                }
            }
            if let node = map["contacts"] {
                for entry in reader.entries(node, what: "contacts") where unique("contacts", entry.id) {
                    if let contact = reader.tracking(ModelItem(.contact, entry.id.value), { reader.contact(id: entry.id, node: entry.value) }) { organisation.contacts.append(contact) }
                }
            }
            if let node = map["groups"] {
                for entry in reader.entries(node, what: "groups") where unique("groups", entry.id) {
                    if let group = reader.tracking(ModelItem(.group, entry.id.value), { reader.group(id: entry.id, node: entry.value) }) { organisation.groups.append(group) }
                }
            }
            if let node = map["schedules"] {
                for entry in reader.entries(node, what: "schedules") where unique("schedules", entry.id) {
                    if let schedule = reader.tracking(ModelItem(.schedule, entry.id.value), { reader.schedule(id: entry.id, node: entry.value) }) { organisation.schedules.append(schedule) }
                }
            }
            if let node = map["channels"] {
                for entry in reader.entries(node, what: "channels") where unique("channels", entry.id) {
                    if let channel = reader.tracking(ModelItem(.channel, entry.id.value), { reader.channel(id: entry.id, node: entry.value) }) { organisation.channels.append(channel) }
                }
            }
            if let node = map["templates"] {
                for entry in reader.entries(node, what: "templates") where unique("templates", entry.id) {
                    if let template = reader.tracking(ModelItem(.template, entry.id.value), { reader.template(id: entry.id, node: entry.value) }) { organisation.templates.append(template) }
                }
            }
            if let node = map["routes"] {
                for entry in reader.entries(node, what: "routes") where unique("routes", entry.id) {
                    if let route = reader.tracking(ModelItem(.route, entry.id.value), { reader.route(id: entry.id, node: entry.value) }) { organisation.routes.append(route) }
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
        return Loaded(organisation: organisation, diagnostics: sink.diagnostics, sources: files.map { PolicySource(path: $0.path, text: $0.text) })
    }

    /// The composed file, or nil after reporting why it cannot be composed. Untagged scalars stay strings (as
    /// `Resolver.basic` leaves them); `ImplicitTag` classifies the few whose YAML type matters.
    private func compose(_ text: String, source: SourceText, sink: DiagnosticSink) -> YAMLDocument? {
        do {
            return try YAMLComposer.compose(text)
        } catch {
            sink.add(diagnostic(for: error, source: source))
            return nil
        }
    }

    /// The diagnostic for a composing error, worded as it was when Yams composed the files.
    private func diagnostic(for error: YAMLError, source: SourceText) -> Diagnostic {
        let hint = "check indentation (spaces, not tabs), a missing ':' or an unclosed quote or bracket near this line"
        switch error {
        case .scanner(let context, let problem, let mark), .parser(let context, let problem, let mark),
            .composer(let context, let problem, let mark):
            if let diagnostic = explain(problem: problem, mark: mark, context: context, source: source) { return diagnostic }
            let contextText = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return LoadProblem.yamlSyntax(
                "invalid YAML: \(problem)\(contextText)", at: source.location(line: mark.line, column: mark.column), hint: hint)
        case .duplicatedKeys(let duplicates, let first):
            let key = duplicates.first ?? "?"
            let hint = "YAML keeps only one value per key: remove or rename one of them"
            if let second = source.duplicateKey(key: key, firstLine: first.line, column: first.column) {
                return LoadProblem.duplicateKey(
                    "duplicate key '\(key)'; it is already set at line \(first.line), column \(first.column)", at: second, hint: hint)
            }
            return LoadProblem.duplicateKey(
                "key '\(key)' appears more than once in one mapping; this is its first occurrence",
                at: source.location(line: first.line, column: first.column), hint: hint)
        case .reader(let problem, _, _):
            return LoadProblem.yamlSyntax(
                "cannot read the file: \(problem)", at: source.location(line: 1, column: 1),
                hint: "save the file as UTF-8 text without control characters")
        case .tooLarge:
            return LoadProblem.yamlSyntax(
                "cannot read the file: it is larger than 1 GiB", at: source.location(line: 1, column: 1),
                hint: "split the organisation into several files")
        case .memory:
            // Yams described its memory error so.
            return LoadProblem.yamlSyntax("invalid YAML: Memory error", at: source.location(line: 1, column: 1), hint: hint)
        }
    }

    /// A plain-words explanation of the libyaml errors people run into most, located where the mistake is
    /// (the opening quote or bracket rather than the end of the file); nil for the others.
    private func explain(problem: String, mark: YAMLMark, context: YAMLError.Context?, source: SourceText) -> Diagnostic? {
        let found = "line \(mark.line), column \(mark.column)"
        if let context {
            let at = source.location(line: context.mark.line, column: context.mark.column)
            switch context.text {
            case "while scanning a quoted scalar":
                let quote = source.character(line: context.mark.line, column: context.mark.column).map(String.init) ?? "\""
                let end = problem.contains("end of stream") ? "the end of the file" : found
                return LoadProblem.yamlSyntax(
                    "a quoted string starting here is never closed (YAML read on to \(end) looking for the closing \(quote))",
                    at: at, hint: "end the string with \(quote) on the same line, or remove the opening \(quote)")
            case "while parsing a flow sequence" where problem.contains("']'"):
                return LoadProblem.yamlSyntax(
                    "a '[' opened here is never closed (YAML expected ',' or ']' at \(found))", at: at,
                    hint: "close the list with ']' before the end of the line, e.g. [{ contact: bob }]")
            case "while parsing a flow mapping" where problem.contains("'}'"):
                return LoadProblem.yamlSyntax(
                    "a '{' opened here is never closed (YAML expected ',' or '}' at \(found))", at: at,
                    hint: "close the map with '}' before the end of the line, e.g. { contact: bob }")
            case "while scanning a simple key" where problem.contains("':'"):
                return LoadProblem.yamlSyntax(
                    "this line reads as a key but has no ':' after it", at: at,
                    hint: "add ':' after the key (e.g. 'name: Alice'), or indent the line to continue the value above")
            default:
                break
            }
        }
        if problem == "found character that cannot start any token",
            let character = source.character(line: mark.line, column: mark.column)
        {
            let location = source.location(line: mark.line, column: mark.column)
            if character == "\t" {
                let indentation = source.text(line: mark.line).unicodeScalars.prefix(mark.column - 1).allSatisfy { $0 == " " || $0 == "\t" }
                return LoadProblem.yamlSyntax(
                    indentation ? "a tab is used for indentation; YAML needs spaces" : "a tab here cannot start a value; YAML needs spaces",
                    at: location, hint: "replace the tab on line \(mark.line) with spaces, lined up with the keys around it")
            }
            return LoadProblem.yamlSyntax(
                "'\(character)' cannot start a plain value", at: location,
                hint: "put the value in quotes, e.g. \"\(character)…\"")
        }
        if problem == "mapping values are not allowed in this context" {
            let location = source.location(line: mark.line, column: mark.column)
            var previous = mark.line - 1
            while previous >= 1, source.text(line: previous).trimmingCharacters(in: .whitespaces).isEmpty
                || source.text(line: previous).trimmingCharacters(in: .whitespaces).hasPrefix("#")
            {
                previous -= 1
            }
            let previousText = source.text(line: previous).trimmingCharacters(in: .whitespaces)
            if previous >= 1, !previousText.contains(":"), !previousText.hasPrefix("-") {
                let words = previousText.split(separator: " ", maxSplits: 1)
                let fixed = words.count == 2 ? "\(words[0]): \(words[1])" : "\(previousText):"
                return LoadProblem.yamlSyntax(
                    "unexpected ':'; line \(previous) ('\(previousText)') has no ':' after its key, so YAML reads line \(mark.line) as the rest of its text",
                    at: location, hint: "add the missing ':' on line \(previous), e.g. '\(fixed)'")
            }
            return LoadProblem.yamlSyntax(
                "a ': ' is not allowed here: YAML reads it as the start of another key on the same line", at: location,
                hint: "if the line before is missing the ':' after its key, add it; if this value contains ': ', put the value in quotes")
        }
        if problem == "found undefined alias" {
            let location = source.location(line: mark.line, column: mark.column)
            let anchors = source.anchors()
            guard let name = source.alias(line: mark.line, column: mark.column) else {
                return LoadProblem.yamlSyntax(
                    "this alias refers to no anchor", at: location, hint: "define the anchor with '&name' before using '*name'")
            }
            if let later = anchors.first(where: { $0.name == name }) {
                return LoadProblem.yamlSyntax(
                    "alias '*\(name)' is used before its anchor '&\(name)' at line \(later.location.line)", at: location,
                    hint: "YAML needs the anchor first: move '&\(name)' above this line, or write the value out here")
            }
            let defined = anchors.filter { $0.location.line < mark.line || ($0.location.line == mark.line && $0.location.column < mark.column) }
            if let suggestion = name.closest(in: defined.map(\.name)),
                let anchor = defined.first(where: { $0.name == suggestion })
            {
                return LoadProblem.yamlSyntax(
                    "alias '*\(name)' refers to no anchor (did you mean '*\(suggestion)', defined at line \(anchor.location.line)?)",
                    at: location, hint: "write '*\(suggestion)', or define '&\(name)' on the value to reuse")
            }
            let names = defined.map { "'*\($0.name)'" }
            return LoadProblem.yamlSyntax(
                "alias '*\(name)' refers to no anchor", at: location,
                hint: names.isEmpty
                    ? "define it with '&\(name)' on the value to reuse, before this line"
                    : "anchors defined above: \(names.joined(separator: ", ")); or define '&\(name)' on the value to reuse")
        }
        return nil
    }
}
