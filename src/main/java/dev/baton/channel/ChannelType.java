package dev.baton.channel;

/** The kinds of customer channel; the Part 1 channel tokens remain the generic API channel. */
public enum ChannelType {
    WHATSAPP_CLOUD
}
