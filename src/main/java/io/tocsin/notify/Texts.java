package io.tocsin.notify;

import java.util.regex.Pattern;

/**
 * Text that goes into single-line places (email subjects, log lines, PagerDuty summaries): control characters cannot
 * break out of it, and bidirectional overrides cannot make it read differently from what it is. The words stay: a
 * title {@code "db down\r\nBcc: x"} becomes {@code "db down Bcc: x"}, never a second header or log line.
 */
public final class Texts {

    /** CR, LF and every other control (C0, DEL, C1) or line/paragraph separator character. */
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cntrl}\\u0080-\\u009F\\u2028\\u2029]+");
    /** Control characters other than LF and tab (C0, DEL, C1). */
    private static final Pattern OTHER_CONTROLS = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F\\u0080-\\u009F]");
    /**
     * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the invisible direction
     * marks (U+200E, U+200F, U+061C): the "Trojan Source" characters (CVE-2021-42574) that make a subject or log line
     * display in another order than it is stored.
     */
    private static final Pattern BIDI = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C]");
    /** A surrogate that is not half of a pair: not a character, unencodable in UTF-8 (mail, logs). */
    private static final Pattern LONE_SURROGATE =
            Pattern.compile("[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]");
    /** Email subjects are cut here (RFC 5322 section 2.1.1 asks for lines of at most 78 characters, 998 at most). */
    public static final int MAX_SUBJECT_CHARS = 200;
    /** User-supplied text in a log line is cut here, so one line stays one readable line. */
    public static final int MAX_LOG_VALUE_CHARS = 300;
    /** Marks where text was cut. */
    public static final String CUT_MARKER = "…";

    private Texts() {
    }

    /**
     * {@code text} on one line: each run of control characters becomes one space (so words stay apart), bidi
     * controls are removed, a lone surrogate becomes U+FFFD.
     */
    public static String singleLine(String text) {
        if (text == null) {
            return "";
        }
        String clean = BREAKS.matcher(text).replaceAll(" ");
        clean = BIDI.matcher(clean).replaceAll("");
        clean = LONE_SURROGATE.matcher(clean).replaceAll("\uFFFD");
        return clean.strip();
    }

    /**
     * {@code text} for a multi-line place (an email's plain-text description): line breaks kept as {@code \n}
     * (CR LF and CR become LF, U+2028/U+2029 too), tabs kept, every other control character a space, bidi controls
     * removed, a lone surrogate U+FFFD.
     */
    public static String multiLine(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replace("\r\n", "\n").replaceAll("[\r\u2028\u2029]", "\n");
        clean = OTHER_CONTROLS.matcher(clean).replaceAll(" ");
        clean = BIDI.matcher(clean).replaceAll("");
        return LONE_SURROGATE.matcher(clean).replaceAll("\uFFFD");
    }

    /** An email subject: {@link #singleLine} and at most {@link #MAX_SUBJECT_CHARS} characters. */
    public static String subject(String text) {
        return cut(singleLine(text), MAX_SUBJECT_CHARS);
    }

    /** User-supplied text for a log line: {@link #singleLine} and at most {@link #MAX_LOG_VALUE_CHARS}. */
    public static String log(Object value) {
        return cut(singleLine(String.valueOf(value)), MAX_LOG_VALUE_CHARS);
    }

    /**
     * At most {@code maxChars} UTF-16 units, ending in {@link #CUT_MARKER} when cut; never splits a surrogate pair.
     */
    public static String cut(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - CUT_MARKER.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(0, end)) + CUT_MARKER;
    }
}
