/// Why an SMTP conversation failed and whether a later try may succeed (never holds a secret).
struct SMTPFailure: Error, Sendable, CustomStringConvertible {
    /// True for timeouts, connection problems and 4xx replies.
    var retryable: Bool
    /// What happened.
    var description: String

    /// A failure.
    init(retryable: Bool, _ description: String) {
        self.retryable = retryable
        self.description = description
    }

    /// A failure for a negative reply to a step: 4xx is retryable, 5xx is not.
    init(_ reply: SMTPReply, during step: String) {
        self.init(retryable: (400..<500).contains(reply.code), "the mail server refused \(step): \(reply.code) \(reply.text)")
    }
}
