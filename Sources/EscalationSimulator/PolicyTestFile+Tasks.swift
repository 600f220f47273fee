import EscalationCore

extension PolicyTestFile {
    /// One expected task: when it is created, its title and who it is assigned to.
    public struct ExpectedTask: Sendable, Hashable {
        /// When, as written (`+15m`, `FIELD + 15m`, an instant).
        public var at: String
        /// The exact rendered title; nil: any title.
        public var title: String?
        /// Assignee contact ids, in any order; nil: anyone.
        public var assignees: [String]?
        /// Which incident of the case it belongs to; nil: the first.
        public var incident: Int? = nil
        /// Where it is written.
        public var location: SourceLocation
    }

    /// One expected refused signal: when, and fragments of the engine's reason.
    public struct ExpectedRefusal: Sendable, Hashable {
        /// When, as written.
        public var at: String
        /// Fragments the refusal's text must contain (e.g. the missing field's name); empty: any refusal.
        public var contains: [String]
        /// Where it is written.
        public var location: SourceLocation
    }
}
