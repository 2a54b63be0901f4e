package io.tocsin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.Projects;

/**
 * The incident page, the local run's acknowledge and resolve forms ({@link DashboardActions}), the widget's links, and
 * the page's size whatever the number of open incidents (issue 25).
 */
@QuarkusTest
class DashboardIncidentPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DashboardFunction function;
    @Inject
    DashboardPage page;
    @Inject
    DashboardActions actions;
    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    private String raise(String title) {
        clock.set(DashboardOpenListTest.NOW);
        ObjectNode alert = JSON.createObjectNode().put("severity", "critical").put("title", title)
                .put("source", "incident-page-" + java.util.UUID.randomUUID());
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 200)).incidentId();
    }

    private JsonNode get(Map<String, String> query) {
        ObjectNode event = HttpEvents.request("GET", "/dashboard", Map.of(), Map.of(), null);
        ObjectNode params = event.putObject("queryStringParameters");
        query.forEach(params::put);
        return function.dashboard(event);
    }

    @Test
    void theIncidentPageShowsItAndAGetChangesNothing() {
        String id = raise("disk <full> on db-1");
        JsonNode answer = get(Map.of("incident", id));
        assertEquals(200, answer.path("statusCode").asInt());
        String html = answer.path("body").asText();
        assertTrue(html.contains("id=\"incident-title\" class=\"incident-title\" dir=\"auto\">disk &lt;full&gt; on db-1"),
                html);
        assertTrue(html.contains("<li data-type=\"triggered\">"), "the timeline: " + html);
        assertTrue(html.contains("data-channel=\"PagerDuty\""), "the deliveries: " + html);
        assertFalse(html.contains("<form"), "API Gateway's route takes no form: " + html);
        assertTrue(html.contains("/incidents/" + id + "/acknowledge"), "the command instead: " + html);
        assertEquals(IncidentStatus.TRIGGERED, incidents.findWithDuplicates(id).orElseThrow().status());

        assertEquals(404, get(Map.of("incident", "no-such-incident")).path("statusCode").asInt());
        assertEquals(400, get(Map.of("incident", "x".repeat(65))).path("statusCode").asInt());
    }

    @Test
    void theLocalRunsFormsAcknowledgeAndResolveWithNotes() {
        String id = raise("queue backlog");
        String forms = page.render(Map.of("incident", id), DashboardPage.Surface.LOCAL_RUN).html();
        assertTrue(forms.contains("id=\"acknowledge-form\"") && forms.contains("id=\"resolve-form\""), forms);
        assertTrue(forms.contains("name=\"notes\" required"), "resolving needs notes: " + forms);

        DashboardActions.Outcome ack = actions.submit(Map.of("incident", id, "action", "acknowledge", "by", "bob"));
        assertEquals(303, ack.status());
        assertEquals("?incident=" + id + "&done=acknowledged", ack.location());
        Incident acknowledged = incidents.findWithDuplicates(id).orElseThrow();
        assertEquals(IncidentStatus.ACKNOWLEDGED, acknowledged.status());
        assertEquals("bob", acknowledged.acknowledgedBy());
        assertTrue(page.render(Map.of("incident", id, "done", "acknowledged"), DashboardPage.Surface.LOCAL_RUN)
                .html().contains("<p class=\"notice\" role=\"status\" id=\"notice\">Acknowledged.</p>"));

        DashboardActions.Outcome noNotes = actions.submit(Map.of("incident", id, "action", "resolve", "notes", " "));
        assertEquals(400, noNotes.status());
        assertTrue(noNotes.html().contains("data-field=\"notes\""), noNotes.html());
        assertEquals(IncidentStatus.ACKNOWLEDGED, incidents.findWithDuplicates(id).orElseThrow().status(), "nothing changed");

        DashboardActions.Outcome resolved = actions.submit(Map.of("incident", id, "action", "resolve",
                "notes", "drained the queue"));
        assertEquals(303, resolved.status());
        Incident done = incidents.findWithDuplicates(id).orElseThrow();
        assertEquals(IncidentStatus.RESOLVED, done.status());
        assertEquals("drained the queue", done.resolutionNotes());
        assertEquals(DashboardActions.DEFAULT_ACTOR, done.resolvedBy());
        assertEquals(409, actions.submit(Map.of("incident", id, "action", "acknowledge")).status());
        assertEquals(404, actions.submit(Map.of("incident", "nope", "action", "acknowledge")).status());
        assertEquals(400, actions.submit(Map.of("incident", id, "action", "delete")).status());
    }

    @Test
    void theWidgetHasNoRelativeLinks() throws Exception {
        raise("widget row");
        ObjectNode event = (ObjectNode) JSON.readTree(Projects.root()
                .resolve("events/dashboard/cloudwatch-custom-widget.json").toFile());
        String html = function.dashboard(event).asText();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertFalse(html.contains("href=\"?"), "a relative link cannot work in a widget: " + html);
        assertFalse(html.contains("<script") || html.contains("<iframe"), "a widget runs no script");
        assertTrue(html.contains("<div class=\"page\">"), "the sample's console is light: " + html);
        ObjectNode dark = event.deepCopy();
        ((ObjectNode) dark.path("widgetContext")).put("theme", "dark");
        assertTrue(function.dashboard(dark).asText().contains("<div class=\"page theme-dark\">"),
                "the console's dark theme is followed");
        // the widget's links need this function's ARN, known inside Lambda only (DashboardOpenListTest): given one,
        // each row and filter is a <cwdb-action> calling it again, an incident in a popup
        String arn = "arn:aws:lambda:eu-west-1:123456789012:function:tocsin-Dashboard:live";
        String id = raise("widget link");
        String linked = page.render(Map.of("open_source", "incident-page-"), DashboardPage.Surface.widget(arn)).html();
        assertTrue(linked.contains("<cwdb-action action=\"call\" endpoint=\"" + arn + "\" display=\"popup\">"
                + "{&quot;incident&quot;:&quot;" + id + "&quot;}</cwdb-action>"), linked);
        assertTrue(linked.contains("display=\"widget\">{&quot;open_severity&quot;:&quot;critical&quot;,"
                + "&quot;open_source&quot;:&quot;incident-page-&quot;}</cwdb-action>"), linked);
        assertFalse(linked.contains("href=\"?"), linked);
        String incident = function.dashboard(event.put("incident", raise("widget popup"))).asText();
        assertTrue(incident.contains("id=\"incident-title\""), incident);
        assertFalse(incident.contains("<form"), "the widget only reads: " + incident);
    }

    /**
     * Issue 25: "the page's size stays bounded whatever the number of open incidents"; the page at 1,000 open is at
     * most 1.5 times the page at 50. Open incidents with 1,024-character titles and 255-character sources, handed to
     * the page as the {@code open} index would (BENCHMARKS.md "Dashboard page size").
     */
    @Test
    void thePageSizeDoesNotGrowWithTheOpenIncidents() {
        clock.set(DashboardOpenListTest.NOW);
        List<Incident> thousand = DashboardOpenListTest.thousand("s".repeat(250) + "-");
        long at10 = bytes(thousand.subList(0, 10));
        long at50 = bytes(thousand.subList(0, 50));
        long at1000 = bytes(thousand);
        System.out.printf("Dashboard page size: %d bytes at 10 open, %d at 50, %d at 1,000 (%.2fx the size at 50)%n",
                at10, at50, at1000, (double) at1000 / at50);
        assertTrue(at1000 <= 1.5 * at50, at1000 + " bytes at 1,000 open, " + at50 + " at 50");
    }

    private long bytes(List<Incident> open) {
        DashboardView view = page.view(DashboardFilter.NONE, OpenList.Filter.NONE,
                Links.browser(DashboardFilter.NONE), DashboardPage.Surface.BROWSER, open);
        return DashboardTemplates.dashboard(view, false).render().getBytes(StandardCharsets.UTF_8).length;
    }
}
