import EscalationCore
import EscalationStore

/// The executor's pending timers in memory: a binary min-heap ordered by due instant, then by the order they were
/// armed (the simulator's order), with lazy removal. It mirrors the store's timer table and is re-armed from it on start.
struct TimerHeap: Sendable {
    struct Entry: Sendable {
        var timer: StoredTimer
        var sequence: Int

        func precedes(_ other: Entry) -> Bool { (timer.at, sequence) < (other.timer.at, other.sequence) }
    }

    private var heap: [Entry] = []
    /// The live sequence number of each armed timer id; heap entries with another number are stale.
    private var live: [String: Int] = [:]
    private var sequence = 0

    /// An empty heap.
    init() {}

    /// A heap holding `timers` (as read from the store, in its order).
    init(_ timers: [StoredTimer]) {
        for timer in timers { arm(timer) }
    }

    /// The number of armed timers.
    var count: Int { live.count }

    /// Arms a timer (re-arming an id replaces its earlier instant).
    mutating func arm(_ timer: StoredTimer) {
        sequence += 1
        live[timer.id] = sequence
        heap.append(Entry(timer: timer, sequence: sequence))
        siftUp(heap.count - 1)
    }

    /// Whether a timer with this id is armed.
    func contains(_ id: String) -> Bool { live[id] != nil }

    /// Disarms a timer by id; unknown ids are ignored. Stale entries are dropped when they outnumber live ones.
    mutating func disarm(_ id: String) {
        live[id] = nil
        if heap.count > 64, heap.count > 2 * live.count { compact() }
    }

    private mutating func compact() {
        heap.removeAll { live[$0.timer.id] != $0.sequence }
        heap.sort { $0.precedes($1) }  // a sorted array is a valid heap
    }

    /// The earliest armed timer.
    mutating func peek() -> StoredTimer? {
        dropStale()
        return heap.first?.timer
    }

    /// Removes and returns the earliest armed timer due at or before `now`.
    mutating func popDue(at now: Instant) -> StoredTimer? {
        guard let top = peek(), top.at <= now else { return nil }
        removeTop()
        live[top.id] = nil
        return top
    }

    private mutating func dropStale() {
        while let top = heap.first, live[top.timer.id] != top.sequence { removeTop() }
    }

    private mutating func removeTop() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var first = parent
            if left < heap.count, heap[left].precedes(heap[first]) { first = left }
            if right < heap.count, heap[right].precedes(heap[first]) { first = right }
            if first == parent { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
