import Foundation

/// Wall-clock seconds for leases that a test moves by hand.
final class LeaseClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double = 1_795_000_000

    /// Now.
    var now: Double { lock.withLock { value } }

    /// Moves time forward.
    func advance(_ seconds: Double) { lock.withLock { value += seconds } }
}
