package io.tocsin.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the relative links of Markdown files as GitHub renders them: the file (or folder) a link names must exist,
 * and its {@code #anchor}, if any, must be a heading of that file. Links and headings inside fenced code blocks and
 * code spans are not links. Absolute links ({@code https:}, {@code mailto:} …) are not checked: there is no internet.
 */
final class DocLinks {

    /** A link that points nowhere: the file and line it is written on, the link, and what is missing. */
    record Problem(Path file, int line, String link, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + link + " — " + reason;
        }
    }

    /** {@code [text](target "title")} and {@code ![alt](target)}; the text may hold one level of brackets. */
    private static final Pattern INLINE_LINK = Pattern.compile(
            "\\[(?:[^\\[\\]]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile(
            "^ {0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private DocLinks() {
    }

    /** Every broken relative link of {@code files}. */
    static List<Problem> check(List<Path> files) {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = prose(read(file));
            for (int i = 0; i < lines.size(); i++) {
                for (String link : links(lines.get(i))) {
                    String reason = broken(file, link, anchors);
                    if (reason != null) {
                        problems.add(new Problem(file, i + 1, link, reason));
                    }
                }
            }
        }
        return problems;
    }

    private static String broken(Path file, String link, Map<Path, Set<String>> anchors) {
        if (SCHEME.matcher(link).find()) {
            return null;
        }
        int hash = link.indexOf('#');
        String path = hash < 0 ? link : link.substring(0, hash);
        String anchor = hash < 0 ? null : link.substring(hash + 1);
        Path target = path.isEmpty() ? file : file.toAbsolutePath().getParent().resolve(decode(path)).normalize();
        if (!Files.exists(target)) {
            return "no such file " + target;
        }
        if (anchor == null) {
            return null;
        }
        if (!target.getFileName().toString().endsWith(".md") || Files.isDirectory(target)) {
            return "an anchor into a file that is not Markdown";
        }
        Set<String> known = anchors.computeIfAbsent(target, t -> anchors(read(t)));
        return known.contains(decode(anchor)) ? null : "no heading #" + anchor + " in " + target.getFileName();
    }

    /** The lines of {@code markdown} with fenced code blocks blanked (kept as empty lines, so line numbers hold). */
    static List<String> prose(String markdown) {
        List<String> out = new ArrayList<>();
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            String trimmed = line.strip();
            if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                fence = trimmed.substring(0, 3);
                out.add("");
            } else if (fence != null) {
                if (trimmed.startsWith(fence)) {
                    fence = null;
                }
                out.add("");
            } else {
                out.add(line);
            }
        }
        return out;
    }

    /** The link targets written on one line of prose (inline links, images, reference definitions). */
    static List<String> links(String line) {
        List<String> found = new ArrayList<>();
        Matcher definition = REFERENCE_DEFINITION.matcher(line);
        if (definition.matches()) {
            found.add(definition.group(1));
            return found;
        }
        Matcher m = INLINE_LINK.matcher(CODE_SPAN.matcher(line).replaceAll("code"));
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The anchors GitHub gives the headings of {@code markdown} (a repeated slug gets -1, -2, …), and HTML anchors. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(markdown)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1));
            }
        }
        return anchors;
    }

    /**
     * GitHub's slug of a heading: its text (code spans and links reduced to their text), lower case, every character
     * that is not a letter, a digit, a space, '-' or '_' dropped, each space made '-' (so "A → B" is "a--b").
     */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
        return text.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                .replace(' ', '-');
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
