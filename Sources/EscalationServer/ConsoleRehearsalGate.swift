/// How many Monte Carlo rehearsals the console runs at once (each is bounded, but many posted together would take
/// every core): one more is answered "busy" instead of queued.
actor ConsoleRehearsalGate {
    /// The gate of this process.
    static let shared = ConsoleRehearsalGate(limit: 2)

    /// Most running at once.
    let limit: Int
    /// Running now.
    private var running = 0

    /// A gate letting `limit` through at once.
    init(limit: Int) { self.limit = limit }

    /// Takes a place; false when all are taken.
    func enter() -> Bool {
        guard running < limit else { return false }
        running += 1
        return true
    }

    /// Gives a place back.
    func leave() { running = max(running - 1, 0) }
}
