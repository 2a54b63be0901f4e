package io.tocsin.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tocsin.support.Projects;

/**
 * The README and the pages of {@code docs/} (and BENCHMARKS.md) link only to files that exist and to headings those
 * files have; the README stays a short entry page that keeps the two commands and links every page of docs/.
 */
class DocLinksTest {

    private static final int README_MAX_LINES = 250;

    private static List<Path> documents() throws IOException {
        Path root = Projects.root();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("BENCHMARKS.md")));
        files.addAll(pages());
        return files;
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> pages = Files.list(Projects.root().resolve("docs"))) {
            return pages.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
    }

    @Test
    void everyRelativeLinkPointsToAnExistingFileAndHeading() throws IOException {
        List<Path> files = documents();
        assertTrue(files.size() > 10, "README, BENCHMARKS and the docs pages: " + files);
        List<DocLinks.Problem> problems = DocLinks.check(files);
        assertEquals(List.of(), problems.stream().map(Object::toString).toList(), "broken links");
    }

    @Test
    void theCheckFindsAPlantedBrokenLink(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/page.md"), """
                # Real heading

                ## Real heading

                ## PagerDuty → Tocsin: the `repeat_due_ms` claim

                [back](../README.md#entry) [same page](#real-heading-1) [arrow](#pagerduty--tocsin-the-repeat_due_ms-claim)
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("README.md"), """
                # Entry

                [fine](docs/page.md#real-heading) [a folder](docs) [web](https://example.com/missing.md)
                [missing file](docs/missing.md) and ![missing image](docs/missing.png)
                [missing anchor](docs/page.md#no-such-heading) [missing here](#nowhere)
                [third duplicate](docs/page.md#real-heading-2)

                ```sh
                [inside a fence](docs/ignored.md)
                ```
                `[inside a code span](docs/ignored.md)`

                [ref]: docs/gone.md
                """, StandardCharsets.UTF_8);

        List<DocLinks.Problem> problems = DocLinks.check(List.of(dir.resolve("README.md"), dir.resolve("docs/page.md")));

        assertEquals(List.of("4 docs/missing.md", "4 docs/missing.png", "5 docs/page.md#no-such-heading", "5 #nowhere",
                "6 docs/page.md#real-heading-2", "13 docs/gone.md"),
                problems.stream().map(p -> p.line() + " " + p.link()).toList(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.file().equals(dir.resolve("README.md"))), problems.toString());
    }

    @Test
    void slugsFollowGitHubsRules() {
        assertEquals("cold-start-the-lambda-runtime", DocLinks.slug("Cold start: the Lambda runtime"));
        assertEquals("pagerduty--tocsin-the-webhook-subscription", DocLinks.slug("PagerDuty → Tocsin: the webhook subscription"));
        assertEquals("dedup-claims-count-the-duplicates-claim-format-with-repeat_due_ms",
                DocLinks.slug("Dedup claims count the duplicates (claim format with `repeat_due_ms`)"));
        assertEquals("guarantees-every-outward-effect-durable-ordered-confirmed",
                DocLinks.slug("Guarantees: every outward effect durable, ordered, confirmed"));
        assertEquals(Set.of("a", "a-1", "a-2", "b"), new TreeSet<>(DocLinks.anchors("# A\n## A\n```\n# B\n```\n### A\n# B\n")));
    }

    @Test
    void theReadmeIsShortKeepsTheTwoCommandsAndMapsEveryPage() throws IOException {
        String readme = Files.readString(Projects.root().resolve("README.md"), StandardCharsets.UTF_8);
        long lines = readme.lines().count();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; at most " + README_MAX_LINES);
        assertTrue(readme.contains("```sh\nQUARKUS_PROFILE=local ./mvnw -Dlocal -Dmaven.test.skip=true package quarkus:run\n```"),
                "the local run, as it is");
        assertTrue(readme.contains("```sh\n./mvnw verify\n```"), "the test command, as it is");
        List<String> unmapped = pages().stream().map(p -> "docs/" + p.getFileName())
                .filter(page -> !readme.contains("](" + page + ")")).toList();
        assertEquals(List.of(), unmapped, "docs pages the README's map does not link");
    }
}
