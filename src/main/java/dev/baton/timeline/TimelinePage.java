package dev.baton.timeline;

import java.util.List;

/** Entries in seq order; {@code next} is the {@code after} value for the following page, null at the end. */
public record TimelinePage(List<EntryView> items, Long next) {
}
