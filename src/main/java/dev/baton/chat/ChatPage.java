package dev.baton.chat;

import java.util.List;

/** A page of chats, newest activity first; pass {@code nextCursor} back as {@code cursor} for the next page. */
public record ChatPage(List<ChatView> items, String nextCursor) {
}
