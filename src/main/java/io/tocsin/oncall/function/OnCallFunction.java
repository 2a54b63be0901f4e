package io.tocsin.oncall.function;

import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
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
        return Requests.handle(event, this::handle);
    }

    Answer handle(JsonNode input) {
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
