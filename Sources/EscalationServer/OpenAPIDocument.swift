import Foundation

/// The OpenAPI 3.1 document served at `/openapi.yaml` (the file `openapi.yaml` in this module's resources).
public enum OpenAPIDocument {
    /// The document text.
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "openapi: 3.1.0\ninfo: { title: Escalate, version: unknown }\npaths: {}\n" }
        return text
    }()
}
