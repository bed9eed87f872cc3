package dev.baton.realtime;

/** Who an outbox event is for; resolved against the sockets each instance holds. */
public enum Audience {
    /** One agent's inbox sockets ({@code agent_id}). */
    AGENT,
    /** Every active staff member's inbox in the workspace. */
    STAFF,
    /** Inbox sockets of OWNERs and MANAGERs of the workspace. */
    SUPERVISORS,
    /** Monitor sockets watching the chat. */
    MONITORS,
    /** Not sent: tells every instance to close the agent's sockets (deactivation, role change). */
    CONTROL
}
