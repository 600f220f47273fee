import EscalationCore
import Foundation
import HTTPTypes
import Hummingbird

/// The console's sign-in rate limit: wrong tokens and refused sign-in links are counted per client address and
/// overall in one-minute windows (`Console.failuresPerAddress`, `Console.failuresOverall`); over either limit every
/// sign-in from that address (or from anyone) is answered 429 until the minute ends, right token or not, so tokens
/// cannot be guessed quickly. By the console's clock.
extension EscalationAPI {
    /// The client's address as `HTTPEdgeHandler` recorded it (behind a reverse proxy, the proxy's), else `unknown`.
    func clientAddress(_ request: Request) -> String {
        guard let name = HTTPField.Name(HTTPEdgeHandler.peerField), let address = request.headers[name], !address.isEmpty else { return "unknown" }
        return String(address.prefix(64))
    }

    /// A 429 page when sign-ins from this client (or from everyone) are refused for now; nil when it may try.
    func signInThrottle(_ request: Request, _ console: Console) async -> Response? {
        let now = Instant(seconds: Int64(console.now().timeIntervalSince1970.rounded(.down)))
        let address = clientAddress(request)
        let own = await console.signInFailures.wait("address:" + address, now: now, limit: console.failuresPerAddress)
        let all = await console.signInFailures.wait("*", now: now, limit: console.failuresOverall)
        guard let seconds = own ?? all else { return nil }
        logger.notice("console sign-in refused: too many failures", metadata: ["client": "\(address)", "scope": "\(own != nil ? "address" : "all")"])
        let whose = own != nil ? "from your address" : "to this server"
        var response = ConsolePage.error(
            .tooManyRequests, "Too many failed sign-ins \(whose) in the last minute. Wait \(seconds) seconds, then try again.", session: nil,
            back: "/console/sign-in")
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    /// Counts one failed sign-in of this client (and of everyone).
    func countSignInFailure(_ request: Request, _ console: Console) async {
        let now = Instant(seconds: Int64(console.now().timeIntervalSince1970.rounded(.down)))
        _ = await console.signInFailures.admit("address:" + clientAddress(request), now: now, limit: console.failuresPerAddress)
        _ = await console.signInFailures.admit("*", now: now, limit: console.failuresOverall)
    }
}
