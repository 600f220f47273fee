import EscalationServer
import Foundation
import Logging
import Testing

/// `serve --log-format text|json`: one line per event, metadata sorted, JSON parseable.
@Suite("Log lines")
struct LineLogHandlerTests {
    @Test("text puts level, label, message and sorted key=value pairs on one line, quoting values with spaces")
    func text() {
        let line = LineLogHandler.line(
            format: .text, at: "2026-11-27T10:00:00Z", level: .warning, label: "escalate.executor", message: "delivery failed",
            metadata: ["incident": "acme-1", "channel": "sms", "detail": "number unreachable"])
        #expect(line == #"2026-11-27T10:00:00Z warning escalate.executor: delivery failed channel=sms detail="number unreachable" incident=acme-1"#)
    }

    @Test("json is one object per line with at, level, label, message and metadata")
    func json() throws {
        let line = LineLogHandler.line(
            format: .json, at: "2026-11-27T10:00:00Z", level: .info, label: "escalate.api", message: "request \"refused\"\nsecond line",
            metadata: ["cause": "invalid"])
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "escalate.api")
        #expect(object["message"] as? String == "request \"refused\"\nsecond line")
        #expect((object["metadata"] as? [String: String])?["cause"] == "invalid")
    }

    @Test("the handler writes only at or above its level, with the logger's metadata")
    func levels() {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
        }
        let sink = Sink()
        var logger = Logger(label: "escalate.test") { label in
            LineLogHandler(label: label, format: .text, level: .notice) { line in sink.lock.withLock { sink.lines.append(line) } }
        }
        logger[metadataKey: "organisation"] = "acme"
        logger.info("not written")
        logger.notice("written")
        #expect(sink.lines.count == 1)
        #expect(sink.lines.first?.hasSuffix("notice escalate.test: written organisation=acme") == true)
    }
}
