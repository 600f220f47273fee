import EscalationServer
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// `serve --tls-cert FILE --tls-key FILE`: the HTTP server builder, over TLS when both are given.
enum ServeTLS {
    /// How the server speaks: HTTP/1.1, over TLS or not.
    typealias Builder = HTTPServerBuilder

    /// Why a certificate or key could not be used.
    struct Problem: Error, CustomStringConvertible {
        /// What is wrong and how to fix it.
        var description: String
    }

    /// The server builder: plain HTTP/1.1 without files, else HTTP/1.1 over TLS with the PEM certificate chain and key;
    /// either way each connection gets an `HTTPEdgeHandler` with `edges` (timeouts, parse errors, 100-continue).
    static func server(certificate: String?, key: String?, edges: HTTPEdgeHandler.Limits = .init()) throws(Problem) -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [HTTPEdgeHandler(limits: edges)])
        switch (certificate, key) {
        case (nil, nil): return .http1(configuration: http1)
        case (.some(let certificate), .some(let key)):
            let chain: [NIOSSLCertificate]
            do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
                throw Problem(description: "--tls-cert \(certificate): cannot read a PEM certificate (\(error))")
            }
            guard !chain.isEmpty else { throw Problem(description: "--tls-cert \(certificate): the file holds no PEM certificate") }
            let privateKey: NIOSSLPrivateKey
            do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
                throw Problem(description: "--tls-key \(key): cannot read a PEM private key (\(error))")
            }
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
            do { return try .tls(.http1(configuration: http1), tlsConfiguration: configuration) } catch {
                throw Problem(description: "the certificate and key cannot serve TLS: \(error)")
            }
        default:
            throw Problem(description: "give both --tls-cert and --tls-key (PEM files), or neither")
        }
    }
}
