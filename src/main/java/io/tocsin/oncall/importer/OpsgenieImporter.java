package io.tocsin.oncall.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.oncall.ContactKind;
import io.tocsin.oncall.ContactMethod;
import io.tocsin.oncall.Layer;
import io.tocsin.oncall.NotificationRule;
import io.tocsin.oncall.Person;
import io.tocsin.oncall.Restriction;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleOverride;
import io.tocsin.oncall.TurnLength;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.policy.Routing;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads Opsgenie's {@code GET /v2/schedules/{id}} JSON (rotations with {@code type} daily/weekly/hourly, {@code length},
 * {@code startDate}, {@code endDate}, {@code participants}, {@code timeRestriction}) into a Tocsin document. Daily and
 * weekly turns are local calendar days in the schedule's timezone; hourly turns are exact hours. Opsgenie notifies
 * every rotation's on-call user at once while Tocsin pages one person per schedule: rotations become layers in list
 * order (a later one wins where two overlap), so import overlapping rotations as separate schedules.
 */
public final class OpsgenieImporter {

    private OpsgenieImporter() {
    }

    public static ImportResult read(JsonNode scheduleResponse) {
        return read(scheduleResponse, null);
    }

    /**
     * With {@code overridesResponse} ({@code GET /v2/schedules/{id}/overrides}: {@code data[]} with {@code user},
     * {@code startDate}, {@code endDate}, {@code rotations}) the overrides too. An override limited to some rotations
     * applies to the whole Tocsin schedule (one person is paged), which a note says.
     */
    public static ImportResult read(JsonNode scheduleResponse, JsonNode overridesResponse) {
        List<String> notes = new ArrayList<>();
        JsonNode data = scheduleResponse.path("data");
        ZoneId zone = ImportException.at("$.data.timezone", () -> ZoneId.of(data.path("timezone").asText()));
        Map<String, Person> people = new LinkedHashMap<>();
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < data.path("rotations").size(); i++) {
            JsonNode rotation = data.path("rotations").get(i);
            Layer layer = ImportException.at("$.data.rotations[" + i + "]", () -> rotation(rotation, zone, people, notes));
            if (layer != null) {
                layers.add(layer);
            }
        }
        List<ScheduleOverride> overrides = new ArrayList<>();
        JsonNode items = overridesResponse == null ? null : overridesResponse.path("data");
        for (int i = 0; items != null && i < items.size(); i++) {
            JsonNode o = items.get(i);
            overrides.add(ImportException.at("$.data[" + i + "]", () -> new ScheduleOverride(
                    person(o.path("user").path("username").asText(), zone, people),
                    Instant.parse(o.path("startDate").asText()), Instant.parse(o.path("endDate").asText()))));
            if (!o.path("rotations").isEmpty()) {
                notes.add("override " + o.path("alias").asText() + " was limited to some rotations; in Tocsin it "
                        + "replaces whoever is on call on the schedule");
            }
        }
        Schedule schedule = new Schedule(data.path("id").asText(), data.path("name").asText(), zone, layers,
                overrides);
        notes.add("Opsgenie usernames became people with an email contact; add phone and Slack contacts as needed");
        return new ImportResult(new OnCallDocument(List.copyOf(people.values()), List.of(schedule), List.of(),
                Routing.NONE), notes);
    }

    /** The rotation as a layer, or null (with a note) when it has no user to page. */
    private static Layer rotation(JsonNode rotation, ZoneId zone, Map<String, Person> people, List<String> notes) {
        List<String> members = new ArrayList<>();
        for (JsonNode participant : rotation.path("participants")) {
            if (participant.path("type").asText().equals("user")) {
                members.add(person(participant.path("username").asText(), zone, people));
            } else {
                notes.add("rotation " + rotation.path("name").asText() + ": participant of type "
                        + participant.path("type").asText() + " is not imported");
            }
        }
        if (members.isEmpty()) {
            notes.add("rotation " + rotation.path("name").asText() + " has no users and is skipped");
            return null;
        }
        Instant start = Instant.parse(rotation.path("startDate").asText());
        Instant until = rotation.path("endDate").isTextual() ? Instant.parse(rotation.path("endDate").asText())
                : null;
        return new Layer(rotation.path("id").asText(), null, start.atZone(zone).toLocalDateTime(),
                turn(rotation), members, restrictions(rotation.path("timeRestriction")), start, until);
    }

    private static String person(String username, ZoneId zone, Map<String, Person> people) {
        people.computeIfAbsent(username, u -> {
            boolean email = ContactKind.EMAIL.addressProblem(u).isEmpty();
            List<ContactMethod> methods = email ? List.of(ContactMethod.of("email", ContactKind.EMAIL, u))
                    : List.of();
            List<NotificationRule> rules = email ? List.of(new NotificationRule("email", Duration.ZERO)) : List.of();
            return new Person(u, u, zone, methods, rules);
        });
        return username;
    }

    static TurnLength turn(JsonNode rotation) {
        int length = Math.max(1, rotation.path("length").asInt(1));
        return switch (rotation.path("type").asText()) {
            case "daily" -> TurnLength.days(length);
            case "weekly" -> TurnLength.days(7 * length);
            case "hourly" -> TurnLength.exactly(Duration.ofHours(length));
            default -> throw new IllegalArgumentException("unknown Opsgenie rotation type: "
                    + rotation.path("type").asText());
        };
    }

    static List<Restriction> restrictions(JsonNode restriction) {
        List<Restriction> out = new ArrayList<>();
        String type = restriction.path("type").asText("");
        if (type.equals("time-of-day")) {
            JsonNode r = restriction.path("restriction");
            LocalTime start = time(r, "start");
            Duration length = Duration.between(start, time(r, "end"));
            out.add(new Restriction(Set.of(), start, length.isNegative() || length.isZero()
                    ? length.plusDays(1) : length));
        } else if (type.equals("weekday-and-time-of-day")) {
            for (JsonNode r : restriction.path("restrictions")) {
                DayOfWeek startDay = day(r, "startDay");
                long days = Math.floorMod(day(r, "endDay").getValue() - startDay.getValue(), 7);
                Duration length = Duration.ofDays(days).plus(Duration.between(time(r, "start"), time(r, "end")));
                out.add(new Restriction(Set.of(startDay), time(r, "start"), length.isNegative() || length.isZero()
                        ? length.plusDays(7) : length));
            }
        }
        return out;
    }

    private static LocalTime time(JsonNode r, String prefix) {
        return LocalTime.of(r.path(prefix + "Hour").asInt(), r.path(prefix + "Min").asInt());
    }

    private static DayOfWeek day(JsonNode r, String field) {
        return DayOfWeek.valueOf(r.path(field).asText().toUpperCase(Locale.ROOT));
    }
}
