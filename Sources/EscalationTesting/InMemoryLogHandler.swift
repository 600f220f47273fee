import Foundation
import Logging

/// A swift-log handler that keeps every line in memory, so tests assert on what a component logged.
public struct InMemoryLogHandler: LogHandler {
    /// One logged line.
    public struct Entry: Sendable {
        /// Level.
        public var level: Logger.Level
        /// Message.
        public var message: String
        /// Metadata (the logger's and the call's), rendered as text.
        public var metadata: [String: String]
    }

    /// The lines of one or more loggers (thread-safe).
    public final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [Entry] = []

        /// An empty record.
        public init() {}

        /// Everything logged so far.
        public var all: [Entry] { lock.withLock { entries } }

        func append(_ entry: Entry) { lock.withLock { entries.append(entry) } }

        /// A logger that records here.
        public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
            var logger = Logger(label: label) { _ in InMemoryLogHandler(lines: self) }
            logger.logLevel = level
            return logger
        }
    }

    private let lines: Lines
    /// Metadata set on the logger.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level recorded.
    public var logLevel: Logger.Level = .trace

    /// A handler recording into `lines`.
    public init(lines: Lines) { self.lines = lines }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Records one line.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, call in call }
        lines.append(Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}
