import Foundation

/// Where a PostgreSQL database is, read from a `postgres://user:password@host:port/database` URL (also
/// `postgresql://`; `?host=/dir` or a percent-encoded path as host selects a unix socket in that folder;
/// `?sslmode=disable|prefer|require`). Its description never shows the password.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    /// How to use TLS.
    public enum TLSMode: String, Sendable {
        /// Plain connections.
        case disable
        /// TLS when the server offers it.
        case prefer
        /// TLS or no connection.
        case require
    }

    /// Host name or address (nil with a unix socket).
    public var host: String?
    /// Port.
    public var port: Int
    /// The unix socket file (nil over TCP).
    public var socketPath: String?
    /// User name.
    public var username: String
    /// Password (never printed).
    public var password: String?
    /// Database name.
    public var database: String
    /// TLS mode (default: `disable` for loopback and sockets, `prefer` elsewhere).
    public var tls: TLSMode

    /// Why a URL is not a PostgreSQL location (the text shown has its password replaced by `***`).
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// Whether a `--db` value names PostgreSQL rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool { text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") }

    /// `text` with any password in a URL replaced by `***` (safe to print or log).
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<rest.startIndex]) + authority[..<colon] + ":***" + authority[at...] + rest[authorityEnd...]
    }

    /// Reads a URL.
    public init(url text: String) throws(Invalid) {
        let shown = Self.redact(text)
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw Invalid(description: "'\(shown)' is not a PostgreSQL URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        port = components.port ?? Int(query["port"] ?? "") ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        let rawHost = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        let socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? (rawHost.hasPrefix("/") ? rawHost : nil)
        if let socketFolder {
            host = nil
            socketPath = socketFolder.hasSuffix(".s.PGSQL.\(port)") ? socketFolder : "\(socketFolder)/.s.PGSQL.\(port)"
        } else {
            host = rawHost.isEmpty ? (query["host"] ?? "localhost") : rawHost
            socketPath = nil
        }
        let loopback = socketPath != nil || ["localhost", "127.0.0.1", "::1"].contains(host ?? "")
        switch query["sslmode"] {
        case nil: tls = loopback ? .disable : .prefer
        case let mode?:
            guard let parsed = TLSMode(rawValue: mode) else {
                throw Invalid(description: "'\(shown)': sslmode '\(mode)' is not one of disable, prefer, require")
            }
            tls = parsed
        }
    }

    /// `postgres://user:***@host:port/database` (the password never shown).
    public var description: String {
        let secret = password == nil ? "" : ":***"
        if let socketPath { return "postgres://\(username)\(secret)@/\(database)?host=\(socketPath)" }
        return "postgres://\(username)\(secret)@\(host ?? "localhost"):\(port)/\(database)"
    }
}
