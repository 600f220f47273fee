import Foundation

extension ServerConfiguration {
    /// Where the API tokens come from, in order: a token file, `ESCALATE_TOKENS` (`org=token,org2=token2`), or
    /// tokens generated for each served organisation (shown once at start).
    public struct Tokens: Sendable {
        /// SHA-256 hex of each token → organisation.
        public var hashes: [String: String]
        /// Tokens generated because none were configured: organisation → token (print once, never store).
        public var generated: [(organisation: String, token: String)]
    }

    /// Why tokens could not be read; `cause` says which source was wrong.
    public struct TokenError: Error, CustomStringConvertible, Sendable {
        /// The source that was wrong.
        public enum Cause: Sendable, Hashable {
            /// The token file cannot be read.
            case unreadableFile
            /// The token file has a malformed line.
            case malformedFile
            /// `ESCALATE_TOKENS` is malformed.
            case malformedEnvironment
        }

        /// The cause.
        public var cause: Cause
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// Reads the tokens for `organisations` from a token file path, else the environment, else generates them.
    public static func tokens(file: String?, environment: [String: String], organisations: [String]) throws(TokenError) -> Tokens {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw TokenError(cause: .unreadableFile, description: "cannot read the token file \(file)")
            }
            do {
                return Tokens(hashes: try parseTokenFile(text), generated: [])
            } catch {
                throw TokenError(cause: .malformedFile, description: "\(file): \(error)")
            }
        }
        if let pairs = environment["ESCALATE_TOKENS"] {
            var hashes: [String: String] = [:]
            for pair in pairs.split(separator: ",") {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex, pair.index(after: equals) != pair.endIndex else {
                    throw TokenError(cause: .malformedEnvironment, description: "ESCALATE_TOKENS must be 'org=token,org2=token2'")
                }
                hashes[hash(token: String(pair[pair.index(after: equals)...]))] = String(pair[..<equals])
            }
            return Tokens(hashes: hashes, generated: [])
        }
        var tokens = Tokens(hashes: [:], generated: [])
        for organisation in organisations {
            let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            tokens.hashes[hash(token: token)] = organisation
            tokens.generated.append((organisation, token))
        }
        return tokens
    }
}
