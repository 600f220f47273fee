import EscalationGraph
import Foundation

/// The JSON form of reports (explanations, coverage, routing decisions): sorted keys, pretty-printed, slashes unescaped.
public enum ReportJSON {
    /// A value as pretty JSON text ending in a newline.
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
