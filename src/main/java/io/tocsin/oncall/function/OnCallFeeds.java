package io.tocsin.oncall.function;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.feed.FeedCalendar;
import io.tocsin.oncall.feed.FeedScope;
import io.tocsin.oncall.feed.FeedSecrets;
import io.tocsin.oncall.feed.FeedStore;
import io.tocsin.oncall.store.OnCallStore;

/**
 * The admin side of the iCal feeds on the IAM {@code oncall} function: {@code feed_create} ({@code schedule} or
 * {@code person}; answers the URL path once, never again), {@code feeds} (the list, without secrets) and
 * {@code feed_revoke} ({@code id}). The public side is {@link OnCallFeedFunction}.
 */
@Singleton
public class OnCallFeeds {

    /** The public route's prefix (template.yaml: {@code GET /oncall/feed/{file}}). */
    public static final String PATH_PREFIX = "/oncall/feed/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    FeedStore feeds;
    @Inject
    OnCallStore store;
    @Inject
    Clock clock;

    Answer create(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String schedule = Requests.optionalText(input, "schedule", OnCallReads.MAX_ID_CHARS, problems);
        String person = Requests.optionalText(input, "person", OnCallReads.MAX_ID_CHARS, problems);
        if (problems.isEmpty() && (schedule == null) == (person == null)) {
            problems.add(new Problem(schedule == null ? "schedule" : "person",
                    "name exactly one of schedule and person"));
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        FeedScope scope = schedule != null ? new FeedScope(FeedScope.Kind.SCHEDULE, schedule)
                : new FeedScope(FeedScope.Kind.PERSON, person);
        OnCallDocument document = store.load();
        if (FeedCalendar.render(document, scope, clock.instant()).isEmpty()) {
            String field = scope.kind().wire();
            return Answer.error(404, "not_found", List.of(new Problem(field, "no " + field + " '" + scope.ref()
                    + "' in the applied on-call document")));
        }
        FeedSecrets.Issued issued = feeds.create(scope, clock.instant());
        ObjectNode body = JSON.createObjectNode().put("id", issued.id()).put("scope", scope.path())
                .put("path", PATH_PREFIX + issued.segment().value())
                .put("note", "the path is shown this once: append it to the API URL and subscribe to it in a "
                        + "calendar app; anyone with the URL can read the calendar until the feed is revoked");
        return Answer.ok(body);
    }

    Answer list() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("feeds");
        feeds.list().forEach(f -> list.addObject().put("id", f.id()).put("scope", f.scope().path())
                .put("created_at", f.createdAt().toString()));
        return Answer.ok(body);
    }

    Answer revoke(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String id = Requests.requiredText(input, "id", OnCallReads.MAX_ID_CHARS, problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        if (!feeds.revoke(id)) {
            return Answer.error(404, "not_found", List.of(new Problem("id", "no feed '" + id + "'")));
        }
        return Answer.ok(JSON.createObjectNode().put("id", id).put("revoked", true));
    }
}
