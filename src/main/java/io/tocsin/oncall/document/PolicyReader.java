package io.tocsin.oncall.document;

import io.tocsin.alert.Severity;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.policy.Routing;
import io.tocsin.oncall.policy.RoutingRule;
import io.tocsin.oncall.policy.Step;
import io.tocsin.oncall.policy.Target;
import io.tocsin.oncall.policy.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code $.policies} and {@code $.routing}. */
final class PolicyReader {

    static final Set<String> POLICY = Set.of("id", "name", "steps", "repeats");
    static final Set<String> STEP = Set.of("targets", "delay");
    static final Set<String> TARGET = Set.of("kind", "ref", "layer");
    static final Set<String> ROUTING = Set.of("rules", "default");
    static final Set<String> RULE = Set.of("source", "severity", "labels", "token", "policy");

    private PolicyReader() {
    }

    static List<EscalationPolicy> policies(Fields root, List<Problem> problems) {
        List<EscalationPolicy> policies = new ArrayList<>();
        for (Fields.Element element : root.array("policies", false)) {
            Fields f = element.fields(problems, POLICY);
            int before = problems.size();
            String id = f.text("id", true);
            String name = f.text("name", false);
            Integer repeats = f.integer("repeats", 0, EscalationPolicy.MAX_REPEATS);
            List<Step> steps = new ArrayList<>();
            List<Fields.Element> stepElements = f.array("steps", true);
            if (stepElements.isEmpty() && f.has("steps")) {
                f.problem("steps", "needs at least one step");
            }
            for (Fields.Element s : stepElements) {
                Step step = step(s.fields(problems, STEP), problems);
                if (step != null) {
                    steps.add(step);
                }
            }
            if (problems.size() == before) {
                policies.add(new EscalationPolicy(id, name == null ? id : name, steps, repeats == null ? 0 : repeats));
            }
        }
        return policies;
    }

    private static Step step(Fields f, List<Problem> problems) {
        int before = problems.size();
        Duration delay = f.duration("delay", true);
        if (delay != null && delay.compareTo(Duration.ofMinutes(1)) < 0) {
            f.problem("delay", "must be at least PT1M (the sweep runs once a minute)");
        }
        List<Target> targets = new ArrayList<>();
        List<Fields.Element> elements = f.array("targets", true);
        if (elements.isEmpty() && f.has("targets")) {
            f.problem("targets", "needs at least one target");
        }
        for (Fields.Element element : elements) {
            Fields t = element.fields(problems, TARGET);
            TargetKind kind = t.parsed("kind", true, "one of schedule, person, schedule-layer, pagerduty, policy",
                    text -> TargetKind.parse(text).orElseThrow());
            String ref = t.text("ref", true);
            String layer = t.text("layer", kind == TargetKind.SCHEDULE_LAYER);
            if (layer != null && kind != TargetKind.SCHEDULE_LAYER) {
                t.problem("layer", "only a schedule-layer target names a layer");
            } else if (kind != null && ref != null) {
                targets.add(new Target(kind, ref, layer));
            }
        }
        return problems.size() > before ? null : new Step(targets, delay);
    }

    static Routing routing(Fields root, List<Problem> problems) {
        if (!root.has("routing")) {
            return Routing.NONE;
        }
        Fields f = new Fields(root.node("routing"), root.at("routing"), problems, ROUTING);
        List<RoutingRule> rules = new ArrayList<>();
        for (Fields.Element element : f.array("rules", false)) {
            Fields r = element.fields(problems, RULE);
            int before = problems.size();
            Set<Severity> severities = EnumSet.noneOf(Severity.class);
            for (Fields.Element s : r.array("severity", false)) {
                String text = s.text(problems);
                Severity.parse(text).ifPresentOrElse(severities::add, () -> problems.add(new Problem(s.path(),
                        "'" + text + "' is not a severity (" + Severity.allowed() + ")")));
            }
            Map<String, String> labels = labels(r, problems);
            String source = r.text("source", false);
            String token = r.text("token", false);
            if (token != null) {
                // ingest does not hand the token to routing yet: a rule that could never match would misroute pages
                r.problem("token", "routing by token is not supported yet (docs/oncall.md): match the token's "
                        + "source prefix with 'source' instead");
            }
            String policy = r.text("policy", true);
            if (problems.size() == before) {
                rules.add(new RoutingRule(source, severities, labels, token, policy));
            }
        }
        return new Routing(rules, f.text("default", false));
    }

    private static Map<String, String> labels(Fields r, List<Problem> problems) {
        Map<String, String> labels = new LinkedHashMap<>();
        var node = r.node("labels");
        if (node == null || node.isNull()) {
            return labels;
        }
        if (!node.isObject()) {
            r.problem("labels", "must be an object of label names to values");
            return labels;
        }
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getValue().isTextual()) {
                labels.put(e.getKey(), e.getValue().asText());
            } else {
                problems.add(new Problem(r.at("labels") + "." + e.getKey(), "must be a string"));
            }
        }
        return labels;
    }
}
