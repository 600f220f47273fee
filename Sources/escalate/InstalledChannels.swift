import ConsoleChannel
import EmailChannel
import EscalationChannel
import ExecChannel
import FileChannel
import SMSChannel
import SlackChannel
import StatuspageChannel
import TicketChannel
import VoiceChannel
import WebhookChannel

/// Every built-in channel plugin, in one place (one entry per plugin in Package.swift's `channelPlugins`).
/// Third-party plugins join them at start (`--plugin PATH`, `ESCALATE_PLUGIN_DIR`); see `PluginOptions`.
let installedChannels: [any NotificationChannel.Type] = [
    ConsoleChannel.self,
    FileChannel.self,
    ExecChannel.self,
    WebhookChannel.self,
    SlackChannel.self,
    SMSChannel.self,
    VoiceChannel.self,
    StatuspageChannel.self,
    TicketChannel.self,
    EmailChannel.self,
]
