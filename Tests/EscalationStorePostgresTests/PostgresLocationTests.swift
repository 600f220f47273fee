import EscalationStorePostgres
import Testing

/// URLs are read into locations, and a password never shows in a description or an error.
struct PostgresLocationTests {
    @Test("a URL with a password")
    func tcp() throws {
        let location = try PostgresLocation(url: "postgres://app:s3cret@db.example.org:5433/escalate?sslmode=require")
        #expect(location.host == "db.example.org")
        #expect(location.port == 5433)
        #expect(location.username == "app")
        #expect(location.password == "s3cret")
        #expect(location.database == "escalate")
        #expect(location.tls == .require)
        #expect(location.description == "postgres://app:***@db.example.org:5433/escalate")
        #expect(!location.description.contains("s3cret"))
    }

    @Test("a unix socket folder")
    func socket() throws {
        let location = try PostgresLocation(url: "postgresql://app@/escalate?host=/tmp/pg&port=5444")
        #expect(location.socketPath == "/tmp/pg/.s.PGSQL.5444")
        #expect(location.tls == .disable)
    }

    @Test("redaction and errors never show the password")
    func redaction() {
        #expect(PostgresLocation.redact("postgres://app:s3cret@host/db") == "postgres://app:***@host/db")
        #expect(PostgresLocation.redact("postgres://app@host/db") == "postgres://app@host/db")
        #expect(PostgresLocation.redact("escalate.sqlite") == "escalate.sqlite")
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: "postgres://app:s3cret@host/db?sslmode=maybe") }
        do {
            _ = try PostgresLocation(url: "postgres://app:s3cret@host/db?sslmode=maybe")
        } catch {
            #expect(!error.description.contains("s3cret"))
        }
    }
}
