import EscalationChannel
import EscalationCore
import EscalationExecutor
import Foundation

extension PolicySet {
    /// Loads like `load(paths:channels:)` (refusing a set with errors) and also returns each organisation's
    /// diagnostics, by organisation id, with file paths relative to the organisation's folder (so a page showing
    /// them never shows the server's layout).
    public static func loadWithDiagnostics(paths: [String], channels: ChannelRegistry = ChannelRegistry()) throws -> (
        set: PolicySet, diagnostics: [String: [Diagnostic]]
    ) {
        let output = try PolicyPipeline(channels: channels).run(paths: paths)
        if !output.errors.isEmpty {
            var refused = Refused(diagnostics: output.errors)
            for organisation in output.organisations where !organisation.errors.isEmpty {
                let id = organisation.organisation.header?.id.value ?? organisation.organisation.declaredID ?? organisation.graph.organisation
                refused.byOrganisation[id, default: []] += organisation.errors
            }
            throw refused
        }
        var diagnostics: [String: [Diagnostic]] = [:]
        for organisation in output.organisations {
            let files = organisation.sources.map(\.path)
            let folder = Self.folder(of: files)
            // Messages name files too (`at policies/acme/organisation.yaml:21:3`): each file's path as given and its
            // absolute path, longest first, become the relative path.
            var names: [(String, String)] = []
            for file in files {
                let relative = Self.relative(file, to: folder)
                names.append((file, relative))
                names.append((URL(fileURLWithPath: file).standardizedFileURL.path, relative))
            }
            names.sort { $0.0.count > $1.0.count }
            func clean(_ text: String) -> String { names.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) } }
            diagnostics[organisation.graph.organisation, default: []] += organisation.diagnostics.map { diagnostic in
                var relative = diagnostic
                if let location = diagnostic.location { relative.location?.file = Self.relative(location.file, to: folder) }
                relative.message = clean(diagnostic.message)
                relative.hint = diagnostic.hint.map(clean)
                return relative
            }
        }
        return (PolicySet(graphs: output.graphs), diagnostics)
    }

    /// The deepest folder holding every file (absolute, standardised).
    static func folder(of files: [String]) -> [String] {
        let folders = files.map { Array(URL(fileURLWithPath: $0).standardizedFileURL.deletingLastPathComponent().pathComponents) }
        guard var common = folders.first else { return [] }
        for folder in folders.dropFirst() {
            let shared = zip(common, folder).prefix { $0 == $1 }.count
            common = Array(common.prefix(shared))
        }
        return common
    }

    /// `file` relative to `folder` (path components), or its name alone when it is elsewhere; never absolute.
    static func relative(_ file: String, to folder: [String]) -> String {
        let components = URL(fileURLWithPath: file).standardizedFileURL.pathComponents
        if !folder.isEmpty, components.count > folder.count, Array(components.prefix(folder.count)) == folder {
            return components.dropFirst(folder.count).joined(separator: "/")
        }
        return components.last ?? file
    }
}
