import EscalationChannel
import EscalationCore
import EscalationPolicy

/// `post`, stage and action messages go to a channel, not to a person: its plugin must deliver without an address.
public struct ChannelCannotPostRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "channel_cannot_post", code: "E041", severity: .error),
        name: "Channel cannot post",
        summary: "A 'post', a stage or an action sends to a channel, not to a person's address, so its plugin must be one that delivers "
            + "without an address (a room, page, queue or command in its settings); SMS, voice and e-mail need an address and would fail at send time.",
        nonTriggeringExamples: [
            RuleExample(
                """
                channels:
                  team-room: { plugin: slack, settings: { token: "${env:SLACK_TOKEN}", channel: "#ops" } }
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        via: [sms]
                        template: page
                        post: [{ channel: team-room, template: page }]
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                        post: [{ channel: ↓sms, template: page }]
                    stages:
                      - { id: investigating, on: trigger, channel: ↓email, template: page }
                """)
        ])

    /// Reports posts, stages and actions whose channel's plugin needs an address.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        var result: [Diagnostic] = []
        func check(_ channel: Located<String>, _ what: @autoclosure () -> String) {
            guard let config = organisation.channel(channel.value), let plugin = context.plugin(config.plugin.value),
                !plugin.descriptor.capabilities.contains(.posts)
            else { return }
            let able = organisation.channels.filter { context.plugin($0.plugin.value)?.descriptor.capabilities.contains(.posts) == true }
                .map(\.id.value)
            result.append(
                kind(
                    "\(what()) goes to channel '\(channel.value)', but its plugin '\(config.plugin.value)' delivers only to a person's address",
                    at: channel.location,
                    hint: able.isEmpty
                        ? "use a channel whose plugin posts to a room, page or queue (e.g. slack, webhook, statuspage, ticket, exec), or notify people instead"
                        : "post to one of: \(able.joined(separator: ", ")), or notify people through '\(channel.value)' instead"))
        }
        for labels in context.policyLabels {
            let policy = labels.policy
            for (label, step) in labels.steps {
                for post in step.posts where post.route == nil { check(post.channel, "a post of \(label)") }
            }
            for stage in policy.stages where stage.route == nil { check(stage.channel, "stage '\(stage.id.value)' of policy '\(policy.id.value)'") }
            for action in policy.actions { check(action.channel, "action '\(action.id.value)' of policy '\(policy.id.value)'") }
        }
        // A channel route's rows are posted to: each must be able to post.
        for route in organisation.routes {
            for (row, channel) in route.labelledChannels { check(channel, "row \(row) of route '\(route.id.value)'") }
        }
        return result
    }
}
