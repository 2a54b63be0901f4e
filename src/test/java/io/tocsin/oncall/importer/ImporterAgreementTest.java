package io.tocsin.oncall.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.DocumentWriter;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.policy.TargetKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's importer acceptance: each fixture (src/test/resources/oncall/import, README there cites the vendor
 * documentation) holds the source's rendered final schedule; the imported schedule shows the same person at every
 * 15-minute sample over its 30 days.
 */
class ImporterAgreementTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SAMPLE = Duration.ofMinutes(15);

    static JsonNode fixture(String name) {
        try (InputStream in = ImporterAgreementTest.class.getResourceAsStream("/oncall/import/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Entry(String person, Instant start, Instant end) {
    }

    /** Samples every 15 minutes of [from, to): the source's person against the imported schedule's; mismatches. */
    static List<String> compare(Schedule schedule, List<Entry> source, Instant from, Instant to) {
        List<Shift> shifts = ScheduleResolver.shifts(schedule, from, to);
        List<String> mismatches = new ArrayList<>();
        int samples = 0;
        for (Instant t = from; t.isBefore(to); t = t.plus(SAMPLE)) {
            Instant at = t;
            String expected = source.stream().filter(e -> !at.isBefore(e.start()) && at.isBefore(e.end()))
                    .map(Entry::person).findFirst().orElse(null);
            String actual = shifts.stream().filter(s -> s.contains(at)).map(Shift::person).findFirst().orElse(null);
            samples++;
            if (!Objects.equals(expected, actual)) {
                mismatches.add(at + ": source " + expected + ", Tocsin " + actual);
            }
        }
        System.out.printf("importer agreement: %s: %d samples of 15 minutes, %d mismatches%n", schedule.name(),
                samples, mismatches.size());
        assertEquals(Duration.between(from, to).dividedBy(SAMPLE), samples);
        return mismatches;
    }

    /** The imported document is a valid Tocsin document and exports to the same thing. */
    static OnCallDocument checkDocument(ImportResult result) {
        OnCallDocument again = DocumentReader.read(DocumentWriter.write(result.document()));
        assertEquals(result.document(), again);
        return again;
    }

    @Test
    void pagerDutyAgreesAtEverySampleOverThirtyDaysAcrossADstChange() {
        JsonNode schedule = fixture("pagerduty-schedule.json");
        ImportResult result = PagerDutyImporter.read(schedule,
                List.of(fixture("pagerduty-escalation-policy.json")));
        OnCallDocument doc = checkDocument(result);
        List<Entry> source = new ArrayList<>();
        for (JsonNode e : schedule.path("schedule").path("final_schedule").path("rendered_schedule_entries")) {
            source.add(new Entry(e.path("user").path("id").asText(), OffsetDateTime.parse(e.path("start").asText())
                    .toInstant(), OffsetDateTime.parse(e.path("end").asText()).toInstant()));
        }
        Instant from = source.get(0).start();
        Instant to = source.get(source.size() - 1).end();
        assertEquals(Duration.ofDays(30), Duration.between(from, to));
        assertEquals(List.of(), compare(doc.schedules().get(0), source, from, to));
        // after 8 March the daily handoff stays at 18:00 New York time: 22:00Z (EDT), no longer 23:00Z (EST)
        assertTrue(source.stream().anyMatch(e -> e.start().equals(Instant.parse("2026-03-09T22:00:00Z"))));
        assertTrue(ScheduleResolver.shifts(doc.schedules().get(0), from, to).stream()
                .anyMatch(s -> s.start().equals(Instant.parse("2026-03-09T22:00:00Z"))));
        assertEquals(2, doc.policies().get(0).repeats());
        assertEquals(TargetKind.SCHEDULE, doc.policies().get(0).steps().get(0).targets().get(0).kind());
        assertEquals(Duration.ofMinutes(15), doc.policies().get(0).steps().get(1).delay());
    }

    @Test
    void opsgenieAgreesAtEverySampleOverThirtyDaysAcrossADstChange() {
        ImportResult result = OpsgenieImporter.read(fixture("opsgenie-schedule.json"),
                fixture("opsgenie-overrides.json"));
        OnCallDocument doc = checkDocument(result);
        JsonNode timeline = fixture("opsgenie-timeline.json").path("data");
        List<Entry> source = new ArrayList<>();
        for (JsonNode rotation : timeline.path("finalTimeline").path("rotations")) {
            for (JsonNode p : rotation.path("periods")) {
                source.add(new Entry(p.path("recipient").path("name").asText(),
                        Instant.parse(p.path("startDate").asText()), Instant.parse(p.path("endDate").asText())));
            }
        }
        Instant from = Instant.parse(timeline.path("startDate").asText());
        Instant to = Instant.parse(timeline.path("endDate").asText());
        assertEquals(Duration.ofDays(30), Duration.between(from, to));
        assertEquals(List.of(), compare(doc.schedules().get(0), source, from, to));
        assertEquals("ann@example.com", doc.people().get(0).methods().get(0).address());
        assertEquals(1, doc.schedules().get(0).overrides().size());
        // without the overrides the imported schedule disagrees exactly over the override's 35 hours
        OnCallDocument plain = OpsgenieImporter.read(fixture("opsgenie-schedule.json")).document();
        assertEquals(35 * 4, compare(plain.schedules().get(0), source, from, to).size());
    }

    @Test
    void badVendorJsonIsNamedByItsPath() {
        JsonNode schedule = fixture("pagerduty-schedule.json").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) schedule.path("schedule").path("schedule_layers").get(1))
                .put("rotation_virtual_start", "yesterday");
        ImportException e = org.junit.jupiter.api.Assertions.assertThrows(ImportException.class,
                () -> PagerDutyImporter.read(schedule, List.of()));
        assertEquals("$.schedule.schedule_layers[1]", e.path());
        assertTrue(e.getMessage().contains("yesterday"), e.getMessage());
        JsonNode opsgenie = fixture("opsgenie-schedule.json").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) opsgenie.path("data").path("rotations").get(0))
                .put("type", "monthly");
        assertEquals("$.data.rotations[0]", org.junit.jupiter.api.Assertions.assertThrows(ImportException.class,
                () -> OpsgenieImporter.read(opsgenie)).path());
    }

    @Test
    void theComparisonSeesAWrongRotation() {
        JsonNode schedule = fixture("pagerduty-schedule.json").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) schedule.path("schedule").path("schedule_layers").get(1))
                .put("rotation_turn_length_seconds", 86_400 * 2);
        OnCallDocument doc = PagerDutyImporter.read(schedule, List.of()).document();
        List<Entry> source = new ArrayList<>();
        for (JsonNode e : schedule.path("schedule").path("final_schedule").path("rendered_schedule_entries")) {
            source.add(new Entry(e.path("user").path("id").asText(), OffsetDateTime.parse(e.path("start").asText())
                    .toInstant(), OffsetDateTime.parse(e.path("end").asText()).toInstant()));
        }
        assertTrue(compare(doc.schedules().get(0), source, source.get(0).start(), source.get(source.size() - 1).end())
                .size() > 100);
    }
}
