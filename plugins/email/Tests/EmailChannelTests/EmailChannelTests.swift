import EmailChannel
import EscalationChannel
import EscalationCore
import Foundation
import Testing

@Suite("EmailChannel against a real SMTP server (aiosmtpd)")
struct EmailChannelTests {
    static let password = "smtp-pw-4Lm9-DistinctiveValue"
    let environment = ChannelEnvironment(["SMTP_USER": "bot", "SMTP_PASSWORD": password])

    func channel(_ sink: SMTPSink, host: String = "127.0.0.1", timeout: String = "120s", extra: String = "") throws -> EmailChannel {
        let yaml = """
            host: \(host)
            port: \(sink.port)
            from: Escalate <ops@example.org>
            timeout: \(timeout)
            \(extra)
            """
        return try EmailChannel(settings: SettingsYAML.settings(yaml, channel: "email"), environment: environment)
    }

    func message(_ key: String, incident: String = "inc-1", subject: String? = "Pool heater down", body: String = "Check the boiler.", cc: [String] = [])
        -> ChannelMessage
    {
        ChannelMessage(idempotencyKey: key, incidentID: incident, subject: subject, body: body, cc: cc)
    }

    @Test func settingsExamples() {
        for example in EmailChannel.descriptor.validExamples {
            #expect(SettingsYAML.settings(example).problems(for: EmailChannel.self) == [], "\(example)")
        }
        for example in EmailChannel.descriptor.invalidExamples {
            #expect(!SettingsYAML.settings(example).problems(for: EmailChannel.self).isEmpty, "\(example)")
        }
    }

    @Test func sendsToAndCcAndThreadsAnIncident() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let plugin = try channel(sink)
        let first = await plugin.deliver(message("inc-1/n1/0", cc: ["matt@example.org", "lee@example.org"]), to: "jessie@example.org")
        let second = await plugin.deliver(message("inc-1/n2/0", subject: "Still down"), to: "jessie@example.org")
        #expect(first == .delivered(DeliveryReceipt(externalID: "<inc-1/n1/0@example.org>")))
        #expect(second == .delivered(DeliveryReceipt(externalID: "<inc-1/n2/0@example.org>")))

        let mail = try sink.messages()
        try #require(mail.count == 2)
        #expect(mail[0].mail_from == "ops@example.org")
        #expect(mail[0].rcpt_tos == ["jessie@example.org", "matt@example.org", "lee@example.org"])
        let headers = mail[0].headers
        #expect(headers["from"] == "Escalate <ops@example.org>")
        #expect(headers["to"] == "jessie@example.org")
        #expect(headers["cc"] == "matt@example.org, lee@example.org")
        #expect(headers["subject"] == "Pool heater down")
        #expect(headers["message-id"] == "<inc-1/n1/0@example.org>")
        #expect(headers["in-reply-to"] == "<inc-1@example.org>")
        #expect(headers["references"] == "<inc-1@example.org>")
        #expect(headers["auto-submitted"] == "auto-generated")
        let date = try #require(headers["date"])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let sent = try #require(formatter.date(from: date))
        #expect(abs(sent.timeIntervalSinceNow) < 120)
        #expect(mail[0].body.hasPrefix("Check the boiler."))

        #expect(mail[1].rcpt_tos == ["jessie@example.org"])
        #expect(mail[1].headers["cc"] == nil)
        #expect(mail[1].headers["message-id"] == "<inc-1/n2/0@example.org>")
        #expect(mail[1].headers["in-reply-to"] == "<inc-1/n1/0@example.org>")
        #expect(mail[1].headers["references"] == "<inc-1@example.org> <inc-1/n1/0@example.org>")
    }

    @Test func anotherIncidentStartsItsOwnThread() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let plugin = try channel(sink)
        _ = await plugin.deliver(message("a/1", incident: "inc A"), to: "jessie@example.org")
        _ = await plugin.deliver(message("b/1", incident: "inc-B"), to: "jessie@example.org")
        let mail = try sink.messages()
        #expect(mail.map { $0.headers["in-reply-to"] } == ["<inc=20A@example.org>", "<inc-B@example.org>"])
        #expect(mail.map { $0.headers["x-escalate-incident"] } == ["inc=20A", "inc-B"])
    }

    @Test func nonASCIISubjectAndBodyAreEncodedAndDotsStuffed() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let subject = "Café heater — 21°C"
        let body = "Température basse.\n.\n..two dots\nend"
        #expect(
            try await channel(sink).deliver(message("k/1", subject: subject, body: body), to: "jessie@example.org")
                == .delivered(DeliveryReceipt(externalID: "<k/1@example.org>")))
        let mail = try #require(try sink.messages().first)
        let encoded = try #require(mail.headers["subject"])
        let words = encoded.split(separator: " ").map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
        }
        #expect(words.joined() == subject)
        #expect(mail.headers["content-transfer-encoding"] == "quoted-printable")
        #expect(mail.body.hasPrefix("Temp=C3=A9rature basse.\r\n.\r\n..two dots\r\nend"))
    }

    @Test func startTLSWithLogin() async throws {
        let sink = try await SMTPSink.start(tls: true, login: "bot:\(Self.password)")
        defer { sink.stop() }
        let certificate = try #require(sink.certificate)
        let plugin = try channel(
            sink, host: "localhost",
            extra: "starttls: true\nca_file: \(certificate)\nusername: ${env:SMTP_USER}\npassword: ${env:SMTP_PASSWORD}")
        #expect(await plugin.deliver(message("tls/1"), to: "jessie@example.org") == .delivered(DeliveryReceipt(externalID: "<tls/1@example.org>")))
        let mail = try #require(try sink.messages().first)
        #expect(mail.tls)
        #expect(mail.login == "bot")
    }

    @Test func untrustedCertificateIsNotRetryable() async throws {
        let sink = try await SMTPSink.start(tls: true)
        defer { sink.stop() }
        let result = try await channel(sink, host: "localhost", extra: "starttls: true").deliver(message("x/1"), to: "jessie@example.org")
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(!failure.retryable)
        #expect(failure.reason.contains("TLS"))
        #expect(try sink.messages().isEmpty)
    }

    @Test func startTLSMissingOnTheServerIsNotRetryable() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let result = try await channel(sink, extra: "starttls: true").deliver(message("x/1"), to: "jessie@example.org")
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(!failure.retryable)
        #expect(failure.reason.contains("does not offer STARTTLS"))
    }

    @Test func wrongPasswordIsNotRetryableAndNeverShown() async throws {
        let sink = try await SMTPSink.start(login: "bot:other-password", loginWithoutTLS: true)
        defer { sink.stop() }
        let result = try await channel(sink, extra: "username: ${env:SMTP_USER}\npassword: ${env:SMTP_PASSWORD}")
            .deliver(message("x/1"), to: "jessie@example.org")
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(!failure.retryable)
        #expect(failure.reason.contains("535"))
        #expect(!"\(result)".contains(Self.password))
        #expect(!"\(result)".contains(Data(Self.password.utf8).base64EncodedString()))
    }

    @Test func loginOnLoopbackWithoutTLS() async throws {
        let sink = try await SMTPSink.start(login: "bot:\(Self.password)", loginWithoutTLS: true)
        defer { sink.stop() }
        let result = try await channel(sink, extra: "username: ${env:SMTP_USER}\npassword: ${env:SMTP_PASSWORD}")
            .deliver(message("x/1"), to: "jessie@example.org")
        #expect(result == .delivered(DeliveryReceipt(externalID: "<x/1@example.org>")))
        #expect(try sink.messages().first?.login == "bot")
    }

    @Test(arguments: [(550, false), (450, true)])
    func refusedRecipientFailsTheWholeMessage(code: Int, retryable: Bool) async throws {
        let sink = try await SMTPSink.start(refuse: ["gone@example.org": code])
        defer { sink.stop() }
        let result = try await channel(sink).deliver(message("x/1", cc: ["gone@example.org"]), to: "jessie@example.org")
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable == retryable)
        #expect(failure.reason.contains("<gone@example.org>") && failure.reason.contains("\(code)"))
        #expect(try sink.messages().isEmpty)
    }

    @Test func connectionRefusedIsRetryable() async throws {
        let closed = try await SMTPSink.start()
        closed.stop()
        let result = try await channel(closed).deliver(message("x/1"), to: "jessie@example.org")
        guard case .failed(let failure) = result else { Issue.record("expected a failure, got \(result)"); return }
        #expect(failure.retryable)
        #expect(failure.reason.contains("connection refused"))
    }

    @Test func aSlowServerTimesOutWithoutBlockingAnotherDelivery() async throws {
        let slow = try await SMTPSink.start(dataDelay: 300)
        let fast = try await SMTPSink.start()
        defer {
            slow.stop()
            fast.stop()
        }
        let slowPlugin = try channel(slow, timeout: "3s")
        let fastPlugin = try channel(fast)
        let started = ContinuousClock.now
        async let slowResult = slowPlugin.deliver(message("slow/1"), to: "jessie@example.org")
        let fastResult = await fastPlugin.deliver(message("fast/1"), to: "jessie@example.org")
        #expect(fastResult == .delivered(DeliveryReceipt(externalID: "<fast/1@example.org>")))
        // Sent while the slow one waits (it times out at 3 s; its server would take 300 s). The bound is loose: a test
        // runner whose pool is busy with other tests can resume this one minutes late, so it only rules out the server's.
        #expect(ContinuousClock.now - started < .seconds(200))
        guard case .failed(let failure) = await slowResult else { Issue.record("the slow delivery should time out"); return }
        #expect(failure.retryable)
        #expect(failure.reason.contains("did not finish within 3s"))
        #expect(ContinuousClock.now - started < .seconds(200))
    }

    @Test func badAddressesAndNoRecipientAreNotRetryable() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let plugin = try channel(sink)
        #expect(
            await plugin.deliver(message("x/1"), to: "jessie@example.org\r\nBcc: evil@example.org")
                == .failed(DeliveryFailure(retryable: false, reason: "'jessie@example.org\r\nBcc: evil@example.org' is not an e-mail address")))
        #expect(await plugin.deliver(message("x/2"), to: nil) == .failed(DeliveryFailure(retryable: false, reason: "the message has no e-mail recipient")))
        #expect(try sink.messages().isEmpty)
    }

    @Test func setupErrorsNameTheSettingNotTheSecret() {
        do {
            _ = try EmailChannel(
                settings: SettingsYAML.settings("host: smtp.example.org\nfrom: ops@example.org\nusername: bot\npassword: ${env:UNSET_PW}"),
                environment: ChannelEnvironment([:]))
            Issue.record("expected a setup error")
        } catch {
            #expect(error.description.contains("UNSET_PW"))
        }
    }
}
