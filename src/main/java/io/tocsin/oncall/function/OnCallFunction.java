package io.tocsin.oncall.function;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;

/**
 * The {@code oncall} function (IAM only: direct invoke, or {@code /oncall/{action}} on the IAM-authorised API, the
 * action from the path): {@code apply} ({@code {"document":…,"dry_run":true}}), {@code export}, {@code now}
 * ({@code schedule} or {@code policy}, optional {@code at}), {@code shifts} ({@code schedule}, {@code from},
 * {@code to}), {@code person} ({@code id}, optional {@code from}, {@code days}) and the iCal feed URLs
 * ({@link OnCallFeeds}: {@code feed_create}, {@code feeds}, {@code feed_revoke}), and {@code import}
 * ({@link OnCallImport}: an Opsgenie or PagerDuty export as a document, nothing stored). docs/oncall.md.
 */
public class OnCallFunction {

    /** The actions taken only as a POST over API Gateway: those that write, and import (its input is a body). */
    static final java.util.Set<String> WRITES = java.util.Set.of("apply", "feed_create", "feed_revoke", "import");

    @Inject
    OnCallApply apply;
    @Inject
    OnCallReads reads;
    @Inject
    OnCallFeeds feeds;
    @Inject
    OnCallImport importer;

    @Funq("oncall")
    public JsonNode oncall(JsonNode event) {
        if (!ApiGateway.isProxyEvent(event)) {
            return Requests.handle(event, this::handle);
        }
        if ("POST".equals(ApiGateway.request(event).method().toUpperCase(Locale.ROOT))) {
            // POST /oncall/apply, /oncall/feed_create, /oncall/feed_revoke: the write routes
            ObjectNode withAction = event.deepCopy();
            String action = event.path("pathParameters").path("action").asText("apply");
            Requests.query(withAction).put("action", WRITES.contains(action) ? action : "apply");
            return Requests.handle(withAction, this::handle);
        }
        // GET /oncall/{action}: the reads; the writes are taken only as a POST
        return Requests.handle(event, input -> WRITES.contains(input.path("action").asText())
                ? Answer.invalid(List.of(new Problem("action", input.path("action").asText() + " is POST /oncall/"
                        + input.path("action").asText())))
                : handle(input));
    }

    Answer handle(JsonNode input) {
        try {
            return dispatch(input);
        } catch (io.tocsin.oncall.store.OnCallStore.UnreadableException e) {
            return OnCallApply.unreadable(e);
        }
    }

    private Answer dispatch(JsonNode input) {
        return switch (input.path("action").asText("")) {
            case "apply" -> apply.apply(input);
            case "export" -> apply.export();
            case "now" -> reads.now(input);
            case "shifts" -> reads.shifts(input);
            case "person" -> reads.person(input);
            case "feed_create" -> feeds.create(input);
            case "feeds" -> feeds.list();
            case "feed_revoke" -> feeds.revoke(input);
            case "import" -> importer.read(input);
            default -> Answer.invalid(List.of(new Problem("action",
                    "must be apply, export, now, shifts, person, feed_create, feeds, feed_revoke or import")));
        };
    }
}
