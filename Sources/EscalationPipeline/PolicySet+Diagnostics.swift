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
            let folder = Self.folder(of: organisation.sources.map(\.path))
            diagnostics[organisation.graph.organisation, default: []] += organisation.diagnostics.map { diagnostic in
                var relative = diagnostic
                if let location = diagnostic.location { relative.location?.file = Self.relative(location.file, to: folder) }
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
