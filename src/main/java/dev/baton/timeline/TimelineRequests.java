package dev.baton.timeline;

import dev.baton.common.PlainText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public final class TimelineRequests {

    public static final int MAX_TEXT = 4096;

    private TimelineRequests() {
    }

    public record Reply(@NotNull @PlainText(max = MAX_TEXT, multiline = true) String text,
            @Pattern(regexp = "^[A-Za-z0-9_.:-]{1,100}$", message = "must be 1 to 100 letters, digits, '_', '.', ':' or '-'") String clientMessageId) {
    }

    public record NewNote(@NotNull @PlainText(max = MAX_TEXT, multiline = true) String text) {
    }
}
