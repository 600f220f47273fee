/// The run's ids, keys and short joined texts written on their bytes: a timer's or notification's id (`B-7/t3`) and a delivery's
/// idempotency key (`B-7/n2/0`, `B-7/n2/0.1`). Interpolation built each through `DefaultStringInterpolation` (a
/// reserve, an append per piece, and `Int.description` making a string of its own for each number); here the length is
/// counted first and the bytes written once into the new string (no storage at all when it fits a small string).
enum KeyText {
    /// `base` + `/` + `prefix` (when given) + `number` in decimal, then `.` + `member` when given: the text of
    /// `"\(base)/\(prefix)\(number)"` or `"\(base)/\(number).\(member)"`, byte for byte.
    static func key(_ base: String, prefix: UInt8? = nil, number: Int, member: Int? = nil) -> String {
        let numberCount = digitCount(number)
        let memberCount = member.map { 1 + digitCount($0) } ?? 0
        let written = base.utf8.withContiguousStorageIfAvailable { head -> String in
            let count = head.count + 1 + (prefix == nil ? 0 : 1) + numberCount + memberCount
            return String(unsafeUninitializedCapacity: count) { out in
                var at = out.initialize(fromContentsOf: head)
                out[at] = UInt8(ascii: "/")
                at += 1
                if let prefix {
                    out[at] = prefix
                    at += 1
                }
                at = write(number, digits: numberCount, into: out, at: at)
                if let member {
                    out[at] = UInt8(ascii: ".")
                    at = write(member, digits: memberCount - 1, into: out, at: at + 1)
                }
                return at
            }
        }
        if let written { return written }
        let head = prefix.map { "\(base)/\(Character(Unicode.Scalar($0)))\(number)" } ?? "\(base)/\(number)"
        return member.map { "\(head).\($0)" } ?? head
    }

    /// The bytes `number` takes in decimal (with its sign).
    static func digitCount(_ number: Int) -> Int {
        var rest = number.magnitude
        var count = number < 0 ? 2 : 1
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    /// Writes `number` in decimal (`digits` bytes, its sign included) at `at`; returns the index after it.
    private static func write(_ number: Int, digits: Int, into out: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        var rest = number.magnitude
        var index = at + digits
        let end = index
        repeat {
            index -= 1
            out[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
        if number < 0 { out[at] = UInt8(ascii: "-") }
        return end
    }

    /// `first + second + third + fourth` written into one string of the right capacity: one allocation, where
    /// interpolating grew the string once or twice on the way (a reason such as `resolved by X (outcome: ran)`).
    static func joined(_ first: String, _ second: String, _ third: String = "", _ fourth: String = "") -> String {
        let count = first.utf8.count + second.utf8.count + third.utf8.count + fourth.utf8.count
        return String(unsafeUninitializedCapacity: count) { out in
            var at = append(first, to: out, at: 0)
            at = append(second, to: out, at: at)
            at = append(third, to: out, at: at)
            return append(fourth, to: out, at: at)
        }
    }

    /// Writes `text`'s bytes at `at`; returns the index after them.
    private static func append(_ text: String, to out: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        if let end = text.utf8.withContiguousStorageIfAvailable({ UnsafeMutableBufferPointer(rebasing: out[at...]).initialize(fromContentsOf: $0) + at }) {
            return end
        }
        var index = at
        for byte in text.utf8 {
            out[index] = byte
            index += 1
        }
        return index
    }
}
