/// The last Message-ID this channel sent for each incident, so the next message replies to it. Kept in memory for
/// the most recent incidents; after a restart, messages still thread through the incident's root id.
actor EmailThreads {
    /// How many incidents are remembered.
    static let capacity = 10_000

    private var last: [String: String] = [:]
    private var order: [String] = []

    /// The last Message-ID sent for an incident.
    func lastMessage(of incident: String) -> String? { last[incident] }

    /// Remembers the Message-ID just sent for an incident.
    func sent(_ messageID: String, in incident: String) {
        if last.updateValue(messageID, forKey: incident) == nil {
            order.append(incident)
            if order.count > Self.capacity {
                last[order.removeFirst()] = nil
            }
        }
    }
}
