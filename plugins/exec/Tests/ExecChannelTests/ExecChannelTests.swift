import EscalationChannel
import EscalationCore
import ExecChannel
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Exec channel")
struct ExecChannelTests {
    static let here = SourceLocation(file: "channels.yaml", line: 3, column: 5)

    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exec-channel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes an executable shell script and returns its path. The file is opened close-on-exec, so processes other
    /// tests start meanwhile do not keep it open for writing (which would make running it fail with ETXTBSY).
    static func script(_ body: String, in folder: URL, name: String = "hook.sh") throws -> String {
        let path = folder.appendingPathComponent(name).path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        try #require(fd >= 0)
        let bytes = Array("#!/bin/sh\n\(body)\n".utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        try #require(written == bytes.count)
        return path
    }

    static func channel(_ body: String, timeout: Double = 10, killGrace: Double = 2, environment: [String: String] = [:]) throws -> ExecChannel {
        let path = try script(body, in: folder())
        return ExecChannel(
            channel: "hook", command: path, environment: ExecChannel.inheritedEnvironment().merging(environment) { $1 },
            timeout: timeout, killGrace: killGrace)
    }

    static let message = ChannelMessage(
        idempotencyKey: "idem-1", incidentID: "inc-42", subject: "Pool closed", body: "Chlorine alarm", cc: ["bob@example.org"],
        metadata: ["stage": "s1"])

    static func failure(_ result: DeliveryResult) -> DeliveryFailure? {
        if case .failed(let failure) = result { return failure }
        Issue.record("expected a failure, got \(result)")
        return nil
    }

    /// A shell command writing the current time (seconds since 1970, with nanoseconds) to a file in the folder.
    static func stamp(_ name: String, in folder: URL) -> String {
        // Written aside and renamed, so a command killed mid-stamp leaves the previous stamp rather than an empty file.
        let temporary = folder.appendingPathComponent(".tmp-\(name)").path
        return "date +%s.%N > '\(temporary)' && mv -f '\(temporary)' '\(folder.appendingPathComponent(name).path)'"
    }

    /// The time a `stamp` command wrote.
    static func readStamp(_ name: String, in folder: URL) -> Double? {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            .flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    @Test("sends one JSON request on stdin with the environment; reads one JSON result")
    func deliver() async throws {
        let folder = try Self.folder()
        let request = folder.appendingPathComponent("request.json")
        let path = try Self.script(
            """
            cat > '\(request.path)'
            printf '%s' "$OPS_REGION" > '\(folder.path)/region'
            echo '{"ok":true,"external_id":"ext-7"}'
            """, in: folder)
        let settings = ChannelSettings(
            channel: "hook",
            value: .map(
                [
                    (Located("command", at: Self.here), .scalar(path, Self.here)),
                    (Located("timeout", at: Self.here), .scalar("5s", Self.here)),
                    (
                        Located("env", at: Self.here),
                        .map([(Located("OPS_REGION", at: Self.here), .scalar("${env:REGION_FROM_PARENT}", Self.here))], Self.here)
                    ),
                ], Self.here),
            location: Self.here)
        #expect(ExecChannel.validate(settings).isEmpty)
        let channel = try ExecChannel(settings: settings, environment: ChannelEnvironment(["REGION_FROM_PARENT": "eu-west"]))
        #expect(channel.timeout == 5)
        #expect(channel.environment["OPS_REGION"] == "eu-west")
        #expect(channel.environment["REGION_FROM_PARENT"] == nil)

        let result = await channel.deliver(Self.message, to: "alice@example.org")
        #expect(result == .delivered(DeliveryReceipt(externalID: "ext-7")))
        #expect(try String(contentsOf: folder.appendingPathComponent("region"), encoding: .utf8) == "eu-west")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: request)) as? [String: Any])
        #expect(json["action"] as? String == "deliver")
        #expect(json["address"] as? String == "alice@example.org")
        #expect(json["channel"] as? String == "hook")
        let message = try #require(json["message"] as? [String: Any])
        #expect(message["idempotency_key"] as? String == "idem-1")
        #expect(message["incident_id"] as? String == "inc-42")
        #expect(message["subject"] as? String == "Pool closed")
        #expect(message["cc"] as? [String] == ["bob@example.org"])
        #expect(message["metadata"] as? [String: String] == ["stage": "s1"])
    }

    @Test("follow-ups carry their action and the earlier external id")
    func followUps() async throws {
        let folder = try Self.folder()
        let path = try Self.script(
            #"cat > "$(mktemp -p '\#(folder.path)' req.XXXXXX)"; echo '{"ok":true,"external_id":12}'"#, in: folder)
        let channel = ExecChannel(channel: "hook", command: path)
        let receipt = DeliveryReceipt(externalID: "ext-7")
        #expect(await channel.update(Self.message, receipt: receipt) == .delivered(DeliveryReceipt(externalID: "12")))
        #expect(await channel.expire(Self.message, receipt: receipt) == .delivered(DeliveryReceipt(externalID: "12")))
        #expect(await channel.undo(Self.message, receipt: receipt) == .delivered(DeliveryReceipt(externalID: "12")))
        let requests = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("req.") }
        let actions = try requests.map { name -> String in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any]
            #expect(json?["external_id"] as? String == "ext-7")
            return json?["action"] as? String ?? ""
        }
        #expect(actions.sorted() == ["expire", "undo", "update"])
    }

    @Test("a reported failure keeps its retryable flag and reason")
    func reportedFailure() async throws {
        let retry = try Self.channel(#"cat >/dev/null; echo '{"ok":false,"retryable":true,"reason":"rate limited"}'"#)
        #expect(await retry.deliver(Self.message, to: nil) == .failed(DeliveryFailure(retryable: true, reason: "rate limited")))
        let permanent = try Self.channel(#"cat >/dev/null; echo '{"ok":false,"reason":"no such user"}'"#)
        #expect(await permanent.deliver(Self.message, to: nil) == .failed(DeliveryFailure(retryable: false, reason: "no such user")))
    }

    /// A command that stamps `started`, then waits 15 minutes, stamping `terminated` when it gets SIGTERM.
    static func hanging(stampsIn folder: URL, timeout: Double) throws -> ExecChannel {
        try channel(
            """
            \(stamp("started", in: folder))
            trap "\(stamp("terminated", in: folder)); exit 143" TERM
            sleep 900 &
            wait
            """, timeout: timeout)
    }

    @Test("a command that hangs is stopped at the timeout with SIGTERM: a retryable failure")
    func hangs() async throws {
        let folder = try Self.folder()
        let channel = try Self.hanging(stampsIn: folder, timeout: 1)
        let failure = Self.failure(await channel.deliver(Self.message, to: nil))
        #expect(failure?.retryable == true)
        #expect(failure?.reason.contains("did not finish within 1s; stopped with SIGTERM") == true)
        // Times measured by the command itself, so a test runner busy with other tests does not count.
        let start = try #require(Self.readStamp("started", in: folder))
        let terminated = try #require(Self.readStamp("terminated", in: folder)) - start
        #expect(terminated >= 0.9 && terminated < 30, "SIGTERM came after \(terminated)s")  // loose: other tests share the machine
    }

    @Test("a delivery whose task is cancelled (the executor gave up on it) stops its command instead of leaving it running")
    func cancelled() async throws {
        let folder = try Self.folder()
        let channel = try Self.hanging(stampsIn: folder, timeout: 600)
        let delivery = Task { await channel.deliver(Self.message, to: nil) }
        // Waits (up to a minute: other tests share the machine) for the command to start, then cancels its delivery.
        for _ in 0..<1_200 where Self.readStamp("started", in: folder) == nil { try await Task.sleep(nanoseconds: 50_000_000) }
        delivery.cancel()
        let failure = Self.failure(await delivery.value)
        #expect(failure?.retryable == true)
        #expect(failure?.reason.contains("the delivery was cancelled); stopped with SIGTERM") == true, "\(failure?.reason ?? "")")
        #expect(Self.readStamp("terminated", in: folder) != nil, "the command was not sent SIGTERM")
    }

    /// Whether a process is running (a zombie waiting for its reaper counts as gone).
    static func running(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state follows the command name in parentheses: "123 (sleep) S ...".
        let state = stat.split(separator: ")").last?.split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// A command that starts a grandchild ignoring SIGTERM (its pid in the file `grandchild`), then hangs until SIGTERM.
    static func withGrandchild(in folder: URL, timeout: Double) throws -> ExecChannel {
        try channel(
            """
            (trap '' TERM; exec sleep 300) &
            echo $! > '\(folder.path)/grandchild'
            \(stamp("started", in: folder))
            trap "exit 143" TERM
            while :; do sleep 0.1; done
            """, timeout: timeout, killGrace: 30)
    }

    /// Waits (up to 10 s) for the grandchild to be gone; kills it if it is not, and says whether it was.
    static func grandchildGone(in folder: URL) async throws -> Bool {
        let text = try String(contentsOf: folder.appendingPathComponent("grandchild"), encoding: .utf8)
        let pid = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        for _ in 0..<200 where running(pid) { try await Task.sleep(nanoseconds: 50_000_000) }
        let gone = !running(pid)
        if !gone { kill(pid, SIGKILL) }
        return gone
    }

    @Test("a command stopped at its timeout takes its process group with it: a grandchild that ignores SIGTERM is killed")
    func timeoutKillsGrandchild() async throws {
        let folder = try Self.folder()
        let channel = try Self.withGrandchild(in: folder, timeout: 1)
        let failure = Self.failure(await channel.deliver(Self.message, to: nil))
        #expect(failure?.retryable == true)
        #expect(try await Self.grandchildGone(in: folder), "the grandchild outlived the stopped command")
    }

    @Test("a cancelled delivery takes its command's whole process group with it, grandchildren included")
    func cancelKillsGrandchild() async throws {
        let folder = try Self.folder()
        let channel = try Self.withGrandchild(in: folder, timeout: 600)
        let delivery = Task { await channel.deliver(Self.message, to: nil) }
        for _ in 0..<1_200 where Self.readStamp("started", in: folder) == nil { try await Task.sleep(nanoseconds: 50_000_000) }
        delivery.cancel()
        #expect(Self.failure(await delivery.value)?.retryable == true)
        #expect(try await Self.grandchildGone(in: folder), "the grandchild outlived the cancelled delivery")
    }

    @Test("after a crash, a restarted server finds a command still running by its delivery key and kills its group")
    func stopsWhatACrashLeftRunning() async throws {
        let folder = try Self.folder()
        // The first server's delivery: a command (and a grandchild ignoring SIGTERM) that would run for minutes.
        let first = try Self.withGrandchild(in: folder, timeout: 600)
        // A key of its own: the other tests' commands (run in parallel) carry Self.message's and must not be touched.
        var message = Self.message
        message.idempotencyKey = "crash-\(UUID().uuidString)"
        let delivery = Task { [message] in await first.deliver(message, to: nil) }
        for _ in 0..<1_200 where Self.readStamp("started", in: folder) == nil { try await Task.sleep(nanoseconds: 50_000_000) }
        // The restarted server's instance knows only the interrupted deliveries' keys.
        let restarted = try Self.channel("exit 0")
        #expect(await restarted.stopInterrupted(["no-such-delivery"]).isEmpty)
        let stopped = await restarted.stopInterrupted([message.idempotencyKey, "another-key"])
        #expect(stopped == [message.idempotencyKey])
        #expect(Self.failure(await delivery.value)?.reason.contains("signal 9") == true)
        #expect(try await Self.grandchildGone(in: folder), "the grandchild outlived the restart")
    }

    @Test("a command that ignores SIGTERM is killed with SIGKILL after the grace period")
    func ignoresTerm() async throws {
        let folder = try Self.folder()
        let channel = try Self.channel(
            """
            \(Self.stamp("started", in: folder))
            trap "\(Self.stamp("terminated", in: folder))" TERM
            while :; do \(Self.stamp("alive", in: folder)); sleep 0.1; done
            """, timeout: 1, killGrace: 1)
        let failure = Self.failure(await channel.deliver(Self.message, to: nil))
        #expect(failure?.retryable == true)
        #expect(failure?.reason.contains("then SIGKILL") == true)
        let start = try #require(Self.readStamp("started", in: folder))
        let terminated = try #require(Self.readStamp("terminated", in: folder)) - start
        let lastAlive = try #require(Self.readStamp("alive", in: folder)) - start
        #expect(terminated >= 0.9 && terminated < 30, "SIGTERM came after \(terminated)s")  // loose: other tests share the machine
        #expect(lastAlive - terminated > 0.5 && lastAlive - terminated < 20, "SIGKILL came \(lastAlive - terminated)s after SIGTERM")
    }

    @Test("a non-zero exit is a failure: retryable, except sysexits 64–78 (but 75) and 126/127")
    func crashes() async throws {
        let crash = try #require(Self.failure(await Self.channel("echo 'disk on fire' >&2; exit 3").deliver(Self.message, to: nil)))
        #expect(crash.retryable)
        #expect(crash.reason.hasSuffix("exited with status 3 (stderr: disk on fire)"))
        let config = try #require(Self.failure(await Self.channel("exit 78").deliver(Self.message, to: nil)))
        #expect(!config.retryable)
        #expect(config.reason.contains("status 78 (EX_CONFIG)"))
        let tempfail = try #require(Self.failure(await Self.channel("exit 75").deliver(Self.message, to: nil)))
        #expect(tempfail.retryable)
        let segfault = try #require(Self.failure(await Self.channel("kill -SEGV $$").deliver(Self.message, to: nil)))
        #expect(segfault.retryable)
        #expect(segfault.reason.contains("killed by signal 11 (SIGSEGV)"))
        let explained = try #require(
            Self.failure(await Self.channel(#"echo '{"ok":false,"retryable":false,"reason":"bad address"}'; exit 1"#).deliver(Self.message, to: nil)))
        #expect(!explained.retryable)
        #expect(explained.reason.hasSuffix("exited with status 1: bad address"))
    }

    @Test("garbage or nothing on stdout is a non-retryable failure with a clear reason")
    func garbage() async throws {
        let garbage = try #require(Self.failure(await Self.channel("echo 'hello world'").deliver(Self.message, to: nil)))
        #expect(!garbage.retryable)
        #expect(garbage.reason.contains("printed something that is not a JSON result: 'hello world'"))
        let silent = try #require(Self.failure(await Self.channel("true").deliver(Self.message, to: nil)))
        #expect(!silent.retryable)
        #expect(silent.reason.contains("printed no result on stdout"))
        let noOK = try #require(Self.failure(await Self.channel(#"echo '{"external_id":"1"}'"#).deliver(Self.message, to: nil)))
        #expect(noOK.reason.contains("without a true/false 'ok'"))
        let flood = try #require(Self.failure(await Self.channel("yes garbage | head -c 3000000").deliver(Self.message, to: nil)))
        #expect(!flood.retryable)
        #expect(flood.reason.contains("not a JSON result: 'garbage ⏎ garbage"))
    }

    @Test("a missing program is a non-retryable failure")
    func missingProgram() async {
        let channel = ExecChannel(channel: "hook", command: "/nonexistent/escalate-hook")
        let failure = Self.failure(await channel.deliver(Self.message, to: nil))
        #expect(failure?.retryable == false)
        #expect(failure?.reason == "cannot run '/nonexistent/escalate-hook': No such file or directory")
    }

    @Test("a command may say whether the person answered")
    func answered() async throws {
        let yes = try Self.channel(#"cat >/dev/null; echo '{"ok":true,"external_id":"c1","answered":true}'"#)
        #expect(await yes.deliver(Self.message, to: nil) == .delivered(DeliveryReceipt(externalID: "c1", answer: .answered)))
        let no = try Self.channel(#"cat >/dev/null; echo '{"ok":true,"answered":false}'"#)
        #expect(await no.deliver(Self.message, to: nil) == .delivered(DeliveryReceipt(externalID: nil, answer: .unanswered)))
        #expect(ExecChannel.descriptor.capabilities.contains(.answers))
    }

    @Test("a command that does not read its (large) request, or leaves a background child, still finishes")
    func unreadInputAndBackgroundChild() async throws {
        let big = ChannelMessage(idempotencyKey: "k", incidentID: "i", body: String(repeating: "x", count: 2_000_000))
        let ignoring = try Self.channel(#"echo '{"ok":true}'"#)
        #expect(await ignoring.deliver(big, to: nil) == .delivered(DeliveryReceipt(externalID: nil)))
        let folder = try Self.folder()
        let background = try Self.channel(
            #"cat >/dev/null; sleep 300 & echo $! > '\#(folder.path)/child'; echo '{"ok":true,"external_id":"bg"}'"#)
        #expect(await background.deliver(Self.message, to: nil) == .delivered(DeliveryReceipt(externalID: "bg")))
        // Delivered (not stopped at the 10 s timeout, which kills the process group) while the background child still
        // sleeps: the run did not wait for it. Checked by the child's life, not by a wall-clock bound, which a test
        // runner whose pool is busy with other tests can exceed.
        let child = try #require(Int32(try String(contentsOf: folder.appendingPathComponent("child"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.running(child), "the background child should still be running")
        kill(child, SIGKILL)
    }

    @Test("hanging deliveries do not block others: the good one finishes before the hanging ones' timeout")
    func concurrent() async throws {
        let folder = try Self.folder()
        let hanging = try Self.channel(
            """
            trap "\(Self.stamp("terminated.$$", in: folder)); exit 143" TERM
            sleep 300 &
            wait
            """, timeout: 60)
        let good = try Self.channel(
            #"cat >/dev/null; \#(Self.stamp("good", in: folder)); echo '{"ok":true,"external_id":"fast"}'"#)
        async let slow1 = hanging.deliver(Self.message, to: nil)
        async let slow2 = hanging.deliver(Self.message, to: nil)
        async let slow3 = hanging.deliver(Self.message, to: nil)
        async let fast = good.deliver(Self.message, to: nil)
        #expect(await fast == .delivered(DeliveryReceipt(externalID: "fast")))
        for result in await [slow1, slow2, slow3] {
            #expect(Self.failure(result)?.reason.contains("did not finish within 60s") == true)
        }
        // Times measured by the commands themselves, so a test runner busy with other tests does not count: the good
        // command finished while the hanging ones still ran, i.e. before their timeout.
        let goodFinished = try #require(Self.readStamp("good", in: folder))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("terminated.") }
        let terminations = names.compactMap { Self.readStamp($0, in: folder) }
        #expect(terminations.count == 3)
        let firstTermination = try #require(terminations.min())
        #expect(goodFinished < firstTermination, "the good command finished \(goodFinished - firstTermination)s after the first timeout")
    }

    @Test("settings: command required, args a list, timeout a wall-clock duration, env a map of names")
    func settings() throws {
        let folder = try Self.folder()
        let policyFile = folder.appendingPathComponent("channels.yaml").path
        _ = try Self.script("echo", in: folder, name: "notify.sh")
        func settings(_ pairs: [(String, SettingValue)]) -> ChannelSettings {
            let at = SourceLocation(file: policyFile, line: 1, column: 1)
            return ChannelSettings(channel: "hook", value: .map(pairs.map { (Located($0.0, at: at), $0.1) }, at), location: at)
        }
        func scalar(_ text: String) -> SettingValue { .scalar(text, Self.here) }
        #expect(ExecChannel.validate(settings([("command", scalar("./notify.sh"))])).isEmpty)
        let relative = try ExecChannel(settings: settings([("command", scalar("./notify.sh"))]), environment: ChannelEnvironment([:]))
        #expect(relative.command == folder.appendingPathComponent("notify.sh").standardizedFileURL.path)
        #expect(ExecChannel.validate(settings([("command", scalar("./missing.sh"))])).first?.message.contains("does not exist") == true)
        #expect(ExecChannel.validate(settings([])).count == 1)
        #expect(ExecChannel.validate(settings([("command", scalar("notify")), ("args", scalar("--x"))])).count == 1)
        #expect(ExecChannel.validate(settings([("command", scalar("notify")), ("timeout", scalar("10"))])).count == 1)
        #expect(ExecChannel.validate(settings([("command", scalar("notify")), ("timeout", scalar("0s"))])).count == 1)
        #expect(ExecChannel.validate(settings([("command", scalar("notify")), ("timeout", scalar("1 business day"))])).count == 1)
        let badName = SourceLocation(file: policyFile, line: 9, column: 11)
        let env: SettingValue = .map([(Located("1X", at: badName), scalar("y")), (Located("OK", at: Self.here), .list([], Self.here))], Self.here)
        let problems = ExecChannel.validate(settings([("command", scalar("notify")), ("env", env)]))
        #expect(problems.count == 2)
        #expect(problems.first?.location == badName)
        let args = try ExecChannel(
            settings: settings([("command", scalar("notify")), ("args", .list([scalar("--token"), scalar("${env:T}")], Self.here))]),
            environment: ChannelEnvironment(["T": "secret"]))
        #expect(args.arguments == ["--token", "secret"])
        #expect(args.timeout == ExecChannel.defaultTimeout)
    }
}
