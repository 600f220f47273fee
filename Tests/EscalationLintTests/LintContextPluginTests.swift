import EscalationChannel
import EscalationCore
@testable import EscalationLint
import EscalationPolicy
import Testing

/// `LintContext.plugin(_:)` (the registry's lookup by id, `ChannelRegistry.plugin(_:)`) answered by a search of the
/// registry's list, as the lookup was written before it kept its plugins by id. This pins the lookup against that
/// search for every registered id, near misses and unknown ids, on an empty registry, the test registry and registries
/// of random subsets of it, including after `channels` is replaced.
@Suite("Lint context plugins")
struct LintContextPluginTests {
    /// The same plugin type, or both nil.
    static func same(_ left: (any NotificationChannel.Type)?, _ right: (any NotificationChannel.Type)?) -> Bool {
        switch (left, right) {
        case (nil, nil): return true
        case let (left?, right?): return ObjectIdentifier(left) == ObjectIdentifier(right)
        default: return false
        }
    }

    /// The plugin with this id, found by searching the registry's list (the lookup as it was written first).
    static func searched(_ registry: ChannelRegistry, _ id: String) -> (any NotificationChannel.Type)? {
        registry.plugins.first { $0.descriptor.id == id }
    }

    /// Ids to ask about: every registered one, variants of them and a few unknown ones.
    static func questions(_ registry: ChannelRegistry) -> [String] {
        let ids = TestChannels.registry.ids
        return ids + ids.map { $0.uppercased() } + ids.map { $0 + " " } + ids.map { String($0.dropLast()) } + ["", "pager", "e-mail", "slack\u{301}"]
    }

    @Test("the index answers as the registry on random registries, also after channels change")
    func indexAgreesWithRegistry() throws {
        let organisation = Organisation()
        var rng = SplitMix64(seed: 0x9_1A6_1D5)
        var registries = [ChannelRegistry(), TestChannels.registry]
        for _ in 0..<200 {
            registries.append(try ChannelRegistry(TestChannels.registry.plugins.filter { _ in rng.next() % 2 == 0 }))
        }
        var found = 0
        for registry in registries {
            var context = LintContext(organisation: organisation, loadDiagnostics: [], channels: registry)
            for id in Self.questions(registry) {
                #expect(Self.same(context.plugin(id), Self.searched(registry, id)), "\(id) in \(registry.ids)")
                if Self.searched(registry, id) != nil { found += 1 }
            }
            let other = registries[Int(rng.next() % UInt64(registries.count))]
            context.channels = other
            for id in Self.questions(other) {
                #expect(Self.same(context.plugin(id), Self.searched(other, id)), "\(id) in \(other.ids) after a change")
            }
        }
        #expect(found > 500)
    }
}
