import Foundation

/// A real SMTP server on 127.0.0.1 that saves every message: scripts/testing/smtp_sink.py (aiosmtpd) run by
/// python3. It stops on `stop()`, when the test process exits (its standard input closes), or after ten minutes.
final class SMTPSink: @unchecked Sendable {
    /// One message as the server received it.
    struct Message: Decodable, Sendable {
        /// MAIL FROM.
        var mail_from: String
        /// Accepted RCPT TO addresses.
        var rcpt_tos: [String]
        /// The message text.
        var content: String
        /// Whether it came after STARTTLS.
        var tls: Bool
        /// The login used, if any.
        var login: String?

        /// Header values by lower-case name (folded lines joined).
        var headers: [String: String] {
            let head = content.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").first ?? ""
            var headers: [String: String] = [:]
            var last: String?
            for line in head.split(separator: "\n") {
                if line.first == " " || line.first == "\t", let last {
                    headers[last, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
                } else if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].lowercased()
                    headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    last = name
                }
            }
            return headers
        }

        /// The body as received (after the blank line), CRLFs kept.
        var body: String {
            guard let range = content.range(of: "\r\n\r\n") ?? content.range(of: "\n\n") else { return "" }
            return String(content[range.upperBound...])
        }
    }

    /// The port it listens on.
    let port: Int
    /// With `tls: true`: the self-signed certificate to trust (CA file).
    let certificate: String?

    private let helper: PythonHelper
    private let folder: URL

    private init(helper: PythonHelper, certificate: String?, folder: URL) {
        self.port = helper.port
        self.certificate = certificate
        self.helper = helper
        self.folder = folder
    }

    deinit { stop() }

    /// Starts a sink; `tls` offers STARTTLS, `login` requires AUTH with `user:password`, `refuse` maps recipients
    /// to reply codes, `dataDelay` stalls before accepting a message.
    static func start(
        tls: Bool = false, login: String? = nil, loginWithoutTLS: Bool = false, refuse: [String: Int] = [:], dataDelay: Double = 0
    ) async throws -> SMTPSink {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var arguments = [folder.appendingPathComponent("mail.jsonl").path]
        if tls { arguments += ["--tls-dir", folder.path] }
        if let login { arguments += ["--auth", login] }
        if loginWithoutTLS { arguments.append("--auth-without-tls") }
        for (address, code) in refuse.sorted(by: { $0.key < $1.key }) { arguments += ["--refuse", "\(address)=\(code)"] }
        if dataDelay > 0 { arguments += ["--data-delay", "\(dataDelay)"] }
        let helper = try await PythonHelper.start(
            script: "smtp_sink.py", arguments: arguments,
            failure: "the SMTP sink did not start (are python3 and aiosmtpd installed? scripts/test.sh installs aiosmtpd)")
        let certificate = tls ? folder.appendingPathComponent("cert.pem").path : nil
        return SMTPSink(helper: helper, certificate: certificate, folder: folder)
    }

    /// The messages received so far, in order.
    func messages() throws -> [Message] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("mail.jsonl"), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Message.self, from: Data($0.utf8)) }
    }

    /// Stops the sink and removes its files.
    func stop() {
        helper.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
