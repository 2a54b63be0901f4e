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
 * {@code to}) and {@code person} ({@code id}, optional {@code from}, {@code days}). docs/oncall.md.
 */
public class OnCallFunction {

    @Inject
    OnCallApply apply;
    @Inject
    OnCallReads reads;
    @Inject
    AuditLog audit;



    @Funq("oncall")
    public JsonNode oncall(JsonNode event) {
        if (!ApiGateway.isProxyEvent(event)) {
            return Requests.handle(event, this::handleAs);
        }
        if ("POST".equals(ApiGateway.request(event).method().toUpperCase(Locale.ROOT))) {
            // POST /oncall/apply: the one write route
            ObjectNode withAction = event.deepCopy();
            Requests.query(withAction).put("action", "apply");
            return Requests.handle(withAction, this::handleAs);
        }
        // GET /oncall/{action}: the reads; apply writes, so it is taken only as a POST
        return Requests.handle(event, input -> "apply".equals(input.path("action").asText())
                ? Answer.invalid(List.of(new Problem("action", "apply is POST /oncall/apply")))
                : handle(input));
    }

    /**
     * As {@link #handle}, with an applied document (not a dry run) audited (io.tocsin.audit.AuditLog): the record
     * is written before the change, with the document applied, and completed with the changes made (the document
     * before is the previous apply's record: no read more). Two writes per apply, even one that changes nothing.
     */
    Answer handleAs(JsonNode input, Actor actor) {
        if (!"apply".equals(input.path("action").asText("")) || !input.path("dry_run").isBoolean()
                || input.path("dry_run").asBoolean()) {
            return handle(input);
        }
        AuditLog.Entry record = audit.requested(AuditLog.Kind.ONCALL, "apply", "document", actor, null,
                input.get("document"));
        Answer answer = handle(input);
        if (answer.status() != 200) {
            audit.discard(record); // an invalid document: nothing changed
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
            default -> Answer.invalid(List.of(new Problem("action",
                    "must be apply, export, now, shifts or person")));
        };
    }
}
