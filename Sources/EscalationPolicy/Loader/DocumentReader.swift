import EscalationCore
import Foundation
import Yams

/// Reads one composed YAML file into model values, reporting every problem with its location.
///
/// Value readers take `what`, the place and the key in the form `OWNER: KEY` (e.g. `layer 1 of policy 'outage':
/// timeout`), so messages read "layer 1 of policy 'outage': timeout '15' has no unit"; map readers take the noun
/// phrase of the map itself (e.g. `the reminders of policy 'outage'`).
struct DocumentReader {
    let source: SourceText
    let sink: DiagnosticSink
    /// Unknown keys seen so far, reported once per key and location by `reportUnknownKeys()`.
    let unknownKeys = UnknownKeys()
    /// Items whose reading reported an error.
    let damaged = DamagedItems()

    /// Reads an item; when reading it adds an error, the item is recorded as damaged.
    func tracking<T>(_ item: ModelItem, _ read: () -> T) -> T {
        let before = sink.errorCount
        let result = read()
        if sink.errorCount > before { damaged.items.insert(item) }
        return result
    }

    var file: String { source.file }

    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return source.location(line: 1, column: 1) }
        return source.location(line: mark.line, column: mark.column)
    }

    // MARK: - Describing what was found

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                switch ImplicitTag.of(node) {
                case .null: return "nothing (null)"
                case .int, .float: return "the number \(scalar.string)"
                case .bool where scalar.string == "true" || scalar.string == "false": return "the boolean \(scalar.string)"
                default: break
                }
            }
            let text = scalar.string.count > 40 ? String(scalar.string.prefix(37)) + "…" : scalar.string
            return "the text '\(text)'"
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ImplicitTag.isNull(node, plain: scalar)
    }

    func isMapping(_ node: Node) -> Bool {
        if case .mapping = node { return true }
        return false
    }

    @discardableResult
    func wrongType(_ node: Node, expected: String, what: @autoclosure () -> String, hint: String? = nil) -> Bool {
        sink.add(
            LoadProblem.wrongType(
                "\(what()) must be \(expected), found \(describe(node))", at: location(node),
                hint: hint ?? typeHint(found: node, expected: expected)))
        return false
    }

    /// How to turn what was found into what is expected, for the common cases.
    private func typeHint(found node: Node, expected: String) -> String? {
        switch (expected, node) {
        case ("text", .sequence): return "write a single value, not a list"
        case ("text", .mapping): return "write a single value; put it in quotes if it contains ': '"
        case ("text", _) where isNull(node): return "give it a value"
        case ("a whole number", .scalar): return "write a number without quotes, e.g. 3"
        case ("a whole number", _): return "write a single number, e.g. 3"
        case ("a map", .sequence): return "drop the '- ' item markers and write one 'key: value' per line"
        case ("a map", .scalar): return "write 'key: value' pairs on the lines below it, indented"
        case ("a list", .mapping): return "start each item with '- ' on its own line, or write [a, b]"
        case ("a list", .scalar(let scalar)): return "write a list, e.g. [\(scalar.string)]"
        default: return nil
        }
    }

    // MARK: - Mappings

    /// One key/value pair of a mapping; `mergeKey` is the `<<` key it was merged in through, if any.
    struct Pair {
        let key: String
        let keyNode: Node
        let value: Node
        var mergeKey: Node?
    }

    /// A mapping whose keys were checked against the allowed set.
    struct Fields {
        let reader: DocumentReader
        let node: Node
        let what: String
        /// The key that owns the mapping (`bob:` for contact bob), where missing keys are reported.
        let owner: SourceLocation?
        /// The allowed pairs.
        let pairs: [Pair]
        /// The keys that are not allowed here (already reported).
        let unknownKeys: [String]
        /// The key of each pair of `pairs`, in order: looking a key up compares strings without copying pairs.
        let keys: [String]

        init(reader: DocumentReader, node: Node, what: String, owner: SourceLocation?, pairs: [Pair], unknownKeys: [String]) {
            self.reader = reader
            self.node = node
            self.what = what
            self.owner = owner
            self.pairs = pairs
            self.unknownKeys = unknownKeys
            keys = pairs.map(\.key)
        }

        var location: SourceLocation { reader.location(node) }

        /// Where to report something missing from the whole mapping: its owning key, else the mapping.
        var ownerLocation: SourceLocation { owner ?? location }

        subscript(key: String) -> Node? {
            // By index in `keys`: searching `pairs` copies each pair (key, key node and value) it passes.
            guard let index = keys.firstIndex(of: key) else { return nil }
            let value = pairs[index].value
            return reader.isNull(value) ? nil : value
        }

        func has(_ key: String) -> Bool { self[key] != nil }

        /// The location of a key, present even with a null value.
        func keyLocation(_ key: String) -> SourceLocation? {
            keys.firstIndex(of: key).map { reader.location(pairs[$0].keyNode) }
        }

        /// The value, or a `missing_key` diagnostic: at the key when it is present with no value, else at the owner.
        func required(_ key: String, hint: String? = nil, example: String? = nil) -> Node? {
            if let value = self[key] { return value }
            if let present = keys.firstIndex(of: key) {
                reader.sink.add(
                    LoadProblem.missingKey(
                        "'\(key)' in \(what) has no value", at: reader.location(pairs[present].keyNode),
                        hint: "give '\(key)' a value" + (example.map { ", e.g. '\($0)'" } ?? "")))
            } else {
                reader.sink.add(
                    LoadProblem.missingKey(
                        "missing required key '\(key)' in \(what)", at: ownerLocation,
                        hint: hint ?? "add '\(key):' to \(what)"))
            }
            return nil
        }
    }

    /// The key/value pairs of a mapping with `<<` merge keys applied (local keys win).
    func pairs(_ node: Node, what: @autoclosure () -> String, hint: String? = nil) -> [Pair]? {
        guard case .mapping(let mapping) = node else {
            wrongType(node, expected: "a map", what: what(), hint: hint)
            return nil
        }
        var pairs: [Pair] = []
        pairs.reserveCapacity(mapping.count)
        var merged: [Pair] = []
        // By index: iterating a Yams mapping first copies all its pairs into a new array of tuples.
        for index in mapping.indices {
            let (keyNode, value) = mapping[index]
            guard case .scalar(let keyScalar) = keyNode else {
                sink.add(
                    LoadProblem.wrongType(
                        "a key in \(what()) must be text, found \(describe(keyNode))", at: location(keyNode),
                        hint: "write keys as plain words; a '?' or a '[' / '{' at the start of a line makes a complex key"))
                continue
            }
            if keyScalar.string == "<<", keyNode.tag.rawValue == Tag.Name.merge.rawValue || keyScalar.style == .plain {
                for source in mergeSources(value, what: what()) {
                    guard case .mapping(let sourceMapping) = source else { continue }
                    for sourceIndex in sourceMapping.indices {
                        let (sourceKey, sourceValue) = sourceMapping[sourceIndex]
                        guard let name = sourceKey.scalar?.string, !merged.contains(where: { $0.key == name }) else { continue }
                        merged.append(Pair(key: name, keyNode: sourceKey, value: sourceValue, mergeKey: keyNode))
                    }
                }
                continue
            }
            pairs.append(Pair(key: keyScalar.string, keyNode: keyNode, value: value))
        }
        for entry in merged where !pairs.contains(where: { $0.key == entry.key }) {
            pairs.append(entry)
        }
        return pairs
    }

    /// Reads a mapping, merging `<<` keys and recording keys outside `allowed` (see `reportUnknownKeys()`).
    /// `owner` is the key the mapping belongs to, where missing keys are reported.
    func fields(_ node: Node, what: String, allowed: [String], owner: SourceLocation? = nil, hint: String? = nil) -> Fields? {
        guard let pairs = pairs(node, what: what, hint: hint) else { return nil }
        var unknown: [String] = []
        // The allowed pairs, in order, each checked against `allowed` once (a filter afterwards checked them again).
        var kept: [Pair] = []
        kept.reserveCapacity(pairs.count)
        // By index: enumerating would copy every pair.
        for index in pairs.indices {
            guard !allowed.contains(pairs[index].key) else {
                kept.append(pairs[index])
                continue
            }
            let pair = pairs[index]
            unknown.append(pair.key)
            // `{ body: Hello, world }`: the comma ended the value and `world` became a key without a value.
            let previous = index > 0 ? pairs[index - 1] : nil
            let valueless = isNull(pair.value) || pair.value.scalar.map { $0.string.isEmpty && $0.style != .singleQuoted && $0.style != .doubleQuoted } == true
            // Composed nodes do not keep their style; a valueless key on the line of the value before it is in a flow map.
            let sameLine = previous.map { location($0.value).line == location(pair.keyNode).line && location($0.value).file == location(pair.keyNode).file } == true
            let split = sameLine && pair.mergeKey == nil && valueless && previous.map { !isMapping($0.value) && $0.mergeKey == nil } == true
            unknownKeys.record(
                key: pair.key, at: location(pair.keyNode), what: what, allowed: allowed,
                mergedAt: pair.mergeKey.map { location($0).line }, splitFrom: split ? previous?.key : nil)
        }
        return Fields(reader: self, node: node, what: what, owner: owner, pairs: kept, unknownKeys: unknown)
    }

    /// Reports every recorded unknown key once, noting the `<<` keys that merged it into other mappings.
    func reportUnknownKeys() {
        for entry in unknownKeys.entries {
            let lines = entry.merges.map(String.init).joined(separator: ", ")
            var merges = ""
            if !entry.merges.isEmpty {
                merges = entry.firstMerged
                    ? " (merged in via '<<' at line \(lines))" : " (also merged in via '<<' at line \(lines))"
            }
            sink.add(
                LoadProblem.unknownKey(
                    "unknown key '\(entry.key)' in \(entry.what)\(merges)\(entry.key.didYouMean(entry.allowed))",
                    at: entry.location,
                    hint: entry.splitFrom.map {
                        "if '\(entry.key)' belongs to the value of '\($0)', the comma before it ended that value: quote it, e.g. \($0): \"…, \(entry.key)\""
                    } ?? "allowed keys here: \(entry.allowed.joined(separator: ", "))"))
        }
        unknownKeys.entries.removeAll()
    }

    private func mergeSources(_ value: Node, what: @autoclosure () -> String) -> [Node] {
        switch value {
        case .mapping: return [value]
        case .sequence(let sequence): return sequence.filter { if case .mapping = $0 { return true } else { return false } }
        default:
            wrongType(
                value, expected: "a map or a list of maps", what: "\(what()): merge key '<<'",
                hint: "merge an anchored map with an alias, e.g. '<<: *defaults'")
            return []
        }
    }

    /// The entries of an id-keyed section (`contacts:`), with each id checked.
    func entries(_ node: Node, what: @autoclosure () -> String, hint: String? = nil) -> [(id: Located<String>, value: Node)] {
        if isNull(node) { return [] }
        guard let pairs = pairs(node, what: what(), hint: hint) else { return [] }
        return pairs.compactMap { pair in
            let id = Located(pair.key, at: location(pair.keyNode))
            guard checkIdentifier(id, what: "the id '\(pair.key)' in \(what())") else { return nil }
            return (id, pair.value)
        }
    }

    func checkIdentifier(_ id: Located<String>, what: @autoclosure () -> String) -> Bool {
        if FieldName.isValidIdentifier(id.value) { return true }
        let suggestion = id.value.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        sink.add(
            LoadProblem.invalidIdentifier(
                "\(what()) is not a valid id", at: id.location,
                hint: "ids are lower-case letters, digits, '-' and '_', starting with a letter (e.g. '\(String(suggestion))')"))
        return false
    }

    /// `noun 'id' of owner` when the item has a valid `id:`, else `noun N of owner`, so messages about a
    /// list item name it the way its author does.
    func itemName(_ noun: String, _ node: Node, index: Int, of owner: String) -> String {
        if case .mapping(let mapping) = node,
            let idIndex = mapping.indices.first(where: { mapping[$0].key.scalar?.string == "id" }),
            let id = mapping[idIndex].value.scalar?.string,
            FieldName.isValidIdentifier(id)
        {
            return "\(noun) '\(id)' of \(owner)"
        }
        return "\(noun) \(index + 1) of \(owner)"
    }

    // MARK: - Scalars

    /// Non-null scalar text (numbers and booleans are taken as written).
    func string(_ node: Node, what: @autoclosure () -> String) -> Located<String>? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            wrongType(node, expected: "text", what: what())
            return nil
        }
        return Located(scalar.string, at: location(node))
    }

    func identifier(_ node: Node, what: @autoclosure () -> String) -> Located<String>? {
        guard let text = string(node, what: what()) else { return nil }
        return checkIdentifier(text, what: "\(what()) '\(text.value)'") ? text : nil
    }

    func fieldName(_ node: Node, what: @autoclosure () -> String) -> Located<String>? {
        guard let text = string(node, what: what()) else { return nil }
        guard FieldName.isValid(text.value) else {
            sink.add(
                LoadProblem.invalidIdentifier(
                    "\(what()) '\(text.value)' is not a valid field name", at: text.location,
                    hint: "field names are lower-case words of letters, digits and '_', joined by dots (e.g. 'session.start')"))
            return nil
        }
        return text
    }

    func int(_ node: Node, what: @autoclosure () -> String, minimum: Int = Int.min) -> Located<Int>? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), scalar.style == .plain || scalar.style == .any
        else {
            wrongType(node, expected: "a whole number", what: what())
            return nil
        }
        guard value >= minimum else {
            sink.add(
                LoadProblem.invalidValue(
                    "\(what()) must be at least \(minimum), found \(value)", at: location(node),
                    hint: "write \(minimum) or more"))
            return nil
        }
        return Located(value, at: location(node))
    }

    func bool(_ node: Node, what: @autoclosure () -> String) -> Bool? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            wrongType(node, expected: "true or false", what: what())
            return nil
        }
        let plain = scalar.style == .plain || scalar.style == .any
        if plain, scalar.string == "true" || scalar.string == "false" { return scalar.string == "true" }
        let quoted = !plain && ["true", "false"].contains(scalar.string.lowercased())
        sink.add(
            LoadProblem.wrongType(
                "\(what()) must be true or false, found '\(scalar.string)'; write \(quoted ? "it without quotes" : "true or false")",
                at: location(node),
                hint: quoted
                    ? "quotes make a value text; a boolean is the bare word true or false"
                    : "only the lower-case words true and false are booleans here (not yes/no, on/off or True)"))
        return nil
    }

    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, what: @autoclosure () -> String, as type: E.Type) -> Located<E>?
    where E.RawValue == String {
        guard let text = string(node, what: what()) else { return nil }
        guard let value = E(rawValue: text.value) else {
            let names = E.allCases.map(\.rawValue)
            let suggestion = text.value.closest(in: names)
            sink.add(
                LoadProblem.invalidValue(
                    "\(what()) '\(text.value)' is not one of \(names.joined(separator: ", "))\(text.value.didYouMean(names))",
                    at: text.location,
                    hint: suggestion.map { "write \($0)" } ?? "write one of \(names.joined(separator: ", "))"))
            return nil
        }
        return Located(value, at: text.location)
    }

    func duration(_ node: Node, what: @autoclosure () -> String, allowBusiness: Bool = true) -> Located<PolicyDuration>? {
        if case .scalar(let scalar) = node, ImplicitTag.isInt(node), scalar.style == .plain || scalar.style == .any {
            sink.add(
                LoadProblem.invalidDuration(
                    "\(what()) '\(scalar.string)' has no unit", at: location(node),
                    hint: "write \(scalar.string)m for minutes, \(scalar.string)s for seconds or \(scalar.string)h for hours"))
            return nil
        }
        guard let text = string(node, what: what()) else { return nil }
        switch PolicyDuration.parse(text.value) {
        case .failure(let error):
            sink.add(
                LoadProblem.invalidDuration(
                    "\(what()) '\(text.value)' is not a duration: \(error.message)", at: text.location,
                    hint: "durations look like 30s, 15m, 1h30m, 1d or '1 business day'"))
            return nil
        case .success(let duration):
            if duration.isBusiness, !allowBusiness {
                sink.add(
                    LoadProblem.invalidDuration(
                        "\(what()) '\(text.value)' must be wall-clock time, not business time", at: text.location,
                        hint: "write it as wall time, e.g. 8h or 1d"))
                return nil
            }
            return Located(duration, at: text.location)
        }
    }

    func timeOfDay(_ node: Node, what: @autoclosure () -> String) -> Located<TimeOfDay>? {
        if case .scalar(let scalar) = node, scalar.string.contains(":"), ImplicitTag.isInt(node) {
            sink.add(
                LoadProblem.invalidTime(
                    "\(what()) \(scalar.string) was read by YAML as a number (base 60)", at: location(node),
                    hint: "quote times of day: \"\(scalar.string)\""))
            return nil
        }
        guard let text = string(node, what: what()) else { return nil }
        guard let time = TimeOfDay.parse(text.value) else {
            sink.add(
                LoadProblem.invalidTime(
                    "\(what()) '\(text.value)' is not a time of day", at: text.location,
                    hint: "write \"HH:MM\" on a 24-hour clock, e.g. \"09:00\" or \"17:30\""))
            return nil
        }
        return Located(time, at: text.location)
    }

    func date(_ node: Node, what: @autoclosure () -> String) -> Located<LocalDate>? {
        guard let text = string(node, what: what()) else { return nil }
        guard let date = LocalDate.parse(text.value) else {
            sink.add(
                LoadProblem.invalidTime(
                    "\(what()) '\(text.value)' is not a date", at: text.location,
                    hint: "write a real calendar date as YYYY-MM-DD, e.g. 2026-12-25"))
            return nil
        }
        return Located(date, at: text.location)
    }

    func instant(_ node: Node, what: @autoclosure () -> String) -> Located<LocalDateTime>? {
        guard let text = string(node, what: what()) else { return nil }
        guard let instant = LocalDateTime.parse(text.value) else {
            sink.add(
                LoadProblem.invalidTime(
                    "\(what()) '\(text.value)' is not an instant", at: text.location,
                    hint: "write YYYY-MM-DDTHH:MM in the organisation's timezone, e.g. 2026-01-05T09:00 (or with an offset, 2026-01-05T09:00-06:00)"))
            return nil
        }
        return Located(instant, at: text.location)
    }

    /// An IANA timezone name. Abbreviations (`PST`) are refused even though Foundation accepts some of them:
    /// they are ambiguous and do not follow daylight-saving changes.
    func timezone(_ node: Node, what: @autoclosure () -> String) -> Located<String>? {
        guard let text = string(node, what: what()) else { return nil }
        let known = TimeZone.knownTimeZoneIdentifiers
        if text.value == "UTC" || text.value == "GMT" || known.contains(text.value) { return text }
        if let zone = TimeZone(abbreviation: text.value) ?? TimeZone(abbreviation: text.value.uppercased()) {
            let suggestion = zone.identifier == "GMT" ? "UTC" : zone.identifier
            sink.add(
                LoadProblem.invalidTimezone(
                    "\(what()) '\(text.value)' is an abbreviation, not an IANA name; use e.g. \(suggestion)", at: text.location,
                    hint: "write the IANA name of the place, e.g. 'timezone: \(suggestion)'; it follows daylight-saving changes, an abbreviation does not"))
            return nil
        }
        let suggestion = text.value.closest(in: known + ["UTC"])
        sink.add(
            LoadProblem.invalidTimezone(
                "\(what()) '\(text.value)' is not a known timezone\(suggestion.map { " (did you mean '\($0)'?)" } ?? "")",
                at: text.location,
                hint: suggestion.map { "write \($0)" } ?? "use an IANA name such as America/Chicago, Europe/London or UTC"))
        return nil
    }

    // MARK: - Lists

    /// The items of a list; a scalar or map where a list is expected is reported.
    func list(_ node: Node, what: @autoclosure () -> String, hint: String? = nil) -> [Node] {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            wrongType(node, expected: "a list", what: what(), hint: hint)
            return []
        }
        return Array(sequence)
    }
}

/// The items a reader found damaged (a reference type, shared by the reader's copies).
final class DamagedItems {
    var items: Set<ModelItem> = []
}

/// Unknown keys found while reading one file, so that a key merged into several mappings with `<<` is
/// reported once, at its own location.
final class UnknownKeys {
    /// One unknown key at one location.
    struct Entry {
        let key: String
        let location: SourceLocation
        let what: String
        let allowed: [String]
        /// Whether the first mapping that had it got it through a merge key.
        let firstMerged: Bool
        /// The lines of the `<<` keys that merged it in.
        var merges: [Int]
        /// In a flow map, a key with no value right after `previous`: most likely an unquoted comma split
        /// `previous`'s value (`{ body: Hello, world }`).
        var splitFrom: String? = nil
    }

    var entries: [Entry] = []

    func record(key: String, at location: SourceLocation, what: String, allowed: [String], mergedAt line: Int?, splitFrom: String? = nil) {
        if let index = entries.firstIndex(where: { $0.key == key && $0.location == location }) {
            if let line, !entries[index].merges.contains(line) { entries[index].merges.append(line) }
            return
        }
        entries.append(
            Entry(
                key: key, location: location, what: what, allowed: allowed, firstMerged: line != nil,
                merges: line.map { [$0] } ?? [], splitFrom: splitFrom))
    }
}
