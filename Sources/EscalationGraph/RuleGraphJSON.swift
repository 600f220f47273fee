import Foundation

/// The stable JSON form of rule graphs: sorted keys, pretty-printed, slashes unescaped.
public enum RuleGraphJSON {
    /// One graph as a JSON object, or several as an array.
    public static func encode(_ graphs: [RuleGraph]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = graphs.count == 1 ? try encoder.encode(graphs[0]) : try encoder.encode(graphs)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
