import EscalationChannel
import EscalationCore
import Foundation

/// One line of a delivery log: when, and the delivery as the exec plugin would send it (`DeliveryJSON`).
struct DeliveryRecord: Encodable {
    /// The delivery.
    var delivery: DeliveryJSON
    /// When the record was written.
    var time = Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))

    /// A record of an action on a channel.
    init(action: String, channel: String, address: String?, message: ChannelMessage, receipt: DeliveryReceipt?) {
        delivery = DeliveryJSON(action: action, channel: channel, address: address, message: message, receipt: receipt)
    }

    enum CodingKeys: String, CodingKey { case time }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time.description, forKey: .time)
        try delivery.encode(to: encoder)
    }
}
