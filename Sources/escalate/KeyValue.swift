import ArgumentParser

/// One `NAME=VALUE` argument (`--field`, `--data`), parsed with one strictness everywhere: a pair without `=` or
/// without a name is a usage error (exit 2), never dropped. The value may contain `=` and may be empty.
struct KeyValue: ExpressibleByArgument, Sendable, Hashable {
    /// The name before the first `=`.
    var name: String
    /// Everything after it.
    var value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension Array where Element == KeyValue {
    /// The pairs as a map; a later pair wins.
    var dictionary: [String: String] {
        Dictionary(map { ($0.name, $0.value) }, uniquingKeysWith: { _, later in later })
    }
}
