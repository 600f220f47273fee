import EscalationCore
import EscalationYAML
import Foundation

/// Reads one composed YAML file into model values, reporting every problem with its location.
///
/// Value readers take `what`, the place and the key in the form `OWNER: KEY` (e.g. `layer 1 of policy 'outage':
/// timeout`), so messages read "layer 1 of policy 'outage': timeout '15' has no unit"; map readers take the noun
/// phrase of the map itself (e.g. `the reminders of policy 'outage'`).
///
/// A class: every `Fields` and every closure of the readers holds the reader, and holding a struct of seven
/// references copied and released each of them (a `Fields` cost 600 instructions to destroy).
final class DocumentReader {
    let source: SourceText
    /// The composed file.
    let document: YAMLDocument
    let sink: DiagnosticSink
    /// Unknown keys seen so far, reported once per key and location by `reportUnknownKeys()`.
    let unknownKeys = UnknownKeys()
    /// Items whose reading reported an error.
    let damaged = DamagedItems()

    init(source: SourceText, document: YAMLDocument, sink: DiagnosticSink) {
        self.source = source
        self.document = document
        self.sink = sink
    }

    /// Reads an item; when reading it adds an error, the item is recorded as damaged.
    func tracking<T>(_ item: ModelItem, _ read: () -> T) -> T {
        let before = sink.errorCount
        let result = read()
        if sink.errorCount > before { damaged.items.insert(item) }
        return result
    }

    var file: String { source.file }

    func location(_ node: YAMLNode) -> SourceLocation {
        let mark = document.mark(node)
        return source.location(line: mark.line, column: mark.column)
    }

    /// A scalar's text ("" for a collection).
    func text(_ node: YAMLNode) -> String { document.string(node) }

    func isScalar(_ node: YAMLNode) -> Bool { document.isScalar(node) }

    func isSequence(_ node: YAMLNode) -> Bool { document.isSequence(node) }

    /// Whether a scalar is plain (`any` included).
    func isPlain(_ node: YAMLNode) -> Bool { document.isPlain(node) }

    // MARK: - Describing what was found

    func describe(_ node: YAMLNode) -> String {
        switch document.kind(node) {
        case .scalar:
            let string = text(node)
            if isPlain(node) {
                let tag = ImplicitTag.of(node, in: document)
                if tag == .null { return "nothing (null)" }
                if tag == .int || tag == .float { return "the number \(string)" }
                if tag == .bool, string == "true" || string == "false" { return "the boolean \(string)" }
            }
            let shown = string.count > 40 ? String(string.prefix(37)) + "…" : string
            return "the text '\(shown)'"
        case .mapping: return "a map"
        case .sequence: return "a list"
        }
    }

    /// Whether a node is null (`YAMLDocument.isNull`, the rule the simulator's readers share).
    func isNull(_ node: YAMLNode) -> Bool { document.isNull(node) }

    func isMapping(_ node: YAMLNode) -> Bool { document.isMapping(node) }

    @discardableResult
    func wrongType(_ node: YAMLNode, expected: String, what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) -> Bool {
        sink.add(
            LoadProblem.wrongType(
                "\(what()) must be \(expected), found \(describe(node))", at: location(node),
                hint: hint() ?? typeHint(found: node, expected: expected)))
        return false
    }

    /// How to turn what was found into what is expected, for the common cases.
    private func typeHint(found node: YAMLNode, expected: String) -> String? {
        switch (expected, document.kind(node)) {
        case ("text", .sequence): return "write a single value, not a list"
        case ("text", .mapping): return "write a single value; put it in quotes if it contains ': '"
        case ("text", _) where isNull(node): return "give it a value"
        case ("a whole number", .scalar): return "write a number without quotes, e.g. 3"
        case ("a whole number", _): return "write a single number, e.g. 3"
        case ("a map", .sequence): return "drop the '- ' item markers and write one 'key: value' per line"
        case ("a map", .scalar): return "write 'key: value' pairs on the lines below it, indented"
        case ("a list", .mapping): return "start each item with '- ' on its own line, or write [a, b]"
        case ("a list", .scalar): return "write a list, e.g. [\(text(node))]"
        default: return nil
        }
    }

    // MARK: - Mappings

    /// One key/value pair of a mapping, as nodes; `mergeKey` is the `<<` key it was merged in through, if any.
    struct Slot {
        let keyNode: YAMLNode
        let value: YAMLNode
        var mergeKey: YAMLNode?
        /// The key's digest, which `Fields` compares first.
        var digest: YAMLKeyDigest
    }

    /// One key/value pair of a mapping with its key's text; `mergeKey` is the `<<` key it was merged in through, if any.
    struct Pair {
        let key: String
        let keyNode: YAMLNode
        let value: YAMLNode
        var mergeKey: YAMLNode?
    }

    /// A mapping whose keys were checked against the allowed set. Keys are looked up by comparing their bytes with the
    /// key asked for (every key asked for is ASCII, and an ASCII string equals another string only byte for byte,
    /// but for the Kelvin sign, canonically `K`, which no lower-case key has): first their `YAMLKeyDigest`s, kept in
    /// every slot, then, for a key of more than eight bytes with the same digest, the rest of its bytes.
    struct Fields {
        let reader: DocumentReader
        let node: YAMLNode
        /// Makes `what`, the mapping's place in messages, when one is written (most mappings never need it).
        let describe: () -> String
        var what: String { describe() }
        /// The key that owns the mapping (`bob:` for contact bob), where missing keys are reported.
        let owner: SourceLocation?
        /// The allowed pairs.
        let pairs: [Slot]
        /// The keys that are not allowed here (already reported).
        let unknownKeys: [String]

        var location: SourceLocation { reader.location(node) }

        /// Where to report something missing from the whole mapping: its owning key, else the mapping.
        var ownerLocation: SourceLocation { owner ?? location }

        /// The index in `pairs` of the first pair with this key.
        private func index(of key: String) -> Int? {
            // The byte count first (most keys asked for have another length than most keys); the key's own digest is
            // made only when a pair has its length.
            let count = key.utf8.count
            var digest: YAMLKeyDigest?
            for index in pairs.indices where pairs[index].digest.count == count {
                let asked = digest ?? YAMLKeyDigest(key)
                digest = asked
                guard pairs[index].digest == asked else { continue }
                if asked.isWhole || reader.document.isScalar(pairs[index].keyNode, equalTo: key) { return index }
            }
            return nil
        }

        subscript(key: String) -> YAMLNode? {
            guard let index = index(of: key) else { return nil }
            let value = pairs[index].value
            return reader.isNull(value) ? nil : value
        }

        func has(_ key: String) -> Bool { self[key] != nil }

        /// The location of a key, present even with a null value.
        func keyLocation(_ key: String) -> SourceLocation? {
            index(of: key).map { reader.location(pairs[$0].keyNode) }
        }

        /// The value, or a `missing_key` diagnostic: at the key when it is present with no value, else at the owner.
        /// `hint` and `example` are built only when the key is missing (contacts' and groups' examples capitalise the
        /// id through Foundation, 7,000 instructions each).
        func required(_ key: String, hint: @autoclosure () -> String? = nil, example: @autoclosure () -> String? = nil) -> YAMLNode? {
            if let value = self[key] { return value }
            if let present = index(of: key) {
                reader.sink.add(
                    LoadProblem.missingKey(
                        "'\(key)' in \(what) has no value", at: reader.location(pairs[present].keyNode),
                        hint: "give '\(key)' a value" + (example().map { ", e.g. '\($0)'" } ?? "")))
            } else {
                reader.sink.add(
                    LoadProblem.missingKey(
                        "missing required key '\(key)' in \(what)", at: ownerLocation,
                        hint: hint() ?? "add '\(key):' to \(what)"))
            }
            return nil
        }
    }

    /// The key/value pairs of a mapping with `<<` merge keys applied (local keys win), with their keys' text.
    func pairs(_ node: YAMLNode, what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) -> [Pair]? {
        guard let slots = slots(node, what: what(), hint: hint()) else { return nil }
        return slots.map { Pair(key: text($0.keyNode), keyNode: $0.keyNode, value: $0.value, mergeKey: $0.mergeKey) }
    }

    /// The key/value pairs of a mapping with `<<` merge keys applied (local keys win; `YAMLDocument.forEachMergedPair`
    /// holds the rule), as nodes. A key that is not text, and a merge key whose value is not a map or a list of maps,
    /// are reported and left out.
    func slots(_ node: YAMLNode, what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) -> [Slot]? {
        guard isMapping(node) else {
            wrongType(node, expected: "a map", what: what(), hint: hint())
            return nil
        }
        var slots: [Slot] = []
        slots.reserveCapacity(document.count(node))
        document.forEachMergedPair(node) { pair in
            guard isScalar(pair.key) else {
                sink.add(
                    LoadProblem.wrongType(
                        "a key in \(what()) must be text, found \(describe(pair.key))", at: location(pair.key),
                        hint: "write keys as plain words; a '?' or a '[' / '{' at the start of a line makes a complex key"))
                return
            }
            if pair.mergeKey == nil, document.isMergeKey(pair.key) {
                wrongType(
                    pair.value, expected: "a map or a list of maps", what: "\(what()): merge key '<<'",
                    hint: "merge an anchored map with an alias, e.g. '<<: *defaults'")
                return
            }
            slots.append(Slot(keyNode: pair.key, value: pair.value, mergeKey: pair.mergeKey, digest: document.digest(pair.key)))
        }
        return slots
    }

    /// Reads a mapping, merging `<<` keys and recording keys outside `allowed` (see `reportUnknownKeys()`).
    /// `owner` is the key the mapping belongs to, where missing keys are reported.
    func fields(
        _ node: YAMLNode, what: @autoclosure @escaping () -> String, allowed: [String], owner: SourceLocation? = nil,
        hint: @autoclosure () -> String? = nil
    ) -> Fields? {
        fields(node, describedBy: what, allowed: allowed, owner: owner, hint: hint())
    }

    /// `fields(_:what:allowed:owner:hint:)` with the place as a closure, which the returned `Fields` keeps and calls only
    /// for a message.
    func fields(
        _ node: YAMLNode, describedBy what: @escaping () -> String, allowed: [String], owner: SourceLocation? = nil,
        hint: @autoclosure () -> String? = nil
    ) -> Fields? {
        guard let slots = slots(node, what: what(), hint: hint()) else { return nil }
        var unknown: [String] = []
        // The allowed pairs, in order, each checked against `allowed` once, byte by byte (see `Fields`) where the byte
        // counts agree. Nearly every mapping has only allowed keys: then the slots are kept as they are, and a list
        // of the allowed ones is made only from the first key that is not.
        var kept: [Slot]?
        for index in slots.indices {
            let slot = slots[index]
            let count = slot.digest.count
            guard !allowed.contains(where: { $0.utf8.count == count && document.isScalar(slot.keyNode, equalTo: $0) }) else {
                kept?.append(slot)
                continue
            }
            if kept == nil {
                kept = Array(slots[..<index])
                kept?.reserveCapacity(slots.count - 1)
            }
            let key = text(slot.keyNode)
            unknown.append(key)
            // `{ body: Hello, world }`: the comma ended the value and `world` became a key without a value.
            let previous = index > 0 ? slots[index - 1] : nil
            let valueless = isNull(slot.value)
                || (isScalar(slot.value) && document.byteCount(slot.value) == 0 && document.style(slot.value) != .singleQuoted
                    && document.style(slot.value) != .doubleQuoted)
            // Composed nodes do not keep their style; a valueless key on the line of the value before it is in a flow map.
            let sameLine = previous.map { document.mark($0.value).line == document.mark(slot.keyNode).line } == true
            let split = sameLine && slot.mergeKey == nil && valueless && previous.map { !isMapping($0.value) && $0.mergeKey == nil } == true
            unknownKeys.record(
                key: key, at: location(slot.keyNode), what: what(), allowed: allowed,
                mergedAt: slot.mergeKey.map { location($0).line }, splitFrom: split ? previous.map { text($0.keyNode) } : nil)
        }
        return Fields(reader: self, node: node, describe: what, owner: owner, pairs: kept ?? slots, unknownKeys: unknown)
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

    /// The entries of an id-keyed section (`contacts:`), with each id checked.
    func entries(_ node: YAMLNode, what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) -> [(id: Located<String>, value: YAMLNode)] {
        if isNull(node) { return [] }
        guard let pairs = pairs(node, what: what(), hint: hint()) else { return [] }
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
    func itemName(_ noun: String, _ node: YAMLNode, index: Int, of owner: String) -> String {
        if isMapping(node),
            let idIndex = (0..<document.count(node)).first(where: { document.isScalar(document.key(node, $0), equalTo: "id") }),
            isScalar(document.value(node, idIndex)),
            case let id = text(document.value(node, idIndex)),
            FieldName.isValidIdentifier(id)
        {
            return "\(noun) '\(id)' of \(owner)"
        }
        return "\(noun) \(index + 1) of \(owner)"
    }

    // MARK: - Scalars

    /// Non-null scalar text (numbers and booleans are taken as written).
    func string(_ node: YAMLNode, what: @autoclosure () -> String) -> Located<String>? {
        guard isScalar(node), !isNull(node) else {
            wrongType(node, expected: "text", what: what())
            return nil
        }
        return Located(text(node), at: location(node))
    }

    func identifier(_ node: YAMLNode, what: @autoclosure () -> String) -> Located<String>? {
        guard let text = string(node, what: what()) else { return nil }
        return checkIdentifier(text, what: "\(what()) '\(text.value)'") ? text : nil
    }

    func fieldName(_ node: YAMLNode, what: @autoclosure () -> String) -> Located<String>? {
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

    func int(_ node: YAMLNode, what: @autoclosure () -> String, minimum: Int = Int.min) -> Located<Int>? {
        guard isPlain(node), let value = Int(text(node)) else {
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

    func bool(_ node: YAMLNode, what: @autoclosure () -> String) -> Bool? {
        guard isScalar(node), !isNull(node) else {
            wrongType(node, expected: "true or false", what: what())
            return nil
        }
        let plain = isPlain(node)
        if plain, document.isScalar(node, equalTo: "true") { return true }
        if plain, document.isScalar(node, equalTo: "false") { return false }
        let string = text(node)
        let quoted = !plain && ["true", "false"].contains(string.lowercased())
        sink.add(
            LoadProblem.wrongType(
                "\(what()) must be true or false, found '\(string)'; write \(quoted ? "it without quotes" : "true or false")",
                at: location(node),
                hint: quoted
                    ? "quotes make a value text; a boolean is the bare word true or false"
                    : "only the lower-case words true and false are booleans here (not yes/no, on/off or True)"))
        return nil
    }

    func choice<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, what: @autoclosure () -> String, as type: E.Type) -> Located<E>?
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

    func duration(_ node: YAMLNode, what: @autoclosure () -> String, allowBusiness: Bool = true) -> Located<PolicyDuration>? {
        if isPlain(node), ImplicitTag.isInt(node, in: document) {
            let string = text(node)
            sink.add(
                LoadProblem.invalidDuration(
                    "\(what()) '\(string)' has no unit", at: location(node),
                    hint: "write \(string)m for minutes, \(string)s for seconds or \(string)h for hours"))
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

    func timeOfDay(_ node: YAMLNode, what: @autoclosure () -> String) -> Located<TimeOfDay>? {
        if isScalar(node), case let string = text(node), string.contains(":"), ImplicitTag.isInt(node, in: document) {
            sink.add(
                LoadProblem.invalidTime(
                    "\(what()) \(string) was read by YAML as a number (base 60)", at: location(node),
                    hint: "quote times of day: \"\(string)\""))
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

    func date(_ node: YAMLNode, what: @autoclosure () -> String) -> Located<LocalDate>? {
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

    func instant(_ node: YAMLNode, what: @autoclosure () -> String) -> Located<LocalDateTime>? {
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
    func timezone(_ node: YAMLNode, what: @autoclosure () -> String) -> Located<String>? {
        guard let text = string(node, what: what()) else { return nil }
        let known = Self.knownTimeZones
        if text.value == "UTC" || text.value == "GMT" || Self.knownTimeZoneSet.contains(text.value) { return text }
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

    /// The IANA names Foundation knows, in its order, asked for once: Foundation builds the list from ICU at every call
    /// (25,000 instructions, for every organisation and calendar).
    static let knownTimeZones = TimeZone.knownTimeZoneIdentifiers
    /// `knownTimeZones` as a set: the same answers as the list's `contains` (a string hashes as it compares), without
    /// comparing the name with 600 others.
    static let knownTimeZoneSet = Set(knownTimeZones)

    // MARK: - Lists

    /// The items of a list; a scalar or map where a list is expected is reported.
    func list(_ node: YAMLNode, what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) -> [YAMLNode] {
        if isNull(node) { return [] }
        guard isSequence(node) else {
            wrongType(node, expected: "a list", what: what(), hint: hint())
            return []
        }
        return document.items(node)
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
