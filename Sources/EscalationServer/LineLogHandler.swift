import Foundation
import Logging

/// `serve`'s log output: one line per event, as text (`2026-11-27T10:00:00Z info escalate.executor: incident opened
/// incident=… policy=…`) or as JSON (`{"at": …, "level": …, "label": …, "message": …, "metadata": {…}}`).
public struct LineLogHandler: LogHandler {
    /// The line format.
    public enum Format: String, Sendable, CaseIterable {
        /// `at level label: message key=value …`.
        case text
        /// One JSON object per line.
        case json
    }

    private let label: String
    private let format: Format
    private let write: @Sendable (String) -> Void
    /// Metadata set on the logger.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level written.
    public var logLevel: Logger.Level

    /// A handler for one logger; `write` receives each line without its newline (stderr by default).
    public init(label: String, format: Format, level: Logger.Level, write: @escaping @Sendable (String) -> Void = LineLogHandler.standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.write = write
    }

    /// Writes a line to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, call in call }.mapValues { "\($0)" }
        let at = Date().formatted(.iso8601)
        write(Self.line(format: format, at: at, level: event.level, label: label, message: "\(event.message)", metadata: merged))
    }

    /// One line in a format (pure, for tests).
    public static func line(format: Format, at: String, level: Logger.Level, label: String, message: String, metadata: [String: String]) -> String {
        switch format {
        case .text:
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))" }
            return ([at, level.rawValue, "\(label):", message] + pairs).joined(separator: " ")
        case .json:
            let object: [String: Any] = ["at": at, "level": level.rawValue, "label": label, "message": message, "metadata": metadata]
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
                return "{\"level\":\"error\",\"message\":\"unencodable log line\"}"
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? "\"\(value.replacingOccurrences(of: "\"", with: "\\\""))\"" : value
    }
}
