/// Who a message goes to, as its placeholders read it (`recipient.id`, `recipient.name`, the action links): two
/// strings. A `CompiledContact` passed along instead was copied out of the graph's table with its addresses and
/// preferences for every delivery, and destroyed after.
struct MessageRecipient {
    /// The contact's id.
    let id: String
    /// The contact's display name.
    let name: String
}
