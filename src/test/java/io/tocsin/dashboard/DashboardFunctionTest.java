package io.tocsin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;

/** The dashboard function's two forms of call, its 400s, and escaping of what alerts put on the page. */
@QuarkusTest
class DashboardFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DashboardFunction function;
    @Inject
    IngestPipeline pipeline;
    @Inject
    MutableClock clock;

    @Test
    void directCallAnswersTheHtmlInJson() {
        JsonNode answer = function.dashboard(null);
        assertTrue(answer.path("html").asText().startsWith("<!DOCTYPE html>"), answer.toString());
        assertTrue(answer.path("html").asText().contains("id=\"mtta-chart\""));
    }

    @jakarta.inject.Inject
    io.tocsin.incident.IncidentStore incidents;
    @jakarta.inject.Inject
    io.tocsin.oncall.store.OnCallStore onCall;

    @Test
    void theOnCallSlotShowsEachScheduleOnceAnOnCallDocumentIsApplied() throws Exception {
        String empty = function.dashboard(null).path("html").asText();
        assertTrue(empty.contains("id=\"on-call-note\">On-call schedules: not configured."), "no schedule yet");
        var document = io.tocsin.oncall.document.DocumentReader.read(JSON.readTree(
                io.tocsin.support.Projects.root().resolve("src/test/resources/oncall/example.json").toFile()));
        try {
            onCall.apply(document, true);
            String html = function.dashboard(null).path("html").asText();
            assertTrue(html.contains("<table id=\"on-call-table\""), "a row per schedule");
            assertFalse(html.contains("not configured"));
            String name = document.people().stream().filter(p -> p.id().equals(
                    io.tocsin.oncall.ScheduleResolver.onCallAt(document.schedules().get(0), clock.instant())
                            .orElseThrow())).findFirst().orElseThrow().name();
            assertTrue(html.contains("<span class=\"card-label\">now </span>" + name), name);
        } finally {
            onCall.apply(io.tocsin.oncall.document.OnCallDocument.EMPTY, true); // the other tests' sweeps see none
        }
    }

    @Test
    void aPageViewReadsOnlyThroughTheIndexes() {
        var measured = io.tocsin.store.DynamoRequestMeter.measure(() -> function.dashboard(null));
        var requests = measured.requests();
        System.out.printf("Dashboard page view: %s, %d items evaluated%n", requests, measured.itemsScanned());
        assertTrue(requests.getOrDefault("GetItem", 0) >= 1, "the rollups' state: " + requests);
        assertTrue(java.util.Set.of("Query", "GetItem", "BatchGetItem").containsAll(requests.keySet()),
                "Queries, the rollups' state and the dedup claims of open incidents (DuplicateFold): " + requests);
        // the claims of open or not yet folded incidents (DuplicateFold): a GetItem for a list with one of them, else
        // one BatchGetItem per 100, for the window's list, the open list and the closures not in the rollups yet
        int claimReads = requests.getOrDefault("BatchGetItem", 0) + requests.get("GetItem") - 1;
        assertTrue(claimReads <= 3 * (1 + incidents.open().size() / 100), "claim reads: " + requests);
        // at most: the figures the old way (one Query per day of the 14-day window: this shared table's rollups may
        // not be current for this test's clock), one page of the history (a Query per day until a page is full), the
        // open index, the heartbeats' partition, the on-call partition. With rollups (RollupsTest) the figures are 2
        // Queries, not 14.
        assertTrue(requests.get("Query") <= 2 * DashboardPage.WINDOW_DAYS + 3, "requests of one page view: " + requests);
    }

    @Test
    void badFiltersNameTheirFields() {
        JsonNode direct = function.dashboard(JSON.createObjectNode().put("severity", "urgent").put("source", 5));
        assertEquals("invalid_request", direct.path("error").asText(), direct.toString());
        java.util.Set<String> fields = new java.util.TreeSet<>();
        direct.path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertEquals(java.util.Set.of("severity", "source"), fields, "every problem at once: " + direct);

        ObjectNode event = HttpEvents.request("GET", "/dashboard", Map.of(), Map.of(), null);
        event.putObject("queryStringParameters").put("status", "triggered,closed");
        JsonNode proxy = function.dashboard(event);
        assertEquals(400, proxy.path("statusCode").asInt());
        assertEquals("text/html; charset=utf-8", proxy.path("headers").path("content-type").asText());
        assertTrue(proxy.path("body").asText().contains("<li data-field=\"status\"><code>status</code>: "
                + "&#39;closed&#39; is not one of"), proxy.path("body").asText());
    }

    /** The CloudWatch console's custom widget event (events/): the widget's parameters are at the top level. */
    private static ObjectNode widgetEvent() throws Exception {
        return (ObjectNode) JSON.readTree(java.nio.file.Files.readString(io.tocsin.support.Projects.root()
                .resolve("events/dashboard/cloudwatch-custom-widget.json")));
    }

    @Test
    void aCustomWidgetGetsThePageAsAString() throws Exception {
        String source = "widget-" + java.util.UUID.randomUUID();
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "Widget check")
                .put("source", source);
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 200)).incidentId();

        ObjectNode event = widgetEvent().put("source", source).put("severity", "high");
        ((ObjectNode) event.path("widgetContext").path("params")).put("source", source).put("severity", "high");
        JsonNode answer = function.dashboard(event);
        assertTrue(answer.isTextual(), "the console renders a string of HTML: " + answer.getNodeType());
        String html = answer.asText();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<tr data-id=\"" + id + "\""), "the widget's filters select the incident: " + html);
        assertFalse(html.contains("<script"), "the console strips scripts; the page has none");
        assertFalse(html.contains("<form"), "a form cannot reload a widget: its filters are the widget's parameters");
        assertTrue(html.contains("id=\"widget-filters\"") && html.contains("(filtered now)"),
                "the page says where the widget's filters are set, and that they apply: " + html);
        assertTrue(function.dashboard(null).path("html").asText().contains("<form class=\"filters\""),
                "the page anywhere else keeps its filter form");

        JsonNode bad = function.dashboard(widgetEvent().put("status", "closed"));
        assertTrue(bad.isTextual() && bad.asText().contains("<li data-field=\"status\">"),
                "a bad widget parameter is the error page, naming it: " + bad);
    }

    @Test
    void emptyParametersMeanAnyAsTheFormSendsThem() {
        ObjectNode event = HttpEvents.request("GET", "/dashboard", Map.of(), Map.of(), null);
        event.putObject("queryStringParameters").put("severity", "").put("status", "").put("source", "");
        assertEquals(200, function.dashboard(event).path("statusCode").asInt());
    }

    @Test
    void whatAlertsSayIsEscaped() {
        clock.set(Instant.parse("2036-01-10T10:00:00Z"));
        String source = "evil\"><img src=x onerror=alert(1)>";
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("source", source)
                .put("title", "<script>alert('title')</script>");
        assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 200));
        String html = function.dashboard(JSON.createObjectNode()).path("html").asText();
        assertFalse(html.contains("<script") || html.contains("<img"), "markup from an alert reached the page");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"), html);
        assertTrue(html.contains("data-source=\"evil&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""), html);
    }
}
