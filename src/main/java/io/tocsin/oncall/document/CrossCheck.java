package io.tocsin.oncall.document;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks across items, on the JSON tree so that every path is the document's own: duplicate ids, references to
 * unknown people, schedules, layers and policies, overlapping overrides, and loops between policies. Fields whose
 * type is wrong were already named by the readers and are skipped here.
 */
final class CrossCheck {

    private final JsonNode root;
    private final List<Problem> problems;

    private CrossCheck(JsonNode root, List<Problem> problems) {
        this.root = root;
        this.problems = problems;
    }

    static void check(JsonNode root, List<Problem> problems) {
        CrossCheck c = new CrossCheck(root, problems);
        Set<String> people = c.ids("people");
        Map<String, Set<String>> layers = c.schedules(people);
        c.policies(people, layers);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static List<JsonNode> items(JsonNode node, String field) {
        JsonNode array = node == null ? null : node.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    /** The ids of {@code $.<array>}, naming any used twice. */
    private Set<String> ids(String array) {
        Set<String> ids = new HashSet<>();
        List<JsonNode> items = items(root, array);
        for (int i = 0; i < items.size(); i++) {
            String id = text(items.get(i), "id");
            if (id != null && !ids.add(id)) {
                problems.add(new Problem("$." + array + "[" + i + "].id", "id '" + id + "' is used twice"));
            }
        }
        return ids;
    }

    /** Members and override people must be known; overrides must not overlap. Returns each schedule's layer ids. */
    private Map<String, Set<String>> schedules(Set<String> people) {
        ids("schedules");
        Map<String, Set<String>> layersBySchedule = new HashMap<>();
        List<JsonNode> schedules = items(root, "schedules");
        for (int i = 0; i < schedules.size(); i++) {
            String path = "$.schedules[" + i + "]";
            Set<String> layerIds = new HashSet<>();
            List<JsonNode> layers = items(schedules.get(i), "layers");
            for (int j = 0; j < layers.size(); j++) {
                String layerId = text(layers.get(j), "id");
                if (layerId != null && !layerIds.add(layerId)) {
                    problems.add(new Problem(path + ".layers[" + j + "].id", "layer id '" + layerId + "' is used twice"));
                }
                List<JsonNode> members = items(layers.get(j), "members");
                for (int k = 0; k < members.size(); k++) {
                    person(people, members.get(k).isTextual() ? members.get(k).asText() : null,
                            path + ".layers[" + j + "].members[" + k + "]");
                }
            }
            overrides(people, items(schedules.get(i), "overrides"), path);
            String id = text(schedules.get(i), "id");
            if (id != null) {
                layersBySchedule.putIfAbsent(id, layerIds);
            }
        }
        return layersBySchedule;
    }

    private void person(Set<String> people, String person, String path) {
        if (person != null && !people.contains(person)) {
            problems.add(new Problem(path, "unknown person '" + person + "' (not in $.people)"));
        }
    }

    private void overrides(Set<String> people, List<JsonNode> overrides, String path) {
        List<Instant[]> spans = new ArrayList<>();
        for (int k = 0; k < overrides.size(); k++) {
            person(people, text(overrides.get(k), "person"), path + ".overrides[" + k + "].person");
            Instant start = instant(text(overrides.get(k), "start"));
            Instant end = instant(text(overrides.get(k), "end"));
            spans.add(start == null || end == null || !start.isBefore(end) ? null : new Instant[] {start, end});
            for (int m = 0; m < k && spans.get(k) != null; m++) {
                Instant[] a = spans.get(m);
                if (a != null && a[0].isBefore(spans.get(k)[1]) && spans.get(k)[0].isBefore(a[1])) {
                    problems.add(new Problem(path + ".overrides[" + k + "]",
                            "overlaps " + path + ".overrides[" + m + "] (" + a[0] + " .. " + a[1] + ")"));
                }
            }
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void policies(Set<String> people, Map<String, Set<String>> layers) {
        Set<String> policyIds = ids("policies");
        Map<String, List<String>> handsOver = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        List<JsonNode> policies = items(root, "policies");
        for (int i = 0; i < policies.size(); i++) {
            String id = text(policies.get(i), "id");
            List<String> next = new ArrayList<>();
            List<JsonNode> steps = items(policies.get(i), "steps");
            for (int s = 0; s < steps.size(); s++) {
                List<JsonNode> targets = items(steps.get(s), "targets");
                for (int t = 0; t < targets.size(); t++) {
                    String path = "$.policies[" + i + "].steps[" + s + "].targets[" + t + "]";
                    target(targets.get(t), path, people, layers, policyIds, next);
                }
            }
            if (id != null && !index.containsKey(id)) {
                index.put(id, i);
                handsOver.put(id, next);
            }
        }
        PolicyLoops.find(handsOver).forEach(loop -> problems.add(new Problem("$.policies[" + index.get(loop.get(0))
                + "]", "policies hand over in a loop: " + String.join(" -> ", loop))));
        routing(policyIds);
    }

    private void target(JsonNode target, String path, Set<String> people, Map<String, Set<String>> layers,
            Set<String> policies, List<String> next) {
        String kind = text(target, "kind");
        String ref = text(target, "ref");
        if (kind == null || ref == null) {
            return;
        }
        switch (kind) {
            case "person" -> person(people, ref, path + ".ref");
            case "schedule", "schedule-layer" -> {
                if (!layers.containsKey(ref)) {
                    problems.add(new Problem(path + ".ref", "unknown schedule '" + ref + "'"));
                } else if (kind.equals("schedule-layer") && text(target, "layer") != null
                        && !layers.get(ref).contains(text(target, "layer"))) {
                    problems.add(new Problem(path + ".layer", "schedule '" + ref + "' has no layer '"
                            + text(target, "layer") + "'"));
                }
            }
            case "policy" -> {
                if (!policies.contains(ref)) {
                    problems.add(new Problem(path + ".ref", "unknown policy '" + ref + "'"));
                }
                next.add(ref);
            }
            default -> {
                // pagerduty: the key is a secret name, checked when the stack reads it
            }
        }
    }

    private void routing(Set<String> policies) {
        JsonNode routing = root.get("routing");
        List<JsonNode> rules = items(routing, "rules");
        for (int r = 0; r < rules.size(); r++) {
            String policy = text(rules.get(r), "policy");
            if (policy != null && !policies.contains(policy)) {
                problems.add(new Problem("$.routing.rules[" + r + "].policy", "unknown policy '" + policy + "'"));
            }
        }
        String fallback = text(routing, "default");
        if (fallback != null && !policies.contains(fallback)) {
            problems.add(new Problem("$.routing.default", "unknown policy '" + fallback + "'"));
        }
    }
}
