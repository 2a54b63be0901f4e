package io.tocsin.token;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Actor;
import io.tocsin.api.Answer;
import io.tocsin.audit.AuditLog;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;

/**
 * The {@code tokens} function (IAM only: direct invoke, or {@code POST /tokens}, {@code GET /tokens},
 * {@code DELETE /tokens/{id}} on the IAM-authorised API): issues, lists and revokes webhook tokens.
 * {@code {"action":"create","name":…,"routes":["grafana",…],"source_prefix":…,"created_by":…}} answers the token
 * once ({@code "token":"tcn_…"}); only its salted hash is stored. {@code {"action":"list"}};
 * {@code {"action":"revoke","id":…,"revoked_by":…}}.
 */
public class TokensFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Our own limit: a token's name is a label for people (e.g. "grafana-prod"). */
    static final int MAX_NAME_CHARS = 128;
    /** An alert's source is at most 255 characters (ValidateStage.MAX_SOURCE_CHARS), so its prefix is too. */
    static final int MAX_SOURCE_PREFIX_CHARS = 255;
    static final int MAX_ACTOR_CHARS = 255;

    @Inject
    TokenStore store;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    @Funq("tokens")
    public JsonNode tokens(JsonNode event) {
        if (ApiGateway.isProxyEvent(event)) {
            String method = ApiGateway.request(event).method().toUpperCase(Locale.ROOT);
            ObjectNode withAction = event.deepCopy();
            Requests.query(withAction).put("action", switch (method) {
                case "GET" -> "list";
                case "DELETE" -> "revoke";
                default -> "create";
            });
            return Requests.handle(withAction, this::handle);
        }
        return Requests.handle(event, this::handle);
    }

    Answer handle(JsonNode input, Actor actor) {
        return switch (input.path("action").asText("")) {
            case "create" -> create(input, actor);
            case "list" -> list();
            case "revoke" -> revoke(input, actor);
            default -> Answer.invalid(List.of(new Problem("action", "must be create, list or revoke")));
        };
    }

    private Answer create(JsonNode input, Actor actor) {
        List<Problem> problems = new ArrayList<>();
        String name = Requests.requiredText(input, "name", MAX_NAME_CHARS, problems);
        Set<TokenRoute> routes = routes(input.get("routes"), problems);
        String sourcePrefix = Requests.optionalText(input, "source_prefix", MAX_SOURCE_PREFIX_CHARS, problems);
        String createdBy = Requests.optionalText(input, "created_by", MAX_ACTOR_CHARS, problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as stored
        TokenSecrets.Issued issued = TokenSecrets.issue();
        Token token = new Token(issued.id(), name, routes, sourcePrefix, now, createdBy, null, null, null,
                actor.stored(), null);
        AuditLog.Entry record = audit.requested(AuditLog.Kind.TOKEN, "create", token.id(), actor, createdBy,
                json(token));
        store.create(token, issued.salt(), issued.hash());
        audit.completed(record, true, token.id(), null, json(token));
        ObjectNode body = json(token);
        body.put("created", true);
        body.put("token", issued.token().value());
        body.put("note", "Keep the token now: it is shown only this once. Tocsin stores only a salted hash of it.");
        return new Answer(201, body);
    }

    private Answer list() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode tokens = body.putArray("tokens");
        store.list().forEach(token -> tokens.add(json(token)));
        body.put("count", tokens.size());
        return Answer.ok(body);
    }

    private Answer revoke(JsonNode input, Actor actor) {
        List<Problem> problems = new ArrayList<>();
        String id = Requests.requiredText(input, "id", TokenSecrets.ID_CHARS, problems);
        String by = Requests.optionalText(input, "revoked_by", MAX_ACTOR_CHARS, problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        AuditLog.Entry record = audit.requested(AuditLog.Kind.TOKEN, "revoke", id, actor, by,
                JSON.createObjectNode().put("id", id).put("revoked_by", by));
        TokenStore.Revocation revocation = store.revoke(id, by, actor.stored(), clock.instant());
        if (revocation instanceof TokenStore.Revocation.Revoked revoked) {
            ObjectNode after = json(revoked.token());
            audit.completed(record, true, id, null, after);
            return Answer.ok(after.deepCopy().put("revoked", true));
        }
        if (revocation instanceof TokenStore.Revocation.AlreadyRevoked) {
            audit.completed(record, false, id, null, null);
        } else {
            audit.discard(record);
        }
        if (revocation instanceof TokenStore.Revocation.AlreadyRevoked already) {
            return Answer.ok(json(already.token()).put("revoked", false).put("already_revoked", true));
        }
        return Answer.error(404, "not_found", List.of(new Problem("id", "no token " + id)));
    }

    private static Set<TokenRoute> routes(JsonNode node, List<Problem> problems) {
        Set<TokenRoute> routes = EnumSet.noneOf(TokenRoute.class);
        if (node == null || node.isNull()) {
            problems.add(new Problem("routes", "is required: the routes the token may call, among "
                    + TokenRoute.allowed()));
            return routes;
        }
        if (!node.isArray() || node.isEmpty()) {
            problems.add(new Problem("routes", "must be a non-empty list among " + TokenRoute.allowed()));
            return routes;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode value = node.get(i);
            if (!value.isTextual() || TokenRoute.parse(value.asText()).isEmpty()) {
                problems.add(new Problem("routes[" + i + "]", "'" + value.asText() + "' is not one of "
                        + TokenRoute.allowed()));
            } else {
                routes.add(TokenRoute.parse(value.asText()).get());
            }
        }
        return routes;
    }

    /** A token as the admin function shows it: never its secret, salt or hash. */
    static ObjectNode json(Token token) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", token.id());
        node.put("name", token.name());
        ArrayNode routes = node.putArray("routes");
        token.routes().stream().map(TokenRoute::wire).sorted().forEach(routes::add);
        node.put("source_prefix", token.sourcePrefix());
        node.put("status", token.revoked() ? "revoked" : "active");
        node.put("created_at", time(token.createdAt()));
        node.put("created_by", token.createdBy());
        node.put("created_actor", token.createdActor());
        node.put("last_used_at", time(token.lastUsedAt()));
        node.put("revoked_at", time(token.revokedAt()));
        node.put("revoked_by", token.revokedBy());
        node.put("revoked_actor", token.revokedActor());
        return node;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
