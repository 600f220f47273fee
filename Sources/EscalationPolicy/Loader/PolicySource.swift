/// One policy file as it was read: its path and its text.
public struct PolicySource: Codable, Sendable, Hashable {
    /// The path it was read from.
    public var path: String
    /// Its text.
    public var text: String

    /// A file's path and text.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
