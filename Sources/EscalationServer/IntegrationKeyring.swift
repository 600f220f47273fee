/// The integration keys in force (SHA-256 of a key → where its events go), replaceable while serving, so keys are
/// added and revoked by editing the key file and reloading (SIGHUP or `POST /v1/reload`), without a restart.
public actor IntegrationKeyring {
    private var hashes: [String: IntegrationRoute]

    /// A keyring with keys by their SHA-256 hex.
    public init(_ hashes: [String: IntegrationRoute]) { self.hashes = hashes }

    /// Where the events of a key go (nil for a key that is not, or no longer, configured).
    public func route(forKey key: String) -> IntegrationRoute? { hashes[ServerConfiguration.hash(token: key)] }

    /// Replaces every key (keys left out are revoked at once).
    public func replace(with hashes: [String: IntegrationRoute]) { self.hashes = hashes }

    /// How many keys are in force.
    public var count: Int { hashes.count }
}
