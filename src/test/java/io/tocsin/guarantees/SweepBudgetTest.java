package io.tocsin.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.sweep.SweepFunction;
import io.tocsin.entry.IngestFunction;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.SmtpServer;

/**
 * The sweep works to its budget: with 100 events pending and PagerDuty taking 6 s to answer each (longer than the
 * client's read timeout), one run does the escalations due first, then as much redelivery as fits, and returns before
 * its budget is spent, saying it left work for the next run. (Real elapsed time: the budget is about the Lambda
 * timeout, which the moved clock does not move.)
 */
@QuarkusTest
@TestProfile(SweepBudgetTest.Profile.class)
class SweepBudgetTest {

    static final Duration BUDGET = Duration.ofSeconds(15);
    /** Longer than one PagerDuty attempt here (read timeout 3 s in the test configuration). */
    static final Duration STEP = Duration.ofSeconds(4);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pagerduty.api-key", "", "alert.summary-email.recipients", "oncall@example.com",
                    "tocsin.sweep.budget", BUDGET.toSeconds() + "s", "tocsin.sweep.step-margin", STEP.toSeconds() + "s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IngestFunction ingest;
    @Inject
    SweepFunction sweep;
    @Inject
    MutableClock clock;

    @Test
    void aHundredSlowPagesDoNotDelayTheEscalationsAndTheRunEndsInsideItsBudget() throws Exception {
        clock.set(Instant.parse("2031-06-01T09:00:00Z"));
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(503)));
        for (int i = 0; i < 100; i++) {
            ingest.ingest(JSON.createObjectNode().put("severity", "high").put("title", "slow " + i)
                    .put("source", "budget-" + UUID.randomUUID()));
        }
        List<String> critical = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            critical.add("critical " + i + " " + UUID.randomUUID());
            ingest.ingest(JSON.createObjectNode().put("severity", "critical").put("title", critical.get(i))
                    .put("source", "budget"));
        }
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(202)
                .withFixedDelay(6_000).withBody("{\"status\":\"success\"}")));
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();
        clock.advance(Duration.ofMinutes(15)); // every page due again, and both critical incidents due to escalate

        long started = System.nanoTime();
        JsonNode answer = sweep.sweep(JSON.createObjectNode());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(BUDGET.plus(STEP)) <= 0, "returned inside its budget (+ one step): " + took);
        assertFalse(answer.path("complete").asBoolean(), "and said it left work for the next run: " + answer);
        assertEquals(2, answer.path("escalated").size(), "the escalations due were done first: " + answer);
        List<String> subjects = SmtpServer.subjects();
        for (String title : critical) {
            assertTrue(subjects.contains("[Tocsin] Escalated to level 2: " + title), subjects.toString());
        }
        int attempted = answer.path("redelivery").path("sent").asInt();
        assertTrue(attempted > 0 && attempted < 100, "some redelivery, as much as fitted: " + answer);
        System.out.printf("BENCH sweep-budget took_ms=%d budget_ms=%d escalated=%d redelivery_attempts=%d%n",
                took.toMillis(), BUDGET.toMillis(), answer.path("escalated").size(), attempted);
    }
}
