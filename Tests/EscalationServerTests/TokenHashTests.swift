import EscalationServer
import Testing

/// The token hash is the lowercase SHA-256 hex that `sha256sum` prints (token files are written with it).
@Suite struct TokenHashTests {
    @Test("the hash of a token is sha256sum's lowercase hex")
    func sha256Hex() {
        #expect(ServerConfiguration.hash(token: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ServerConfiguration.hash(token: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
