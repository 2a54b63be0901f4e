package io.tocsin.notify;

import java.util.regex.Pattern;

/** Text that goes into single-line places (email subjects, log lines): control characters cannot break out of it. */
public final class Texts {

    /** CR, LF and every other control or line/paragraph separator character. */
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");

    private Texts() {
    }

    /** {@code text} on one line: each run of control characters becomes one space, so words stay apart. */
    public static String singleLine(String text) {
        return text == null ? "" : BREAKS.matcher(text).replaceAll(" ").strip();
    }
}
