import EscalationGraph
import Foundation

/// Graphviz's `dot` program, found on `PATH`, turning DOT text into SVG or PNG.
public struct Graphviz: Sendable {
    /// An image format `dot` writes.
    public enum ImageFormat: String, Sendable, CaseIterable {
        /// Scalable vector graphics (`-Tsvg`).
        case svg
        /// A bitmap (`-Tpng`).
        case png
    }

    /// `dot` could not be run, or rejected its input.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// What went wrong, with `dot`'s own message.
        public var description: String
    }

    /// The `dot` executable.
    public var executable: URL

    /// Uses this `dot` executable.
    public init(executable: URL) {
        self.executable = executable
    }

    /// The first executable `dot` in the `PATH` of the environment, or nil when Graphviz is not installed.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Graphviz? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("dot")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return Graphviz(executable: candidate)
            }
        }
        return nil
    }

    /// Runs `dot -T<format>` on the DOT text and returns the image.
    public func render(_ dot: String, as format: ImageFormat) throws(Failure) -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-graphviz-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create a temporary folder for dot: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("graph.dot")
        let output = folder.appendingPathComponent("graph.\(format.rawValue)")
        do {
            try Data(dot.utf8).write(to: input)
        } catch {
            throw Failure(description: "cannot write a temporary file for dot: \(error.localizedDescription)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-T\(format.rawValue)", "-o", output.path, input.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot run \(executable.path): \(error.localizedDescription)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "dot failed (exit \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard let data = FileManager.default.contents(atPath: output.path) else {
            throw Failure(description: "dot wrote no \(format.rawValue) output")
        }
        return data
    }
}
