import EscalationCore
import Foundation
import HTTPTypes
import Hummingbird

/// One-time sign-in links (`escalate console-link`): `GET /console/link?token=…` shows a confirmation page and
/// changes nothing; its button posts to `POST /console/link`, which checks the link, records its nonce as used and
/// starts a session with the same cookie as a token sign-in. A used link answers 410, an expired one 410, an altered
/// one 403, a cut-short one 400; never a session.
extension EscalationAPI {
    func addConsoleLinkRoutes(to router: Router<BasicRequestContext>, console: Console) {
        router.get("/console/link") { request, _ in
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            let (checked, refusal) = await checkLink(token, console)
            guard let link = checked else { return refusal ?? usedLink() }
            let csrf = ConsoleSessions.randomToken()
            let zone = await console.policies.graph(link.organisation).flatMap { ZonedTime.zone($0.timezone) } ?? ZonedTime.utc
            var response = ConsoleLinkViews.confirm(
                token: token, organisation: link.organisation, expires: ZonedTime.display(Instant(seconds: link.expires), in: zone), csrf: csrf
            ).response()
            response.headers[.setCookie] = cookie(Self.signInCookie, value: csrf, maxAge: ConsoleSignInLink.longestSeconds)
            return response
        }
        router.post("/console/link") { request, _ in
            var request = request
            if let refusal = await signInThrottle(request, console) { return refusal }
            let form = try await consoleForm(&request)
            guard let expected = request.cookies[Self.signInCookie]?.value, ConsoleSessions.same(form["csrf"] ?? "", expected) else {
                logger.notice("console link refused: the CSRF value is missing or wrong")
                return ConsolePage.error(
                    .forbidden, "The form had expired or was not sent from the link's page; open the link again.", session: nil, back: "/console/sign-in")
            }
            let (checked, refusal) = await checkLink(form["token"] ?? "", console)
            guard let link = checked else {
                if let status = refusal?.status, status == .badRequest || status == .forbidden { await countSignInFailure(request, console) }
                return refusal ?? usedLink()
            }
            switch await console.linkNonces.use(link.nonce, expires: link.expires, now: Self.consoleInstant(console)) {
            case true?: break
            case false?: return usedLink()
            case nil:
                logger.error("console link refused: too many links in use at once")
                return ConsolePage.error(.serviceUnavailable, "Too many sign-in links are in use; try again in a few minutes.", session: nil, back: "/console/sign-in")
            }
            let name = String((form.text("name") ?? "someone").filter { !$0.isNewline }.prefix(80))
            let session = await console.sessions.create(organisation: link.organisation, name: name, now: console.now())
            logger.info("console sign-in with a one-time link", metadata: ["organisation": "\(link.organisation)"])
            var headers = HTTPFields()
            headers.append(HTTPField(name: .setCookie, value: cookie(Self.sessionCookie, value: session.id, maxAge: console.sessions.lifetimeSeconds)))
            headers.append(HTTPField(name: .setCookie, value: cookie(Self.signInCookie, value: "", maxAge: 0)))
            return ConsolePage.redirect("/console/incidents", headers: headers)
        }
    }

    /// The console's clock as an instant.
    static func consoleInstant(_ console: Console) -> Instant { Instant(seconds: Int64(console.now().timeIntervalSince1970.rounded(.down))) }

    /// The link a token stands for, or (nil and) the page refusing it: cut short (400), altered or signed with another
    /// key (403), expired (410), already used (410), or for an organisation this server does not run (403).
    func checkLink(_ token: String, _ console: Console) async -> (link: ConsoleSignInLink?, refusal: Response?) {
        let keys = [configuration.linkKey] + configuration.previousLinkKeys
        switch ConsoleSignInLink.verify(token, keys: keys, now: Self.consoleInstant(console)) {
        case .failure(.malformed):
            logger.notice("console link refused", metadata: ["reason": "malformed"])
            return (
                nil,
                ConsolePage.error(
                    .badRequest, "This sign-in link is incomplete; copy the whole link, or ask for a new one (escalate console-link).", session: nil,
                    back: "/console/sign-in"))
        case .failure(.badSignature):
            logger.notice("console link refused", metadata: ["reason": "signature"])
            return (
                nil,
                ConsolePage.error(
                    .forbidden, "This sign-in link is not valid: it was altered, or made with another server's key. Ask for a new one.", session: nil,
                    back: "/console/sign-in"))
        case .failure(.expired):
            logger.notice("console link refused", metadata: ["reason": "expired"])
            return (
                nil,
                ConsolePage.error(.gone, "This sign-in link has expired. Ask for a new one, or sign in with your organisation's token.", session: nil, back: "/console/sign-in"))
        case .success(let link):
            guard await console.policies.graph(link.organisation) != nil else {
                logger.notice("console link refused", metadata: ["reason": "organisation"])
                return (
                    nil, ConsolePage.error(.forbidden, "This sign-in link is for an organisation this server does not run.", session: nil, back: "/console/sign-in"))
            }
            if await console.linkNonces.isUsed(link.nonce) { return (nil, usedLink()) }
            return (link, nil)
        }
    }

    /// The page of a link used before.
    func usedLink() -> Response {
        logger.notice("console link refused", metadata: ["reason": "used"])
        return ConsolePage.error(
            .gone, "This sign-in link has already been used; each link signs in once. Ask for a new one (escalate console-link).", session: nil,
            back: "/console/sign-in")
    }
}
