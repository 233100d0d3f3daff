/** Where alerts go; each value is a secret (`Secret`: the value, or a Pulumi secret of it). */
export interface AlertChannels<Secret> {
    /** Receives a JSON POST per run that found something new or recovered. */
    webhookUrl?: Secret;
    /** The operator's own bot and chat: a Bot API sendMessage per such run. */
    telegram?: { botToken: Secret; chatId: Secret };
}

/**
 * How long a restart loop is looked for. Docker waits twice as long before each restart, at most
 * a minute (moby's restartmanager), so a tenant that keeps crashing restarts about ten times in
 * ten minutes even once its waits are at their longest.
 */
export const restartWindowSeconds = 600;
