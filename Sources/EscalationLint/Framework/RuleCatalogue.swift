/// Looks rules up by id and checks that ids and codes are unique.
public enum RuleCatalogue {
    /// The descriptions of all built-in rules, in registry order.
    public static var descriptions: [RuleDescription] {
        RuleRegistry.all.map { rule in rule.description }
    }

    /// The description of the rule with this id.
    public static func description(of id: String) -> RuleDescription? {
        descriptions.first { $0.id == id }
    }

    /// Ids or codes used by more than one rule (empty when the registry is sound).
    public static func duplicates() -> [String] {
        let ids = descriptions.map { $0.kind.id }
        let codes = descriptions.map { $0.kind.code }
        func repeated(_ items: [String]) -> [String] {
            Dictionary(grouping: items) { $0 }.filter { $0.value.count > 1 }.map { $0.key }
        }
        return (repeated(ids) + repeated(codes)).sorted()
    }
}
