package io.tocsin.alert;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Alert severity, most severe first. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW;

    /** The lower-case form used on the wire and in storage. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive; empty for anything that is not a severity. */
    public static Optional<Severity> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.name().equals(wanted)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Severity::wire).collect(Collectors.joining(", "));
    }
}
