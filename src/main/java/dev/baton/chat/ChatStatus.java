package dev.baton.chat;

public enum ChatStatus {
    /** No human: a bot or nobody is handling it. */
    OPEN,
    /** Waiting in the queue for a human. */
    REQUESTING,
    /** Held by exactly one agent. */
    INTERVENED,
    /** Closed. */
    RESOLVED
}
