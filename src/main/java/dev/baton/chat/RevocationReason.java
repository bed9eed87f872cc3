package dev.baton.chat;

/** Why a holder lost a chat, as {@code chat.revoked} tells it. */
public enum RevocationReason {
    TAKEN_OVER, TRANSFERRED, RELEASED, RESOLVED, DEACTIVATED, NO_REPLY
}
