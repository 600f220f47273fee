import Foundation

/// Finds policy test files: `tests/*.yaml` in an organisation's folder.
public enum PolicyTestDiscovery {
    /// The folder holding an organisation's files (their deepest common folder).
    public static func organisationFolder(of files: [String]) -> String {
        let folders = files.map { ($0 as NSString).deletingLastPathComponent }
        guard var common = folders.first else { return "." }
        for folder in folders.dropFirst() {
            while !(folder == common || folder.hasPrefix(common + "/")), !common.isEmpty {
                common = (common as NSString).deletingLastPathComponent
            }
        }
        return common.isEmpty ? "." : common
    }

    /// The YAML files in `<folder>/tests`, sorted.
    public static func testFiles(in folder: String) -> [String] {
        let tests = (folder as NSString).appendingPathComponent("tests")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tests)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (tests as NSString).appendingPathComponent($0) }
    }
}
