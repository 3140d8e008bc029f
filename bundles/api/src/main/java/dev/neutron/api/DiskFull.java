package dev.neutron.api;

import java.util.List;
import java.util.Locale;

/**
 * Whether a failed file operation failed because the disk (ENOSPC) or the user's quota (EDQUOT) is full, as Linux,
 * macOS and Windows word it, anywhere in its chain of causes. The one home of this rule for every store.
 */
public final class DiskFull {
    private static final List<String> MESSAGES = List.of("no space left on device", "disk quota exceeded",
            "not enough space on the disk", "there is not enough space");
    private static final int MAX_CAUSES = 16;

    private DiskFull() {
    }

    public static boolean causedBy(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (MESSAGES.stream().anyMatch(message::contains)) {
                return true;
            }
        }
        return false;
    }
}
