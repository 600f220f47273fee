import EscalationChannel
import EscalationCore
import Foundation
import SMSChannel
import Testing

@Suite("SMSChannel takes replies: X-Twilio-Signature checked as the provider documents it, TwiML back")
struct SMSInboundTests {
    static let token = "sms-token-9fK2-DistinctiveValue"
    static let url = "https://escalate.example.org/v1/inbound/sms"

    func channel() throws -> SMSChannel {
        let yaml = """
            account: AC0042
            auth_token: ${env:SMS_TOKEN}
            from: "+15550100"
            """
        return try SMSChannel(settings: SettingsYAML.settings(yaml, channel: "sms"), environment: ChannelEnvironment(["SMS_TOKEN": Self.token]))
    }

    static let params = [("MessageSid", "SM1"), ("From", "+15550101"), ("To", "+15550100"), ("Body", "4a thanks & \"bye\""), ("AccountSid", "AC0042")]

    func request(signature: String?, params: [(String, String)] = params, url: String = url) -> InboundRequest {
        var headers = ["Content-Type": "application/x-www-form-urlencoded"]
        if let signature { headers["X-Twilio-Signature"] = signature }
        return InboundRequest(url: url, headers: headers, body: Array(ProviderSignature.form(params).utf8), receivedAt: Instant(seconds: 0))
    }

    @Test func aSignedReplyIsRead() throws {
        let signature = try ProviderSignature.twilio(url: Self.url, params: Self.params, token: Self.token)
        guard case .reply(let reply) = try channel().receive(request(signature: signature)) else {
            Issue.record("a correctly signed webhook is a reply")
            return
        }
        #expect(reply.from == "+15550101" && reply.text == "4a thanks & \"bye\"" && reply.via == "sms reply" && reply.reference == nil)
        #expect(reply.raw?.contains("Body=4a thanks") == true && reply.raw?.contains(Self.token) == false, "the form is kept, never the token")
    }

    @Test func missingWrongAndMisdirectedSignaturesAreRefused() throws {
        let channel = try channel()
        let good = try ProviderSignature.twilio(url: Self.url, params: Self.params, token: Self.token)
        let other = try ProviderSignature.twilio(url: Self.url, params: Self.params, token: "another-token")
        var tampered = Self.params
        tampered[3] = ("Body", "4r")
        for request in [request(signature: nil), request(signature: other), request(signature: good, params: tampered),
                        request(signature: good, url: Self.url + "?x=1"), request(signature: "")] {
            guard case .refused(let status, _) = channel.receive(request) else {
                Issue.record("refused: \(request.headers)")
                continue
            }
            #expect(status == 403)
        }
    }

    @Test func theAnswerIsTwiML() throws {
        let response = try channel().respond("Acknowledged <4> & done")
        #expect(response.contentType.hasPrefix("text/xml"))
        #expect(response.body == #"<?xml version="1.0" encoding="UTF-8"?><Response><Message>Acknowledged &lt;4&gt; &amp; done</Message></Response>"#)
        #expect(SMSChannel.inboundSecretSetting == "auth_token")
    }
}
