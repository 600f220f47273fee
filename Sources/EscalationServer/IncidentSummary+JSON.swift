import EscalationCore

extension IncidentSummary {
    /// The summary as `JSONResponse.make` writes it (sorted keys, pretty-printed, slashes as they are), without the
    /// encoder's generic pass: every new incident's response is one of these.
    var prettyJSON: [UInt8] {
        var writer = JSONWriter(.pretty, escapesSlashes: false)
        writer.beginObject()
        writer.key("acknowledged_by")
        writer.optional(acknowledgedBy)
        writer.key("created_at")
        writer.string(createdAt)
        writer.key("dedup_key")
        writer.optional(dedupKey)
        writer.key("fields")
        writer.map(fields)
        writer.key("id")
        writer.string(id)
        writer.key("ladder")
        writer.string(ladder)
        writer.key("open_scopes")
        writer.strings(openScopes)
        writer.key("organisation")
        writer.string(organisation)
        writer.key("outcome")
        writer.optional(outcome)
        writer.key("policy")
        writer.string(policy)
        writer.key("reply_code")
        writer.optional(replyCode)
        writer.key("resolved_by")
        writer.optional(resolvedBy)
        writer.key("resolved_scopes")
        writer.strings(resolvedScopes)
        writer.key("stage")
        writer.optional(stage)
        writer.key("status")
        writer.string(status)
        writer.key("title")
        writer.string(title)
        writer.key("updated_at")
        writer.string(updatedAt)
        writer.key("version")
        writer.string(version)
        writer.endObject()
        return writer.bytes
    }
}
