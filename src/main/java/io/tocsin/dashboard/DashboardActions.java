package io.tocsin.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.api.Problem;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.Transition;

/**
 * The incident page's acknowledge and resolve forms, where the route serving the page takes them: the local run's
 * {@code POST /dashboard/actions} (src/local/java; {@code POST /dashboard} is the function's own Funqy route). Nothing
 * serves them in AWS: there, who may acknowledge is IAM on the signed API (issue 23 adds roles), and the incident page
 * shows those calls instead. A successful form answers 303 to the incident page (so a reload does not post again);
 * resolving needs notes, like the {@code resolve} function.
 */
@Singleton
public class DashboardActions {

    /** Who a form without a name acts as. */
    static final String DEFAULT_ACTOR = "dashboard";
    /** The notices the incident page shows after a form, by the {@code done} query parameter. */
    static final Map<String, String> NOTICES = Map.of("acknowledged", "Acknowledged.", "resolved", "Resolved.",
            "already", "Nothing changed: it already was in that state.");

    /** What the route answers: a status, a page (for errors), and where to go next (303) on success. */
    public record Outcome(int status, String html, String location) {
    }

    private final IncidentLifecycle lifecycle;

    @Inject
    public DashboardActions(IncidentLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** A submitted form: {@code incident}, {@code action} (acknowledge, resolve), {@code by}?, {@code notes}. */
    public Outcome submit(Map<String, String> form) {
        List<Problem> problems = new ArrayList<>();
        String id = form.getOrDefault("incident", "").trim();
        String action = form.getOrDefault("action", "").trim();
        String by = form.getOrDefault("by", "").trim();
        String notes = form.getOrDefault("notes", "").trim();
        if (id.isEmpty() || id.length() > IncidentPage.MAX_ID_CHARS) {
            problems.add(new Problem("incident", "must be an incident id"));
        }
        if (!action.equals("acknowledge") && !action.equals("resolve")) {
            problems.add(new Problem("action", "'" + action + "' is not one of acknowledge, resolve"));
        }
        if (by.length() > IncidentLifecycle.MAX_ACTOR_CHARS) {
            problems.add(new Problem("by", "is " + by.length() + " characters; at most "
                    + IncidentLifecycle.MAX_ACTOR_CHARS + " are accepted"));
        }
        if (action.equals("resolve") && notes.isEmpty()) {
            problems.add(new Problem("notes", "are required to resolve: say what fixed it"));
        }
        if (notes.length() > IncidentLifecycle.MAX_RESOLUTION_NOTES_CHARS) {
            problems.add(new Problem("notes", "are " + notes.length() + " characters; at most "
                    + IncidentLifecycle.MAX_RESOLUTION_NOTES_CHARS + " are accepted"));
        }
        if (!problems.isEmpty()) {
            return new Outcome(400, DashboardTemplates.dashboardError(problems).render(), null);
        }
        String actor = by.isEmpty() ? DEFAULT_ACTOR : by;
        Transition done = action.equals("acknowledge") ? lifecycle.acknowledge(id, actor)
                : lifecycle.resolve(id, notes, actor);
        String page = "?incident=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        if (done instanceof Transition.Applied) {
            return new Outcome(303, "", page + "&done=" + (action.equals("acknowledge") ? "acknowledged" : "resolved"));
        }
        if (done instanceof Transition.AlreadyDone) {
            return new Outcome(303, "", page + "&done=already");
        }
        Problem problem = done instanceof Transition.Conflict conflict
                ? new Problem("action", "cannot " + action + " an incident that is "
                        + conflict.incident().status().wire())
                : new Problem("incident", "no incident has the id '" + id + "'");
        return new Outcome(done instanceof Transition.Conflict ? 409 : 404,
                DashboardTemplates.dashboardError(List.of(problem)).render(), null);
    }
}
