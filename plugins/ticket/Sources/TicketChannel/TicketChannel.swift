import EscalationChannel
import EscalationCore
import Foundation
import NIOHTTP1

/// Files messages as issues in a Jira-style tracker (`plugin: ticket`): each delivery creates an issue, linked to
/// the issue named by the message's `link_to` metadata; updates become comments on the issue.
public struct TicketChannel: NotificationChannel {
    /// What the ticket plugin is and which settings it reads.
    public static let descriptor = ChannelDescriptor(
        id: "ticket",
        summary: "creates an issue per message in a Jira-style tracker (REST API v2), links it, and comments on updates",
        capabilities: [.update, .posts],
        settings: [
            .init("api_url", required: true, kind: .url, "the tracker's base URL, e.g. https://example.atlassian.net (a trailing /rest/api/2 is ignored)"),
            .init("user", required: true, "the account the API token belongs to (plain or a ${env:NAME} reference)"),
            .init("api_token", required: true, secret: true, "the API token (HTTP basic auth with user)"),
            .init("project", "the project key issues go to when the address is not one, e.g. OPS"),
            .init("issue_type", "the issue type name (default Task)"),
            .init("fields", kind: .map, "extra issue fields, name: value (values are sent as text; lists and maps as JSON)"),
            .init("link_type", "the link type used for link_to (default Relates)"),
            .init("timeout", kind: .duration, "how long one request may take, e.g. 10s (default 10s)"),
        ],
        validExamples: [
            """
            api_url: https://example.atlassian.net
            user: ops-bot@example.org
            api_token: ${env:JIRA_API_TOKEN}
            project: OPS
            """,
            """
            api_url: https://jira.example.org
            user: ${env:JIRA_USER}
            api_token: ${env:JIRA_API_TOKEN}
            project: SUPPORT
            issue_type: Incident
            link_type: Blocks
            fields:
              priority:
                name: High
              labels: [escalate, outage]
            """,
        ],
        invalidExamples: [
            """
            api_url: https://example.atlassian.net
            api_token: ${env:JIRA_API_TOKEN}
            """,
            """
            api_url: https://example.atlassian.net
            user: ops-bot@example.org
            api_token: abc123
            """,
            """
            api_url: https://example.atlassian.net
            user: ops-bot@example.org
            api_token: ${env:JIRA_API_TOKEN}
            project: ops team
            """,
            """
            api_url: https://example.atlassian.net
            user: ops-bot@example.org
            api_token: ${env:JIRA_API_TOKEN}
            fields: High
            """,
            """
            api_url: https://example.atlassian.net
            user: ops-bot@example.org
            api_token: ${env:JIRA_API_TOKEN}
            fields:
              project: OTHER
            """,
        ])

    /// Fields the plugin fills itself.
    static let ownFields = ["project", "summary", "description", "issuetype"]

    /// Checks the URL, project key, fields and timeout on top of required keys and the token reference.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor) + settings.checkURL("api_url") + settings.checkDuration("timeout")
        if let project = settings.raw("project"), !isProjectKey(project) {
            problems.append(
                settings.problem("project", "'\(project)' is not a project key (capital letters, digits and _)", hint: "write e.g. 'project: OPS'"))
        }
        if let fields = settings.value?["fields"] {
            if case .map(let pairs, _) = fields {
                for pair in pairs where ownFields.contains(pair.key.value) {
                    problems.append(
                        ChannelSettings.problem(
                            "channel '\(settings.channel)': the field '\(pair.key.value)' is set by the ticket plugin itself",
                            at: pair.key.location, hint: "use the 'project' or 'issue_type' setting, or the template"))
                }
            } else {
                problems.append(settings.problem("fields", "'fields' must be a map of field names to values"))
            }
        }
        return problems
    }

    private let base: String
    private let credentials: String
    private let project: String?
    private let issueType: String
    private let linkType: String
    private let fields: [(name: String, value: SettingValue)]
    private let exchange: HTTPExchange

    /// Resolves the URL, user and token; fails when a reference is unset.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        let url = try settings.url("api_url", in: environment)
        base = url.hasSuffix("/rest/api/2") ? String(url.dropLast("/rest/api/2".count)) : url
        let user = try settings.required("user", in: environment)
        let token = try settings.required("api_token", in: environment)
        credentials = Data("\(user):\(token)".utf8).base64EncodedString()
        project = settings.raw("project")
        issueType = settings.raw("issue_type") ?? "Task"
        linkType = settings.raw("link_type") ?? "Relates"
        if case .map(let pairs, _)? = settings.value?["fields"] {
            fields = pairs.filter { !Self.ownFields.contains($0.key.value) }.map { ($0.key.value, $0.value) }
        } else {
            fields = []
        }
        exchange = HTTPExchange(service: "the ticket tracker", timeout: try settings.timeout(), secrets: [token, credentials])
    }

    /// Creates an issue in the address's project (or `project`) and links it to metadata `link_to` when given;
    /// metadata `field.NAME` sets field NAME. The receipt is the issue key. A failed link does not fail the
    /// delivery: the issue exists, and a retry would file it twice.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        guard let project = address.flatMap({ Self.isProjectKey($0) ? $0 : nil }) ?? self.project else {
            return .failed(exchange.failure(retryable: false, "no project to file the issue in: set 'project' or use a project key address"))
        }
        var issue: [String: Any] = [:]
        for (name, value) in fields { issue[name] = Self.json(value) }
        for (name, value) in message.metadata where name.hasPrefix("field.") && !Self.ownFields.contains(String(name.dropFirst(6))) {
            issue[String(name.dropFirst(6))] = value
        }
        let summary = message.subject.flatMap { $0.isEmpty ? nil : $0 } ?? message.body.split(separator: "\n").first.map(String.init) ?? "Escalation"
        issue["project"] = ["key": project]
        issue["summary"] = summary.count > 255 ? String(summary.prefix(254)) + "…" : summary
        issue["description"] = message.body
        issue["issuetype"] = ["name": issueType]
        let created: HTTPExchange.Response
        switch await send(.POST, "/rest/api/2/issue", ["fields": issue], message) {
        case .failure(let failure): return .failed(failure)
        case .success(let response): created = response
        }
        guard let key = created.field("key") else { return .delivered(DeliveryReceipt(externalID: created.field("id"))) }
        if let target = message.metadata["link_to"], !target.isEmpty {
            let link: [String: Any] = [
                "type": ["name": linkType], "inwardIssue": ["key": key], "outwardIssue": ["key": target],
            ]
            _ = await send(.POST, "/rest/api/2/issueLink", link, message)
        }
        return .delivered(DeliveryReceipt(externalID: key))
    }

    /// Adds the message as a comment on the issue in the receipt.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        guard let key = receipt.externalID, !key.isEmpty, !key.contains("/") else {
            return .failed(DeliveryFailure(retryable: false, reason: "the receipt has no issue key to comment on"))
        }
        switch await send(.POST, "/rest/api/2/issue/\(key)/comment", ["body": message.body], message) {
        case .success: return .delivered(receipt)
        case .failure(let failure): return .failed(failure)
        }
    }

    private func send(
        _ method: HTTPMethod, _ path: String, _ document: [String: Any], _ message: ChannelMessage
    ) async -> Result<HTTPExchange.Response, DeliveryFailure> {
        let body = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
        let headers = [
            ("Content-Type", "application/json"), ("Accept", "application/json"), ("Authorization", "Basic \(credentials)"),
            ("Idempotency-Key", message.idempotencyKey),
        ]
        return await exchange.send(method, base + path, headers: headers, body: Array(body))
    }

    /// A setting as JSON: text, a list or an object.
    static func json(_ value: SettingValue) -> Any {
        switch value {
        case .scalar(let text, _): return text
        case .null: return NSNull()
        case .list(let items, _): return items.map(json)
        case .map(let pairs, _): return Dictionary(pairs.map { ($0.key.value, json($0.value)) }, uniquingKeysWith: { $1 })
        }
    }

    /// `OPS`, `SUPPORT_2`: a capital letter, then capitals, digits or `_`.
    static func isProjectKey(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isUppercase, text.count >= 2 else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }
    }
}
