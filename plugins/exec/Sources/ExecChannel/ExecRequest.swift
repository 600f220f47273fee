import Foundation

/// The JSON document an exec command reads on standard input (see `DeliveryJSON`).
typealias ExecRequest = DeliveryJSON

extension DeliveryJSON {
    /// The request as one line of compact JSON ending in a newline.
    func jsonLine() throws -> Data { try Self.line(self) }
}
