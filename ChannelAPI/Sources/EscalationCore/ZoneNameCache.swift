import Foundation

/// Zone abbreviations (`CST`, `GMT+8`), looked up once per zone, daylight-saving state and offset: ICU's name lookup
/// costs more than the rest of formatting a timeline's wall time.
final class ZoneNameCache: @unchecked Sendable {
    /// The process's cache.
    static let shared = ZoneNameCache()
    private let lock = NSLock()
    private var names: [String: String] = [:]

    /// The cached name under `key`, made by `make` the first time.
    func name(_ key: String, _ make: () -> String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let name = names[key] { return name }
        let name = make()
        names[key] = name
        return name
    }
}
