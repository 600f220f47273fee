import EscalationSimulator
import HTTPTypes
import Hummingbird
import NIOCore

/// The small HTML pages an action link answers with: a confirmation with a button, or why nothing happened.
enum LinkPage {
    /// A page with a title, a sentence and, when `button` is given, a form that POSTs to the same URL.
    static func response(_ status: HTTPResponse.Status, title: String, text: String, button: String? = nil) -> Response {
        let form = button.map { #"<form method="post" action=""><button type="submit">\#(escape($0))</button></form>"# } ?? ""
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>\(escape(title))</title></head>
            <body style="font-family: sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em">
            <h1>\(escape(title))</h1>
            <p>\(escape(text))</p>
            \(form)
            </body></html>

            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// Text safe inside HTML (the one escaping function, `HTMLEscaping.escape`).
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}
