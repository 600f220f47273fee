/// Why composing a YAML file failed, with what libyaml or the composer said, as `Yams.YamlError` carries it.
public enum YAMLError: Error, Sendable, Equatable {
    /// What libyaml says the problem was found while doing (`while scanning a quoted scalar`) and where.
    public struct Context: Sendable, Equatable {
        /// libyaml's words.
        public let text: String
        /// Where.
        public let mark: YAMLMark
    }

    /// libyaml ran out of memory.
    case memory
    /// The text could not be read (e.g. a control character): libyaml's problem, the byte offset where it found it
    /// and the offending value (-1 for none).
    case reader(problem: String, offset: Int, value: Int32)
    /// A scanner error.
    case scanner(context: Context?, problem: String, mark: YAMLMark)
    /// A parser error.
    case parser(context: Context?, problem: String, mark: YAMLMark)
    /// A composer error (an undefined alias, a second document).
    case composer(context: Context?, problem: String, mark: YAMLMark)
    /// The text is larger than `YAMLComposer.maximumBytes` (Yams had no such limit; no policy file comes near it).
    case tooLarge
    /// A mapping repeats keys: every repeated key (sorted as Yams sorts them) and where the first of them first stands.
    case duplicatedKeys(keys: [String], mark: YAMLMark)
}
