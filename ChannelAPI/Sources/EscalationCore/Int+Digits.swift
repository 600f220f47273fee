extension Int {
    /// The number in decimal, zero-padded to at least `width` characters including a minus sign: what `%0Nd`
    /// prints, without `String(format:)` (which goes through Foundation's formatter on every call).
    func digits(_ width: Int) -> String {
        let text = String(magnitude)
        let sign = self < 0 ? "-" : ""
        return sign + String(repeating: "0", count: Swift.max(0, width - text.count - sign.count)) + text
    }
}
