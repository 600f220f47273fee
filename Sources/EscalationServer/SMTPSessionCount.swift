/// How many SMTP sessions are open, against a limit.
actor SMTPSessionCount {
    let limit: Int
    private var open = 0

    init(limit: Int) { self.limit = limit }

    /// Takes a place; false when all are taken.
    func enter() -> Bool {
        guard open < limit else { return false }
        open += 1
        return true
    }

    /// Gives a place back.
    func leave() { open -= 1 }
}
