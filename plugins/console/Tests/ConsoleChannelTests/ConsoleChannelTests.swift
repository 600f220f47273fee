import ConsoleChannel
import EscalationChannel
import EscalationCore
import Foundation
import Testing

/// Collects written lines.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func append(_ line: String) {
        lock.lock()
        items.append(line)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

@Suite("Console channel")
struct ConsoleChannelTests {
    static let here = SourceLocation(file: "channels.yaml", line: 3, column: 5)

    static func settings(_ pairs: [(String, SettingValue)]) -> ChannelSettings {
        ChannelSettings(
            channel: "console", value: .map(pairs.map { (Located($0.0, at: here), $0.1) }, here), location: here)
    }

    static func scalar(_ text: String) -> SettingValue { .scalar(text, here) }

    @Test("prints one readable line per delivery, with address, incident and cc")
    func deliverLine() async throws {
        let lines = Lines()
        let channel = ConsoleChannel(channel: "ops-console") { lines.append($0) }
        let message = ChannelMessage(
            idempotencyKey: "k-1", incidentID: "inc-7", subject: "Pool closed", body: "Chlorine alarm\nCall Jessie", cc: ["bob@example.org"])
        let result = await channel.deliver(message, to: "alice@example.org")
        #expect(result == .delivered(DeliveryReceipt(externalID: "k-1")))
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.hasSuffix("\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(line.contains("ops-console deliver notify → alice@example.org"))
        #expect(line.contains("incident inc-7; cc bob@example.org"))
        #expect(line.contains("Pool closed — Chlorine alarm ⏎ Call Jessie"))
    }

    @Test("update, expire and undo print their action and reference")
    func followUps() async {
        let lines = Lines()
        let channel = ConsoleChannel(channel: "c") { lines.append($0) }
        let message = ChannelMessage(idempotencyKey: "k-2", incidentID: "inc-1", kind: .stage, body: "Investigating")
        let receipt = DeliveryReceipt(externalID: "ref-9")
        #expect(await channel.update(message, receipt: receipt) == .delivered(receipt))
        #expect(await channel.expire(message, receipt: receipt) == .delivered(receipt))
        #expect(await channel.undo(message, receipt: receipt) == .delivered(receipt))
        #expect(lines.all.map { $0.contains("ref ref-9") } == [true, true, true])
        #expect(lines.all[0].contains(" c update stage"))
        #expect(lines.all[1].contains(" c expire stage"))
        #expect(lines.all[2].contains(" c undo stage"))
    }

    @Test("stream defaults to stdout; stderr is accepted; anything else is a located problem with a suggestion")
    func settings() throws {
        #expect(ConsoleChannel.validate(ChannelSettings(channel: "c", value: nil, location: Self.here)).isEmpty)
        #expect(ConsoleChannel.validate(Self.settings([("stream", Self.scalar("stderr"))])).isEmpty)
        let channel = try ConsoleChannel(settings: Self.settings([("stream", Self.scalar("stderr"))]), environment: ChannelEnvironment([:]))
        #expect(channel.stream == .stderr)
        let defaulted = try ConsoleChannel(settings: Self.settings([]), environment: ChannelEnvironment([:]))
        #expect(defaulted.stream == .stdout)

        let typo = SourceLocation(file: "channels.yaml", line: 4, column: 15)
        let problems = ConsoleChannel.validate(Self.settings([("stream", .scalar("stdot", typo))]))
        #expect(problems.count == 1)
        #expect(problems.first?.location == typo)
        #expect(problems.first?.rule == "invalid_channel_settings")
        #expect(problems.first?.message.contains("did you mean 'stdout'?") == true)
        #expect(ConsoleChannel.validate(Self.settings([("colour", Self.scalar("true"))])).count == 1)
        #expect(ConsoleChannel.validate(Self.settings([("stream", .list([], Self.here))])).count == 1)
        #expect(throws: ChannelSetupError.self) {
            try ConsoleChannel(settings: Self.settings([("stream", Self.scalar("tty"))]), environment: ChannelEnvironment([:]))
        }
    }

    @Test("the descriptor describes the plugin")
    func descriptor() {
        #expect(ConsoleChannel.descriptor.id == "console")
        #expect(ConsoleChannel.descriptor.settings.map(\.name) == ["stream"])
    }
}
