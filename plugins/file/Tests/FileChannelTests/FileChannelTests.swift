import EscalationChannel
import EscalationCore
import FileChannel
import Foundation
import Testing

@Suite("File channel")
struct FileChannelTests {
    static let here = SourceLocation(file: "channels.yaml", line: 3, column: 5)

    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("file-channel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func message(_ key: String) -> ChannelMessage {
        ChannelMessage(idempotencyKey: key, incidentID: "inc-1", subject: "Subject \(key)", body: "Body\nwith \"quotes\" and / slashes")
    }

    static func lines(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("appends one JSON object per delivery; the external id is the line number")
    func appends() async throws {
        let url = try Self.folder().appendingPathComponent("deliveries.jsonl")
        let channel = FileChannel(channel: "log", path: url.path)
        let first = await channel.deliver(Self.message("a"), to: "alice@example.org")
        let second = await channel.deliver(Self.message("b"), to: nil)
        #expect(first == .delivered(DeliveryReceipt(externalID: "1")))
        #expect(second == .delivered(DeliveryReceipt(externalID: "2")))
        let update = await channel.update(Self.message("c"), receipt: DeliveryReceipt(externalID: "2"))
        #expect(update == .delivered(DeliveryReceipt(externalID: "3")))
        let records = try Self.lines(url)
        #expect(records.count == 3)
        #expect(records[0]["action"] as? String == "deliver")
        #expect((records[0]["time"] as? String)?.hasSuffix("Z") == true)
        #expect(records[0]["address"] as? String == "alice@example.org")
        #expect(records[0]["channel"] as? String == "log")
        let message = try #require(records[0]["message"] as? [String: Any])
        #expect(message["idempotency_key"] as? String == "a")
        #expect(message["body"] as? String == "Body\nwith \"quotes\" and / slashes")
        #expect(records[1]["address"] is NSNull)
        #expect(records[2]["action"] as? String == "update")
        #expect(records[2]["external_id"] as? String == "2")
    }

    @Test("concurrent deliveries from two channels on one file never interleave and get distinct line numbers")
    func concurrent() async throws {
        let url = try Self.folder().appendingPathComponent("deliveries.jsonl")
        let channels = [FileChannel(channel: "one", path: url.path), FileChannel(channel: "two", path: url.path)]
        let count = 60
        let receipts = await withTaskGroup(of: (String, DeliveryResult).self) { group in
            for index in 0..<count {
                let channel = channels[index % 2]
                let key = "key-\(index)-" + String(repeating: "x", count: 2_000 + index)
                group.addTask { (key, await channel.deliver(Self.message(key), to: "someone")) }
            }
            var all: [(String, DeliveryResult)] = []
            for await item in group { all.append(item) }
            return all
        }
        let records = try Self.lines(url)
        #expect(records.count == count)
        var numbers = Set<Int>()
        for (key, result) in receipts {
            guard case .delivered(let receipt) = result, let number = receipt.externalID.flatMap(Int.init) else {
                Issue.record("delivery of \(key) failed: \(result)")
                continue
            }
            numbers.insert(number)
            let message = records[number - 1]["message"] as? [String: Any]
            #expect(message?["idempotency_key"] as? String == key)
        }
        #expect(numbers == Set(1...count))
    }

    @Test("numbering follows the file: existing lines, a partial last line, and lines other writers append")
    func existingContent() async throws {
        let url = try Self.folder().appendingPathComponent("deliveries.jsonl")
        try Data("{\"old\":1}\n{\"old\":2}\n{\"partial\":".utf8).write(to: url)
        let channel = FileChannel(channel: "log", path: url.path)
        #expect(await channel.deliver(Self.message("a"), to: nil) == .delivered(DeliveryReceipt(externalID: "4")))
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"other\":1}\n".utf8))
        try handle.close()
        #expect(await channel.deliver(Self.message("b"), to: nil) == .delivered(DeliveryReceipt(externalID: "6")))
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 7)  // six lines and the empty string after the last newline
        #expect(lines[3].contains("\"idempotency_key\":\"a\""))
        #expect(lines[5].contains("\"idempotency_key\":\"b\""))
    }

    @Test("a file in a missing folder is a non-retryable failure naming the path")
    func missingFolder() async throws {
        let path = try Self.folder().appendingPathComponent("no/such/folder/out.jsonl").path
        let result = await FileChannel(channel: "log", path: path).deliver(Self.message("a"), to: nil)
        guard case .failed(let failure) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(!failure.retryable)
        #expect(failure.reason.contains(path))
        #expect(failure.reason.contains("No such file or directory"))
    }

    @Test("path is required, non-empty and resolved from the environment")
    func settings() throws {
        func settings(_ pairs: [(String, SettingValue)]) -> ChannelSettings {
            ChannelSettings(channel: "log", value: .map(pairs.map { (Located($0.0, at: Self.here), $0.1) }, Self.here), location: Self.here)
        }
        #expect(FileChannel.validate(settings([("path", .scalar("out.jsonl", Self.here))])).isEmpty)
        #expect(FileChannel.validate(settings([])).map(\.message) == [
            "channel 'log' (plugin file) needs the setting 'path': the file to append to (created if missing; its folder must exist)"
        ])
        #expect(FileChannel.validate(settings([("path", .scalar(" ", Self.here))])).count == 1)
        #expect(FileChannel.validate(settings([("path", .list([], Self.here))])).count == 1)
        #expect(FileChannel.validate(settings([("path", .scalar("a", Self.here)), ("mode", .scalar("x", Self.here))])).count == 1)
        let channel = try FileChannel(
            settings: settings([("path", .scalar("${env:DELIVERY_LOG}", Self.here))]),
            environment: ChannelEnvironment(["DELIVERY_LOG": "/tmp/x.jsonl"]))
        #expect(channel.path == "/tmp/x.jsonl")
        #expect(throws: ChannelSetupError.self) {
            try FileChannel(settings: settings([("path", .scalar("${env:DELIVERY_LOG}", Self.here))]), environment: ChannelEnvironment([:]))
        }
    }
}
