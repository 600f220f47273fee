extension PendingNotification {
    /// Moves to the next item (`index + 1`) with no outcome reported for it yet (`failed`, `unanswered` and `answered`
    /// cleared), and returns the notification as it now is. `deliver` changes and reads the notification where the state
    /// keeps it in one access: four writes and a read through the run's state were five exclusivity checks.
    mutating func movedToNextItem() -> PendingNotification {
        index += 1
        failed = nil
        unanswered = nil
        answered = nil
        return self
    }
}
