package io.tocsin.oncall.function;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.store.OnCallStore;

/**
 * The "who is on call" reads: each is one Query of the on-call partition ({@link OnCallStore#load}), then the
 * resolver. Time is the injected clock's unless the call names an instant.
 */
@Singleton
public class OnCallReads {

    /** Our own limit on a {@code shifts} range: a quarter (PagerDuty's rendered schedule is asked for similar spans). */
    static final Duration MAX_RANGE = Duration.ofDays(93);
    /** {@code person}: the default and the largest number of days ahead. */
    static final int DEFAULT_DAYS = 14;
    static final int MAX_DAYS = 93;
    /** Ids in the document are short; a longer one cannot name anything. */
    static final int MAX_ID_CHARS = 128;
    /**
     * At most this many shifts in one answer: about 100 bytes each, so an answer stays far below Lambda's 6 MB
     * response payload limit (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) even for a
     * rotation of one-minute turns over the longest range.
     */
    static final int MAX_SHIFTS = 10_000;
    /** How far ahead {@code now} looks for the end of the current shift. */
    static final Duration SHIFT_LOOKAHEAD = Duration.ofDays(31);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    OnCallStore store;
    @Inject
    Clock clock;

    Answer now(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String schedule = Requests.optionalText(input, "schedule", MAX_ID_CHARS, problems);
        String policy = Requests.optionalText(input, "policy", MAX_ID_CHARS, problems);
        Instant at = Optional.ofNullable(Requests.optionalInstant(input, "at", problems)).orElseGet(clock::instant);
        if (problems.isEmpty() && (schedule == null) == (policy == null)) {
            problems.add(new Problem(schedule == null ? "schedule" : "policy",
                    "name exactly one of schedule and policy"));
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        OnCallDocument document = store.load();
        ObjectNode body = JSON.createObjectNode().put("at", at.toString());
        if (schedule != null) {
            Optional<Schedule> found = schedule(document, schedule);
            if (found.isEmpty()) {
                return notFound("schedule", schedule);
            }
            body.put("schedule", schedule);
            current(body, document, found.get(), at);
            return Answer.ok(body);
        }
        var step = OnCallTargets.firstStep(document, policy, at);
        if (step.isEmpty()) {
            return notFound("policy", policy);
        }
        body.put("policy", policy);
        ArrayNode list = body.putArray("on_call");
        step.get().forEach(t -> {
            ObjectNode node = list.addObject().put("via", t.via());
            if (t.person() != null) {
                node.put("person", t.person()).put("name", name(document, t.person()));
            } else {
                node.put("pagerduty", t.pagerduty());
            }
        });
        return Answer.ok(body);
    }

    Answer shifts(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String schedule = Requests.requiredText(input, "schedule", MAX_ID_CHARS, problems);
        Instant from = Requests.requiredInstant(input, "from", problems);
        Instant to = Requests.requiredInstant(input, "to", problems);
        if (from != null && to != null) {
            if (!to.isAfter(from)) {
                problems.add(new Problem("to", "must be after from"));
            } else if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
                problems.add(new Problem("to", "at most " + MAX_RANGE.toDays() + " days after from"));
            }
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        OnCallDocument document = store.load();
        Optional<Schedule> found = schedule(document, schedule);
        if (found.isEmpty()) {
            return notFound("schedule", schedule);
        }
        List<Shift> shifts = ScheduleResolver.shifts(found.get(), from, to);
        if (shifts.size() > MAX_SHIFTS) {
            return tooMany("to", shifts.size());
        }
        ObjectNode body = JSON.createObjectNode().put("schedule", schedule).put("from", from.toString())
                .put("to", to.toString());
        shiftList(body.putArray("shifts"), document, shifts);
        return Answer.ok(body);
    }

    Answer person(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String id = Requests.requiredText(input, "id", MAX_ID_CHARS, problems);
        Instant from = Optional.ofNullable(Requests.optionalInstant(input, "from", problems)).orElseGet(clock::instant);
        int days = days(input.get("days"), problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        OnCallDocument document = store.load();
        if (document.people().stream().noneMatch(p -> p.id().equals(id))) {
            return notFound("id", id);
        }
        ObjectNode body = JSON.createObjectNode().put("person", id).put("name", name(document, id))
                .put("from", from.toString()).put("days", days);
        ArrayNode list = body.putArray("shifts");
        for (Schedule s : document.schedules()) {
            ScheduleResolver.shifts(s, from, from.plus(Duration.ofDays(days))).stream()
                    .filter(shift -> shift.person().equals(id))
                    .forEach(shift -> list.add(shift(shift, document).put("schedule", s.id())));
        }
        if (list.size() > MAX_SHIFTS) {
            return tooMany("days", list.size());
        }
        List<JsonNode> sorted = new ArrayList<>();
        list.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparing(n -> Instant.parse(n.path("start").asText())));
        list.removeAll().addAll(sorted);
        return Answer.ok(body);
    }

    private static int days(JsonNode node, List<Problem> problems) {
        if (node == null || node.isNull()) {
            return DEFAULT_DAYS;
        }
        String text = node.asText();
        if ((node.isIntegralNumber() || (node.isTextual() && text.matches("[0-9]{1,3}")))
                && node.asInt() >= 1 && node.asInt() <= MAX_DAYS) {
            return node.isTextual() ? Integer.parseInt(text) : node.asInt();
        }
        problems.add(new Problem("days", "must be a whole number of days from 1 to " + MAX_DAYS));
        return DEFAULT_DAYS;
    }

    private static void current(ObjectNode body, OnCallDocument document, Schedule schedule, Instant at) {
        Optional<Shift> shift = ScheduleResolver.shifts(schedule, at, at.plus(SHIFT_LOOKAHEAD)).stream()
                .filter(s -> s.contains(at)).findFirst();
        if (shift.isEmpty()) {
            body.putNull("person");
            return;
        }
        body.put("person", shift.get().person()).put("name", name(document, shift.get().person()))
                .put("until", shift.get().end().toString());
    }

    private static void shiftList(ArrayNode list, OnCallDocument document, List<Shift> shifts) {
        shifts.forEach(s -> list.add(shift(s, document)));
    }

    private static ObjectNode shift(Shift s, OnCallDocument document) {
        return JSON.createObjectNode().put("person", s.person()).put("name", name(document, s.person()))
                .put("start", s.start().toString()).put("end", s.end().toString());
    }

    static Optional<Schedule> schedule(OnCallDocument document, String id) {
        return document.schedules().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private static String name(OnCallDocument document, String person) {
        Map<String, String> names = new LinkedHashMap<>();
        document.people().forEach(p -> names.put(p.id(), p.name()));
        return names.getOrDefault(person, person);
    }

    private static Answer tooMany(String field, int count) {
        return Answer.invalid(List.of(new Problem(field, "the range holds " + count + " shifts, more than "
                + MAX_SHIFTS + " in one answer: ask for a shorter range")));
    }

    private static Answer notFound(String field, String id) {
        return Answer.error(404, "not_found", List.of(new Problem(field, "no " + field + " '" + id + "'")));
    }
}
