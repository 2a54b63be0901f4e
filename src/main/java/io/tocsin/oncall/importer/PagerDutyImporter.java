package io.tocsin.oncall.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.oncall.Layer;
import io.tocsin.oncall.Person;
import io.tocsin.oncall.Restriction;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleOverride;
import io.tocsin.oncall.TurnLength;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.policy.Routing;
import io.tocsin.oncall.policy.Step;
import io.tocsin.oncall.policy.Target;
import io.tocsin.oncall.policy.TargetKind;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads PagerDuty REST API v2 JSON: {@code GET /schedules/{id}} ({@code schedule_layers} with
 * {@code rotation_virtual_start}, {@code rotation_turn_length_seconds}, {@code restrictions}, {@code users}, and
 * {@code overrides_subschedule.rendered_schedule_entries}) and {@code GET /escalation_policies/{id}}. Semantics as
 * PagerDuty documents them (docs/oncall.md "Importers"): the later layer wins, so {@code schedule_layers} as returned
 * by GET (highest first) are reversed; a turn of whole days keeps the schedule's wall-clock handoff across daylight
 * saving, other turn lengths are exact.
 */
public final class PagerDutyImporter {

    static final long DAY_SECONDS = 86_400;

    private PagerDutyImporter() {
    }

    public static ImportResult read(JsonNode scheduleResponse, List<JsonNode> policyResponses) {
        List<String> notes = new ArrayList<>();
        Map<String, Person> people = new LinkedHashMap<>();
        JsonNode s = scheduleResponse.path("schedule");
        ZoneId zone = ImportException.at("$.schedule.time_zone", () -> ZoneId.of(s.path("time_zone").asText()));
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < s.path("schedule_layers").size(); i++) {
            JsonNode layer = s.path("schedule_layers").get(i);
            layers.add(0, ImportException.at("$.schedule.schedule_layers[" + i + "]", () -> layer(layer, zone, people)));
        }
        List<ScheduleOverride> overrides = new ArrayList<>();
        JsonNode entries = s.path("overrides_subschedule").path("rendered_schedule_entries");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            overrides.add(ImportException.at("$.schedule.overrides_subschedule.rendered_schedule_entries[" + i + "]",
                    () -> new ScheduleOverride(user(entry.path("user"), zone, people), instant(entry.path("start")),
                            instant(entry.path("end")))));
        }
        Schedule schedule = new Schedule(s.path("id").asText(), s.path("name").asText(), zone, layers, overrides);
        List<EscalationPolicy> policies = new ArrayList<>();
        for (JsonNode response : policyResponses) {
            policies.add(ImportException.at("$.escalation_policy (" + response.path("escalation_policy").path("id")
                    .asText() + ")", () -> policy(response.path("escalation_policy"), notes)));
        }
        notes.add("PagerDuty users carry no contact methods in these responses: add each person's contacts and "
                + "notification rules (" + String.join(", ", people.keySet()) + ")");
        OnCallDocument document = new OnCallDocument(List.copyOf(people.values()), List.of(schedule), policies,
                Routing.NONE);
        return new ImportResult(document, notes);
    }

    private static Layer layer(JsonNode layer, ZoneId zone, Map<String, Person> people) {
        List<String> members = new ArrayList<>();
        for (JsonNode user : layer.path("users")) {
            members.add(user(user.path("user"), zone, people));
        }
        long seconds = layer.path("rotation_turn_length_seconds").asLong();
        TurnLength turn = seconds % DAY_SECONDS == 0 ? TurnLength.days((int) (seconds / DAY_SECONDS))
                : TurnLength.exactly(Duration.ofSeconds(seconds));
        List<Restriction> restrictions = new ArrayList<>();
        for (JsonNode r : layer.path("restrictions")) {
            Set<DayOfWeek> days = r.path("type").asText().equals("weekly_restriction")
                    ? Set.of(DayOfWeek.of(r.path("start_day_of_week").asInt())) : Set.of();
            restrictions.add(new Restriction(days, LocalTime.parse(r.path("start_time_of_day").asText()),
                    Duration.ofSeconds(r.path("duration_seconds").asLong())));
        }
        Instant until = layer.path("end").isTextual() ? instant(layer.path("end")) : null;
        return new Layer(layer.path("id").asText(), null,
                OffsetDateTime.parse(layer.path("rotation_virtual_start").asText()).atZoneSameInstant(zone)
                        .toLocalDateTime(),
                turn, members, restrictions, instant(layer.path("start")), until);
    }

    private static String user(JsonNode reference, ZoneId zone, Map<String, Person> people) {
        String id = reference.path("id").asText();
        people.computeIfAbsent(id, k -> new Person(id, reference.path("summary").asText(id), zone, List.of(),
                List.of()));
        return id;
    }

    static EscalationPolicy policy(JsonNode p, List<String> notes) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode rule : p.path("escalation_rules")) {
            List<Target> targets = new ArrayList<>();
            for (JsonNode target : rule.path("targets")) {
                switch (target.path("type").asText()) {
                    case "schedule_reference", "schedule" -> targets.add(Target.of(TargetKind.SCHEDULE,
                            target.path("id").asText()));
                    case "user_reference", "user" -> targets.add(Target.of(TargetKind.PERSON, target.path("id").asText()));
                    default -> notes.add("escalation rule " + rule.path("id").asText() + ": target type "
                            + target.path("type").asText() + " is not imported");
                }
            }
            steps.add(new Step(targets, Duration.ofMinutes(rule.path("escalation_delay_in_minutes").asLong())));
        }
        int loops = p.path("num_loops").asInt(0);
        if (loops > EscalationPolicy.MAX_REPEATS) {
            notes.add("policy " + p.path("id").asText() + ": num_loops " + loops + " capped at "
                    + EscalationPolicy.MAX_REPEATS);
        }
        return new EscalationPolicy(p.path("id").asText(), p.path("name").asText(), steps,
                Math.min(loops, EscalationPolicy.MAX_REPEATS));
    }

    static Instant instant(JsonNode text) {
        return OffsetDateTime.parse(text.asText()).toInstant();
    }
}
