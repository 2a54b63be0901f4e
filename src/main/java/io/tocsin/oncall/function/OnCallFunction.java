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
 * {@code to}) and {@code person} ({@code id}, optional {@code from}, {@code days}). docs/oncall.md.
 */
public class OnCallFunction {

    @Inject
    OnCallApply apply;
    @Inject
    OnCallReads reads;

    @Funq("oncall")
    public JsonNode oncall(JsonNode event) {
        if (!ApiGateway.isProxyEvent(event)) {
            return Requests.handle(event, this::handle);
        }
        if ("POST".equals(ApiGateway.request(event).method().toUpperCase(Locale.ROOT))) {
            // POST /oncall/apply: the one write route
            ObjectNode withAction = event.deepCopy();
            Requests.query(withAction).put("action", "apply");
            return Requests.handle(withAction, this::handle);
        }
        // GET /oncall/{action}: the reads; apply writes, so it is taken only as a POST
        return Requests.handle(event, input -> "apply".equals(input.path("action").asText())
                ? Answer.invalid(List.of(new Problem("action", "apply is POST /oncall/apply")))
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
            default -> Answer.invalid(List.of(new Problem("action",
                    "must be apply, export, now, shifts or person")));
        };
    }
}
