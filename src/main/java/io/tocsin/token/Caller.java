package io.tocsin.token;

import java.util.Optional;

import io.tocsin.api.Problem;

/**
 * Who called a function that serves a token route: an IAM-authenticated caller (direct invoke, or an IAM-authorised
 * API route; any source), or the holder of a webhook token (only sources under its prefix).
 */
public record Caller(Token token) {

    /** A direct invocation or an IAM-authorised route: AWS has authenticated the caller; nothing is restricted. */
    public static final Caller IAM = new Caller(null);

    public Optional<Token> viaToken() {
        return Optional.ofNullable(token);
    }

    /**
     * The key space of the caller's alerts ({@code io.tocsin.alert.KeySpace}): a token's source prefix, or null (the
     * shared space) for IAM callers and tokens without a prefix.
     */
    public String keyScope() {
        return token == null ? null : token.sourcePrefix();
    }

    /** Whether an incident with this stored source may be resolved or joined by the caller. */
    public boolean permits(String source) {
        return token == null || token.permitsSource(source);
    }

    /**
     * Null when an alert with this source may be raised; otherwise the problem (403), naming {@code field}.
     */
    public Problem sourceProblem(String field, String source) {
        if (token == null || token.permitsSource(source)) {
            return null;
        }
        return new Problem(field, "'" + source + "' is outside the source prefix '" + token.sourcePrefix()
                + "' of token '" + token.name() + "'");
    }
}
