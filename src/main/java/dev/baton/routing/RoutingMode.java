package dev.baton.routing;

/** How waiting chats find an agent (PRODUCT.md "Routing settings"). */
public enum RoutingMode {
    /** Chats wait in the queue until someone takes them. */
    MANUAL,
    /** The eligible agent assigned least recently. */
    ROUND_ROBIN,
    /** The eligible agent holding the fewest chats, then the one assigned least recently. */
    LEAST_LOADED
}
