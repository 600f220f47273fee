import Foundation

/// The pages of a one-time sign-in link: the confirmation with its button (opening the link changes nothing, so
/// link previews and mail scanners do not use it up).
enum ConsoleLinkViews {
    /// The confirmation: which organisation, until when, an optional name, and the **Sign in** button (a POST with
    /// the sign-in form's double-submit CSRF value).
    static func confirm(token: String, organisation: String, expires: String, csrf: String) -> ConsolePage {
        ConsolePage(
            title: "Sign in with a link", session: nil,
            content: """
                <section class="card signin" aria-labelledby="link-heading">
                <h1 id="link-heading">Sign in to \(organisation)</h1>
                <p>This one-time link signs you in to the console of <strong>\(organisation)</strong>. It works once, until \(expires).</p>
                <form method="post" action="/console/link">
                <input type="hidden" name="csrf" value="\(csrf)">
                <input type="hidden" name="token" value="\(token)">
                <label for="name">Your name</label>
                <input id="name" name="name" type="text" autocomplete="name" maxlength="80">
                <p class="hint">Shown in the timeline as who acknowledged or resolved.</p>
                <p><button type="submit" id="use-link">Sign in</button></p>
                </form>
                </section>
                """)
    }
}
