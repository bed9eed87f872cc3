package dev.baton.agent;

public enum Availability {
    ONLINE, BUSY, OFFLINE
}
