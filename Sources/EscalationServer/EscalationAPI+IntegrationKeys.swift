import Foundation
import Hummingbird

extension EscalationAPI {
    /// The body of `POST /v1/integration-keys`.
    struct NewKeyBody: Decodable {
        /// The policy the key's events go to (nil: chosen by `match`).
        var policy: String?
    }

    /// `GET/POST /v1/integration-keys` and `DELETE /v1/integration-keys/{id}` with the organisation's token: list the
    /// organisation's keys (ids and routes only), make one (the key is in this answer only), revoke one. Each change
    /// is written to the key file and in force at once.
    func addIntegrationKeyRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/integration-keys") { request, _ in
            let organisation = try authorise(request)
            let file = try keyFile()
            let entries: [IntegrationKeyFile.Entry]
            do {
                entries = try await file.list(organisation: organisation)
            } catch {
                throw APIError(.serviceUnavailable, "integration keys: \(error)")
            }
            return JSONResponse.make(.ok, ["keys": entries.map { ["id": $0.id, "route": $0.route.description] }])
        }
        router.post("/v1/integration-keys") { request, _ in
            var request = request
            let organisation = try authorise(request)
            let file = try keyFile()
            let body: NewKeyBody = try await decode(&request, what: "integration key", allowEmpty: true) ?? NewKeyBody()
            if let policy = body.policy, await executor.policyExists(organisation: organisation, policy: policy) == false {
                throw APIError(.unprocessableContent, "integration key: organisation '\(organisation)' has no policy '\(policy)'")
            }
            let route = IntegrationRoute(organisation: organisation, policy: body.policy)
            let made: (key: String, entry: IntegrationKeyFile.Entry)
            do {
                made = try await file.add(route)
            } catch {
                throw APIError(.serviceUnavailable, "integration key: \(error)")
            }
            try await reloadKeys(file)
            logger.notice("integration key made", metadata: ["organisation": "\(organisation)", "id": "\(made.entry.id)"])
            return JSONResponse.make(.created, ["id": made.entry.id, "route": route.description, "key": made.key])
        }
        router.delete("/v1/integration-keys/:id") { request, context in
            let organisation = try authorise(request)
            let file = try keyFile()
            let id = try context.parameters.require("id")
            let removed: Bool
            do {
                removed = try await file.remove(id: id, organisation: organisation)
            } catch {
                throw APIError(.serviceUnavailable, "integration key: \(error)")
            }
            guard removed else { throw APIError(.notFound, "organisation '\(organisation)' has no integration key '\(id)'") }
            try await reloadKeys(file)
            logger.notice("integration key revoked", metadata: ["organisation": "\(organisation)", "id": "\(id)"])
            return JSONResponse.make(.ok, ["id": id, "status": "revoked"])
        }
    }

    private func keyFile() throws -> IntegrationKeyFile {
        guard let integrationKeyFile else {
            throw APIError(.conflict, "this server has no integration key file; start serve with --integration-keys FILE to manage keys over the API")
        }
        return integrationKeyFile
    }

    /// Puts the file's keys in force (with `${env:NAME}` lines resolved from the server's environment).
    private func reloadKeys(_ file: IntegrationKeyFile) async throws {
        do {
            let keys = try ServerConfiguration.integrationKeys(file: file.path, environment: ProcessInfo.processInfo.environment)
            await integrationKeys.replace(with: keys)
        } catch {
            throw APIError(.serviceUnavailable, "integration keys not reloaded: \(error.description)")
        }
    }
}
