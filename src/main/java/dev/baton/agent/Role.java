package dev.baton.agent;

public enum Role {
    OWNER, MANAGER, AGENT;

    /** Owners and managers supervise: they see every chat, monitor, take over and transfer any chat. */
    public boolean supervises() {
        return this != AGENT;
    }
}
