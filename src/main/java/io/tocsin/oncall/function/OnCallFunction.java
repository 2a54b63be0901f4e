package io.tocsin.oncall.function;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Actor;
import io.tocsin.api.Answer;
import io.tocsin.audit.AuditLog;
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
    @Inject
    AuditLog audit;

    @Funq("oncall")
    public JsonNode oncall(JsonNode event) {
        if (!ApiGateway.isProxyEvent(event)) {
            return Requests.handle(event, this::handleAs);
        }
        if ("POST".equals(ApiGateway.request(event).method().toUpperCase(Locale.ROOT))) {
            // POST /oncall/apply, /oncall/feed_create, /oncall/feed_revoke: the write routes
            ObjectNode withAction = event.deepCopy();
            String action = event.path("pathParameters").path("action").asText("apply");
            Requests.query(withAction).put("action", WRITES.contains(action) ? action : "apply");
            return Requests.handle(withAction, this::handleAs);
        }
        // GET /oncall/{action}: the reads; the writes are taken only as a POST
        return Requests.handle(event, input -> WRITES.contains(input.path("action").asText())
                ? Answer.invalid(List.of(new Problem("action", input.path("action").asText() + " is POST /oncall/"
                        + input.path("action").asText())))
                : handle(input));
    }

    /**
     * As {@link #handle}, with an applied document (not a dry run) that changes something audited
     * (io.tocsin.audit.AuditLog): a dry run first (reads only); if it would change nothing, the apply runs unaudited and
     * writes nothing (issue 21: applying the same document twice writes nothing). Otherwise the record is written
     * before the change, with the document applied, and completed with the changes made (the document before is the
     * previous apply's record: no read more). An apply that changed something while its dry run saw no change (another
     * apply between them) is recorded after the fact.
     */
    Answer handleAs(JsonNode input, Actor actor) {
        Boolean dryRun = OnCallApply.flag(input.get("dry_run"));
        if (!"apply".equals(input.path("action").asText("")) || dryRun == null || dryRun) {
            return handle(input);
        }
        ObjectNode preview = input.deepCopy();
        preview.put("dry_run", true);
        Answer planned = handle(preview);
        if (planned.status() != 200) {
            return planned; // an invalid document: nothing changes, nothing to record
        }
        if (planned.body().path("changes").isEmpty()) {
            Answer answer = handle(input);
            if (answer.status() == 200 && answer.body().path("changed").asBoolean(false)) {
                audit.completed(audit.requested(AuditLog.Kind.ONCALL, "apply", "document", actor, null,
                        input.get("document")), true, null, null, answer.body());
            }
            return answer;
        }
        AuditLog.Entry record = audit.requested(AuditLog.Kind.ONCALL, "apply", "document", actor, null,
                input.get("document"));
        Answer answer = handle(input);
        if (answer.status() != 200) {
            audit.discard(record);
            return answer;
        }
        audit.completed(record, answer.body().path("changed").asBoolean(false), null, null, answer.body());
        return answer;
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
