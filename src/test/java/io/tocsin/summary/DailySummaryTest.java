package io.tocsin.summary;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.sweep.EscalationSweep;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.maintenance.MaintenancePolicy;
import io.tocsin.maintenance.MaintenanceStore;
import io.tocsin.maintenance.MaintenanceWindow;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;
import io.tocsin.support.SmtpServer;

/**
 * The daily summary end to end: incidents made through the real ingest pipeline, lifecycle and sweep with a moved
 * clock, the function invoked through the Lambda path, and the email read back from a real SMTP server (GreenMail):
 * both parts parsed and every figure checked against the hand-computed fixture. Then the once-a-day guarantees:
 * a retry sends nothing, the next day sends again, a failed send is retried, a dead invocation's claim is taken over.
 */
@QuarkusTest
@TestProfile(DailySummaryTest.SummaryOn.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DailySummaryTest {

    public static class SummaryOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "daily-summary",
                    "alert.summary-email.enabled", "true",
                    "alert.summary-email.recipients", "sre@example.com, lead@example.com",
                    "alert.summary-email.time", "08:00",
                    // 08:00 in Paris is 06:00 UTC in summer (CEST, UTC+2)
                    "tocsin.summary.zone", "Europe/Paris",
                    "tocsin.dashboard-url", "https://tocsin.example.com/dashboard");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fixture's day; this profile starts its own application and dynalite, and no other test uses 2031. */
    private static final Instant T0 = Instant.parse("2031-06-10T09:00:00Z");
    /** The summary of 2031-06-11 is due at 08:00 Paris time = 06:00 UTC and covers the 24 hours before. */
    private static final Instant DUE = Instant.parse("2031-06-11T06:00:00Z");
    private static final String DASHBOARD = "https://tocsin.example.com/dashboard";

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    EscalationSweep sweep;
    @Inject
    MaintenanceStore maintenance;
    @Inject
    MaintenancePolicy maintenancePolicy;
    @Inject
    DailySummary summary;
    @Inject
    SummaryLedger ledger;
    @Inject
    MutableClock clock;

    @BeforeEach
    void reset() throws Exception {
        PagerDutyFake.reset();
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();
    }

    private IngestResult alert(String severity, String source, String title, String dedupKey) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", title).put("source", source)
                .put("dedup_key", dedupKey);
        return pipeline.ingest(alert, 200);
    }

    /** An incident created at {@code at}: acknowledged and resolved the given minutes later (null: never). */
    private String incident(Instant at, String severity, String source, String title, Integer ackMinutes,
            Integer resolveMinutes) {
        clock.set(at);
        String id = assertInstanceOf(IngestResult.Created.class, alert(severity, source, title, "k-" + title))
                .incidentId();
        if (ackMinutes != null) {
            clock.set(at.plus(Duration.ofMinutes(ackMinutes)));
            assertInstanceOf(io.tocsin.incident.Transition.Applied.class, lifecycle.acknowledge(id, "alice"));
        }
        if (resolveMinutes != null) {
            clock.set(at.plus(Duration.ofMinutes(resolveMinutes)));
            assertInstanceOf(io.tocsin.incident.Transition.Applied.class,
                    lifecycle.resolve(id, "fixed", "alice"));
        }
        return id;
    }

    private static JsonNode invokeThroughLambda() throws Exception {
        String event = Files.readString(Projects.root().resolve("events/daily-summary/scheduled-event.json"));
        String answer = given().contentType("application/json").accept("application/json").body(event)
                .when().post().then().statusCode(200).extract().asString();
        return JSON.readTree(answer);
    }

    @Test
    @Order(1)
    void theSummaryIsMailedOnceADayWithTheFiguresOfTheLast24Hours() throws Exception {
        // Before the window (05:59 UTC on the 10th): must not count.
        incident(Instant.parse("2031-06-10T05:59:00Z"), "critical", "sum-api", "Before the window", 1, 2);
        // Times to acknowledge 2, 4, 10, 8 (resolved without acknowledgment), 20 minutes;
        // times to resolve 30, 60, 20, 8, 50 minutes.
        String checkout = incident(T0, "critical", "sum-api", "Checkout down", null, null);
        clock.set(T0.plusSeconds(60)); // a repeat while it is open: counted on it
        var duplicate = assertInstanceOf(IngestResult.Suppressed.class,
                alert("critical", "sum-api", "Checkout down", "k-Checkout down"));
        assertEquals(checkout, duplicate.incidentId());
        clock.set(T0.plus(Duration.ofMinutes(2)));
        assertInstanceOf(io.tocsin.incident.Transition.Applied.class, lifecycle.acknowledge(checkout, "alice"));
        clock.set(T0.plus(Duration.ofMinutes(30)));
        assertInstanceOf(io.tocsin.incident.Transition.Applied.class, lifecycle.resolve(checkout, "fixed", "alice"));
        incident(T0.plus(Duration.ofHours(1)), "high", "sum-api", "Latency", 4, 60);
        incident(T0.plus(Duration.ofHours(2)), "medium", "sum-db", "Slow queries", 10, 20);
        incident(T0.plus(Duration.ofHours(3)), "low", "sum-db", "Vacuum late", null, 8);
        // A critical incident nobody takes for 15 minutes escalates (sweep), then is taken at 20 and resolved at 50.
        Instant paymentsAt = T0.plus(Duration.ofHours(4));
        String payments = incident(paymentsAt, "critical", "sum-api", "Payments down", null, null);
        clock.set(paymentsAt.plus(Duration.ofMinutes(15)));
        assertEquals(List.of(payments), sweep.run(clock.instant()));
        clock.set(paymentsAt.plus(Duration.ofMinutes(20)));
        lifecycle.acknowledge(payments, "bob");
        clock.set(paymentsAt.plus(Duration.ofMinutes(50)));
        lifecycle.resolve(payments, "failed over", "bob");
        // Left open: created 14:00 UTC on the 10th, 16 hours old when the summary is made.
        String disk = incident(T0.plus(Duration.ofHours(5)), "high", "sum-db", "Disk filling", null, null);
        // One alert inside a maintenance window of its source.
        clock.set(T0.plus(Duration.ofHours(6)));
        maintenance.create(new MaintenanceWindow("w-summary", clock.instant(), clock.instant().plus(Duration.ofHours(1)),
                "db upgrade", "carol", Set.of("sum-maint"), Set.of()), clock.instant());
        maintenancePolicy.invalidate();
        clock.set(T0.plus(Duration.ofMinutes(6 * 60 + 30)));
        assertInstanceOf(IngestResult.Suppressed.class, alert("high", "sum-maint", "Replica lag", "maint-1"));

        clock.set(DUE);
        JsonNode answer = invokeThroughLambda();
        assertTrue(answer.path("sent").asBoolean(), answer.toString());
        assertEquals("2031-06-11", answer.path("date").asText());
        assertEquals("2031-06-10T06:00:00Z", answer.path("from").asText());
        assertEquals("2031-06-11T06:00:00Z", answer.path("to").asText());

        MimeMessage[] received = inbox();
        assertEquals(1, received.length);
        MimeMessage mail = received[0];
        assertEquals("Daily Alert Summary - 2031-06-11", mail.getSubject());
        assertEquals(List.of("sre@example.com", "lead@example.com"),
                Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList());
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        String text = part(parts, "text/plain");
        String html = part(parts, "text/html");

        // ---- the plain-text part, line by line
        String health = "Health: DEGRADED — 1 incident unresolved; 1 incident escalated; MTTA p90 20 min is above 15 min";
        assertEquals(health, line(text, "Health: .*"));
        assertTrue(line(text, "Rule: .*").startsWith("Rule: CRITICAL when a critical incident is unresolved for longer"
                + " than ALERT_ESCALATION_TIMEOUT (15 min)"), text);
        assertEquals("2031-06-10 08:00 to 2031-06-11 08:00 (Europe/Paris)", line(text, "2031-06-10 .*"));
        // 6 incidents, 1 duplicate, 1 in maintenance; the incident before the window is not counted
        assertEquals(List.of("8", "6", "2"), groups(text, "^Total alerts: (\\d+) \\((\\d+) incidents, (\\d+) suppressed\\)$"));
        assertEquals("By severity: critical 2, high 2, medium 1, low 1", line(text, "By severity: .*"));
        // MTTA over 2, 4, 8, 10, 20: mean 44/5 = 8.8, p50 (rank 3) 8, p90 (rank 5) 20
        assertEquals(List.of("8.8", "8", "20", "5"),
                groups(text, "^MTTA: mean ([\\d.]+) min, p50 ([\\d.]+) min, p90 ([\\d.]+) min \\((\\d+) incidents\\)$"));
        // MTTR over 8, 20, 30, 50, 60: mean 168/5 = 33.6, p50 30, p90 60
        assertEquals(List.of("33.6", "30", "60", "5"),
                groups(text, "^MTTR: mean ([\\d.]+) min, p50 ([\\d.]+) min, p90 ([\\d.]+) min \\((\\d+) incidents\\)$"));
        assertEquals("Top sources: sum-api 3, sum-db 3", line(text, "Top sources: .*"));
        assertEquals("Suppressed: duplicates 1, during maintenance 1", line(text, "Suppressed: .*"));
        assertEquals("Escalations: incidents escalated 1, levels raised 1", line(text, "Escalations: .*"));
        assertEquals("Failed pages: 0", line(text, "Failed pages: .*"));
        assertEquals("Unresolved incidents: 1", line(text, "Unresolved incidents: .*"));
        assertEquals("Sent by Tocsin at 2031-06-11 08:00 (Europe/Paris).", line(text, "Sent by .*"));
        assertEquals("- [high] Disk filling | source sum-db | triggered | open 16 h 00 min | " + DASHBOARD
                + "?incident=" + disk, line(text, "- \\[.*"));

        // ---- the HTML part, cell by cell
        assertEquals(health, cell(html, "p", "health"));
        assertEquals("8", cell(html, "td", "total-alerts"));
        assertEquals("6", cell(html, "td", "incidents"));
        assertEquals("2", cell(html, "td", "severity-critical"));
        assertEquals("2", cell(html, "td", "severity-high"));
        assertEquals("1", cell(html, "td", "severity-medium"));
        assertEquals("1", cell(html, "td", "severity-low"));
        assertEquals("8.8 / 8 / 20", cell(html, "td", "mtta"));
        assertEquals("33.6 / 30 / 60", cell(html, "td", "mttr"));
        assertEquals("1", cell(html, "td", "suppressed-duplicate"));
        assertEquals("1", cell(html, "td", "suppressed-maintenance"));
        assertEquals("1", cell(html, "td", "escalated"));
        assertEquals("1", cell(html, "td", "levels-raised"));
        assertEquals("0", cell(html, "td", "failed-pages"));
        assertTrue(html.contains("<tr><td>sum-api</td><td>3</td></tr>") && html.contains("<tr><td>sum-db</td><td>3</td></tr>"),
                html);
        assertTrue(html.contains("<tr><td><a href=\"" + DASHBOARD + "?incident=" + disk + "\">" + disk
                + "</a></td><td>high</td><td>triggered</td><td>Disk filling</td><td>sum-db</td><td>16 h 00 min</td></tr>"),
                html);
        assertFalse(html.contains("Before the window") || text.contains("Before the window"));

        // ---- a retry of the same day sends nothing
        clock.set(DUE.plus(Duration.ofMinutes(3)));
        JsonNode retry = invokeThroughLambda();
        assertFalse(retry.path("sent").asBoolean(), retry.toString());
        assertEquals("already sent at 2031-06-11T06:00:00Z", retry.path("reason").asText());
        assertEquals(1, inbox().length);

        // ---- the next day: a new email, over a window with no new incident, still listing the open one
        clock.set(DUE.plus(Duration.ofDays(1)));
        JsonNode next = invokeThroughLambda();
        assertTrue(next.path("sent").asBoolean(), next.toString());
        received = inbox();
        assertEquals(2, received.length);
        assertEquals("Daily Alert Summary - 2031-06-12", received[1].getSubject());
        String nextText = part((MimeMultipart) received[1].getContent(), "text/plain");
        assertEquals(List.of("0", "0", "0"), groups(nextText, "^Total alerts: (\\d+) \\((\\d+) incidents, (\\d+) suppressed\\)$"));
        assertEquals("MTTA: n/a (no incidents)", line(nextText, "MTTA: .*"));
        assertEquals("Health: DEGRADED — 1 incident unresolved", line(nextText, "Health: .*"));
        assertTrue(line(nextText, "- \\[.*").contains("| open 1 d 16 h |"), nextText);
    }

    @Inject
    @io.quarkus.qute.Location("summary/daily.html")
    io.quarkus.qute.Template htmlTemplate;
    @Inject
    @io.quarkus.qute.Location("summary/daily.txt")
    io.quarkus.qute.Template textTemplate;

    @Test
    @Order(3)
    void withoutADashboardUrlIncidentsAreNamedNotLinkedAndTextIsEscapedInHtml() {
        var open = new SummaryReport.Unresolved("inc-1", "critical", "triggered", "<script>alert(1)</script> & co",
                "api", DUE.minus(Duration.ofMinutes(75)), Duration.ofMinutes(75), null);
        var stats = new SummaryReport.Stats(0, null, null, null);
        SummaryReport report = new SummaryReport(LocalDate.parse("2031-06-11"), java.time.ZoneId.of("UTC"),
                DUE.minus(Duration.ofDays(1)), DUE, DUE, 1, List.of(new SummaryReport.Count("critical", 1)), stats,
                stats, List.of(new SummaryReport.Count("api", 1)), 0, 0, 0, 0, 0, List.of(open), 51,
                new HealthRule(Duration.ofMinutes(15)).evaluate(new HealthRule.Inputs(List.of(), 0, 0, null, DUE)),
                "the rule");
        String text = textTemplate.data("report", report).render();
        assertTrue(text.contains("- [critical] <script>alert(1)</script> & co | source api | triggered | open 1 h 15 min"
                + " | incident inc-1\n"), text);
        assertTrue(text.contains("\n... and 50 more\n"), text);
        String html = htmlTemplate.data("report", report).render();
        assertFalse(html.contains("<a href"), html);
        assertTrue(html.contains("<tr><td>inc-1</td><td>critical</td><td>triggered</td><td>&lt;script&gt;alert(1)"
                + "&lt;/script&gt; &amp; co</td><td>api</td><td>1 h 15 min</td></tr>"), html);
        assertTrue(html.contains("… and 50 more."), html);
    }

    /** Last: it stops and restarts the SMTP server. */
    @Test
    @Order(4)
    void aFailedSendReleasesTheDayAndFailsTheInvocationSoTheRetrySends() throws Exception {
        clock.set(Instant.parse("2031-08-20T06:30:00Z"));
        SmtpServer.greenMail().stop();
        try {
            var error = assertThrows(SummaryRetryException.class, () -> summary.run(clock.instant()));
            assertTrue(error.getMessage().startsWith("the summary of 2031-08-20 could not be sent"), error.getMessage());
        } finally {
            SmtpServer.greenMail().start();
        }
        assertEquals(0, inbox().length);
        // The retry, at once (no lease to wait for): sent, once.
        clock.set(Instant.parse("2031-08-20T06:31:00Z"));
        DailySummary.Result retried = summary.run(clock.instant());
        assertTrue(retried.sent());
        assertEquals(LocalDate.parse("2031-08-20"), retried.date());
        assertEquals(1, inbox().length);
        assertEquals("Daily Alert Summary - 2031-08-20", inbox()[0].getSubject());
        assertFalse(summary.run(clock.instant()).sent());
        assertEquals(1, inbox().length);
    }

    @Test
    @Order(2)
    void aLiveClaimIsLeftAloneAndADeadOneIsTakenOver() {
        LocalDate day = LocalDate.parse("2031-09-01");
        Instant claimedAt = Instant.parse("2031-09-01T06:00:00Z");
        // An invocation claimed the day, then died without sending.
        assertInstanceOf(SummaryLedger.Claim.Claimed.class,
                ledger.claim(day, "dead-invocation", claimedAt, claimedAt.plus(DailySummary.LEASE)));

        clock.set(claimedAt.plusSeconds(30));
        var held = assertThrows(SummaryRetryException.class, () -> summary.run(clock.instant()));
        assertTrue(held.getMessage().contains("being sent by another invocation"), held.getMessage());
        assertEquals(0, inbox().length);

        clock.set(claimedAt.plus(DailySummary.LEASE).plusSeconds(1));
        assertTrue(summary.run(clock.instant()).sent(), "the lease ran out: the retry takes the day over");
        assertEquals(1, inbox().length);
        assertFalse(ledger.sent(day, "dead-invocation", clock.instant(), List.of(), "late", ""),
                "the dead invocation's claim is no longer its own");
        DailySummary.Result again = summary.run(clock.instant().plusSeconds(60));
        assertFalse(again.sent());
        assertTrue(again.reason().startsWith("already sent at 2031-09-01T06:01:31Z"), again.reason());
    }

    /**
     * The emails received, once each: GreenMail keeps a copy per recipient, so copies are grouped by Message-ID and
     * each email must have reached both recipients.
     */
    private static MimeMessage[] inbox() {
        Map<String, List<MimeMessage>> byId = new java.util.LinkedHashMap<>();
        for (MimeMessage copy : SmtpServer.greenMail().getReceivedMessages()) {
            byId.computeIfAbsent(messageId(copy), k -> new java.util.ArrayList<>()).add(copy);
        }
        byId.forEach((id, copies) -> assertEquals(2, copies.size(), "one copy per recipient of " + id));
        return byId.values().stream().map(copies -> copies.get(0)).toArray(MimeMessage[]::new);
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String part(MimeMultipart parts, String type) throws Exception {
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).getContentType().toLowerCase().startsWith(type)) {
                return ((String) parts.getBodyPart(i).getContent()).replace("\r\n", "\n");
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    /** The one line of the text matching the whole pattern. */
    private static String line(String text, String pattern) {
        List<String> lines = text.lines().filter(l -> l.matches(pattern)).toList();
        assertEquals(1, lines.size(), "lines matching " + pattern + " in:\n" + text);
        return lines.get(0);
    }

    private static List<String> groups(String text, String pattern) {
        Matcher m = Pattern.compile(pattern, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), pattern + " not found in:\n" + text);
        List<String> groups = new java.util.ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            groups.add(m.group(i));
        }
        return groups;
    }

    /** The text of the element with this id, e.g. {@code <td id="mtta">8.8 / 8 / 20</td>}. */
    private static String cell(String html, String tag, String id) {
        Matcher m = Pattern.compile("<" + tag + " id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)</" + tag + ">")
                .matcher(html);
        assertTrue(m.find(), id + " not found in:\n" + html);
        return m.group(1);
    }
}
