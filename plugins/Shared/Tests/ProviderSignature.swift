// Shared test source: linked (symlink) into the plugin test targets that check inbound signatures.

import Foundation

/// Request signatures computed the way the providers document them, by Python's `hmac` (not by the plugin's code).
enum ProviderSignature {
    /// Twilio-style: base64 HMAC-SHA1 (auth token) of the URL followed by each POST parameter's name and value, sorted by name.
    static func twilio(url: String, params: [(String, String)], token: String) throws -> String {
        let pairs = params.map { "\($0.0)\u{1F}\($0.1)" }.joined(separator: "\u{1E}")
        return try python(
            """
            import base64, hashlib, hmac, sys
            url, token, pairs = sys.argv[1], sys.argv[2], sys.argv[3]
            params = sorted(tuple(p.split('\\x1f', 1)) for p in pairs.split('\\x1e') if p)
            data = url + ''.join(k + v for k, v in params)
            print(base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode())
            """, [url, token, pairs])
    }

    /// Slack-style: `v0=` and the hex HMAC-SHA256 (signing secret) of `v0:TIMESTAMP:BODY`.
    static func slack(timestamp: String, body: String, secret: String) throws -> String {
        try python(
            """
            import hashlib, hmac, sys
            print('v0=' + hmac.new(sys.argv[2].encode(), ('v0:' + sys.argv[1] + ':' + sys.argv[3]).encode(), hashlib.sha256).hexdigest())
            """, [timestamp, secret, body])
    }

    /// `application/x-www-form-urlencoded`, as a provider sends it.
    static func form(_ params: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._*")
        return params.map { name, value in
            let encode = { (text: String) in (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+") }
            return encode(name) + "=" + encode(value)
        }.joined(separator: "&")
    }

    private static func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
