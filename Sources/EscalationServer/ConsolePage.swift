import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One console page: the shared frame (header, navigation, sign-out form) around a page's content, and the
/// headers every console response carries (no caching, a Content-Security-Policy that allows only this origin's
/// script and stylesheet).
struct ConsolePage: Sendable {
    /// The page title (escaped).
    var title: String
    /// The signed-in session, nil on the sign-in page.
    var session: ConsoleSession?
    /// The content of `<main>`.
    var content: HTMLText

    /// The whole document.
    var html: HTMLText {
        let navigation: HTMLText
        if let session {
            navigation = """
                <nav aria-label="Console"><a href="/console/incidents">Incidents</a><a href="/console/policies">Policies</a>\
                <span class="who">\(session.organisation) · \(session.name)</span>\
                <form method="post" action="/console/sign-out"><input type="hidden" name="csrf" value="\(session.csrf)">\
                <button type="submit">Sign out</button></form></nav>
                """
        } else {
            navigation = "<nav aria-label=\"Console\"><span>Escalate console</span></nav>"
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Escalate</title>
            <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/console/assets/console.css">
            <script src="/console/assets/console.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to the content</a>
            <header>\(navigation)</header>
            <main id="main">
            \(content)
            </main>
            </body>
            </html>

            """
    }

    /// The page as a response.
    func response(_ status: HTTPResponse.Status = .ok) -> Response {
        Self.respond(status, html.html, type: "text/html; charset=utf-8")
    }

    /// A response with the console's security headers.
    static func respond(_ status: HTTPResponse.Status, _ body: String, type: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        if let options = HTTPField.Name("X-Content-Type-Options") { headers[options] = "nosniff" }
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "same-origin" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A 303 to `location` (after a form post), with extra headers (cookies).
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    /// An error page: what went wrong and what to do, with a way back.
    static func error(_ status: HTTPResponse.Status, _ message: String, session: ConsoleSession?, back: String = "/console/incidents") -> Response {
        ConsolePage(
            title: "\(status.code) \(status.reasonPhrase)", session: session,
            content: """
                <h1>\(status.reasonPhrase)</h1>
                <p class="error" role="alert">\(message)</p>
                <p><a href="\(back)">Back</a></p>
                """
        ).response(status)
    }
}
