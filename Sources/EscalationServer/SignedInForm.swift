import Hummingbird

/// What `signedInForm` found: a signed-in post with a valid CSRF token, or the page that refuses it.
enum SignedInForm {
    /// The session and the form's fields.
    case accepted((session: ConsoleSession, form: ConsoleForm))
    /// The refusal to answer with.
    case refused(Response)
}
