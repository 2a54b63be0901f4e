package io.tocsin.sweep;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.redelivery.Redelivery;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.SmtpServer;

/** Without a PagerDuty API key, escalations and given-up pages reach people by email, through a real SMTP server. */
@QuarkusTest
@TestProfile(EmailEscalationTest.NoApiKey.class)
class EmailEscalationTest {

    public static class NoApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pagerduty.api-key", "", "alert.summary-email.recipients", "sre@example.com, lead@example.com",
                    "tocsin.delivery.max-attempts", "4");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EscalationSweep sweep;
    @Inject
    Redelivery redelivery;
    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    @BeforeEach
    void reset() throws Exception {
        PagerDutyFake.reset();
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();
    }

    private String incident(String title) {
        ObjectNode alert = JSON.createObjectNode().put("severity", "critical").put("title", title)
                .put("source", "mail-" + UUID.randomUUID()).put("description", "checkout returns 502");
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
    }

    @Test
    void anEscalationIsEmailedToTheRecipients() throws Exception {
        clock.set(Instant.parse("2027-09-01T10:00:00Z"));
        String id = incident("Checkout down");
        clock.advance(Duration.ofMinutes(15));
        assertTrue(sweep.run(clock.instant()).contains(id));
        MimeMessage[] received = SmtpServer.greenMail().getReceivedMessages();
        MimeMessage mail = Arrays.stream(received).filter(m -> subject(m).contains("Checkout down")).findFirst()
                .orElseThrow(() -> new AssertionError("no escalation email"));
        assertEquals("[Tocsin] Escalated to level 2: Checkout down", subject(mail));
        assertEquals(List.of("sre@example.com", "lead@example.com"), Arrays.stream(mail.getRecipients(Message.RecipientType.TO))
                .map(Object::toString).toList());
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains(id) && body.contains("level 2"), body);
        assertTrue(PagerDutyFake.escalations().isEmpty(), "no REST call without an API key");
        var timeline = incidents.findAsStored(id).orElseThrow().timeline();
        assertTrue(timeline.get(timeline.size() - 1).detail().startsWith("emailed sre@example.com"));
    }

    @Test
    void aTitleWithLineBreaksAndBidiControlsGetsItsEscalationEmailedUnderASafeSubject() throws Exception {
        clock.set(Instant.parse("2027-09-03T10:00:00Z"));
        // a title that would forge a header (and, in a log line, a second line) and display reversed
        String id = incident("DB down\r\nBcc: victim@example.com\n\u202Egnp.exe\u202C now");
        clock.advance(Duration.ofMinutes(15));
        assertTrue(sweep.run(clock.instant()).contains(id));
        MimeMessage mail = Arrays.stream(SmtpServer.greenMail().getReceivedMessages())
                .filter(m -> subject(m).contains("DB down")).findFirst()
                .orElseThrow(() -> new AssertionError("no escalation email: " + SmtpServer.subjects()));
        assertEquals("[Tocsin] Escalated to level 2: DB down Bcc: victim@example.com gnp.exe now", subject(mail));
        assertEquals(null, mail.getHeader("Bcc"));
        assertEquals(List.of("sre@example.com", "lead@example.com"), Arrays.stream(mail.getAllRecipients())
                .map(Object::toString).toList());
        var timeline = incidents.findAsStored(id).orElseThrow().timeline();
        assertTrue(timeline.get(timeline.size() - 1).detail().startsWith("emailed sre@example.com"));
        // the title itself keeps what was sent
        assertTrue(incidents.findAsStored(id).orElseThrow().alert().title().contains("\r\nBcc"));
    }

    @Test
    void aPageThatCannotBeDeliveredIsEmailedAsAFallback() throws Exception {
        clock.set(Instant.parse("2027-09-02T10:00:00Z"));
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(500)));
        String id = incident("Payments down");
        for (int i = 0; i < 10 && incidents.findAsStored(id).orElseThrow().delivery().state() == DeliveryState.PENDING; i++) {
            clock.advance(Duration.ofMinutes(31));
            redelivery.run(clock.instant());
        }
        assertEquals(DeliveryState.FAILED, incidents.findAsStored(id).orElseThrow().delivery().state());
        MimeMessage mail = Arrays.stream(SmtpServer.greenMail().getReceivedMessages())
                .filter(m -> subject(m).equals("[Tocsin] PagerDuty could not be paged: Payments down")).findFirst()
                .orElseThrow(() -> new AssertionError("no fallback email"));
        assertTrue(GreenMailUtil.getBody(mail).contains("after 4 attempts"), GreenMailUtil.getBody(mail));
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
