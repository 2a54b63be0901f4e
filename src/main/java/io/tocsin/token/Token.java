package io.tocsin.token;

import java.time.Instant;
import java.util.Set;

/**
 * A webhook token as stored, without its secret: who it is for ({@code name}), the routes it may call, the prefix
 * every alert source it raises must start with (null: any source), and its times. Revoked tokens are kept (for the
 * record) until they expire from the table. {@code createdActor}/{@code revokedActor}: who AWS authenticated
 * (io.tocsin.api.Actor), next to the typed {@code createdBy}/{@code revokedBy}.
 */
public record Token(String id, String name, Set<TokenRoute> routes, String sourcePrefix, Instant createdAt,
        String createdBy, Instant lastUsedAt, Instant revokedAt, String revokedBy, String createdActor,
        String revokedActor) {

    /** A token without authenticated actors (tokens created before issue 23 have none). */
    public Token(String id, String name, Set<TokenRoute> routes, String sourcePrefix, Instant createdAt,
            String createdBy, Instant lastUsedAt, Instant revokedAt, String revokedBy) {
        this(id, name, routes, sourcePrefix, createdAt, createdBy, lastUsedAt, revokedAt, revokedBy, null, null);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean allows(TokenRoute route) {
        return routes.contains(route);
    }

    /** Whether an alert with this source may be raised with the token. */
    public boolean permitsSource(String source) {
        return sourcePrefix == null || (source != null && source.startsWith(sourcePrefix));
    }
}
