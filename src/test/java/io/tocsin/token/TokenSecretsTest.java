package io.tocsin.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.tocsin.config.Secret;

class TokenSecretsTest {

    @Test
    void anIssuedTokenParsesBackAndMatchesOnlyItsHash() {
        TokenSecrets.Issued issued = TokenSecrets.issue();
        String token = issued.token().value();
        assertEquals(TokenSecrets.TOKEN_CHARS, token.length());
        TokenSecrets.Presented presented = TokenSecrets.parse(token).orElseThrow();
        assertEquals(issued.id(), presented.id());
        assertTrue(TokenSecrets.matches(presented.secret(), issued.salt(), issued.hash()));
        String secret = presented.secret().value();
        String wrong = (secret.charAt(0) == 'A' ? "B" : "A") + secret.substring(1);
        assertFalse(TokenSecrets.matches(new Secret(wrong), issued.salt(), issued.hash()));
        assertFalse(TokenSecrets.matches(presented.secret(), new byte[16], issued.hash()), "another salt");
        assertFalse(TokenSecrets.matches(presented.secret(), null, null), "a revoked token has no hash");
        assertFalse(issued.toString().contains(secret), "a token's toString never shows the secret");
    }

    @Test
    void tokensAreUniqueAndTheirHashesUnrelated() {
        TokenSecrets.Issued a = TokenSecrets.issue();
        TokenSecrets.Issued b = TokenSecrets.issue();
        assertNotEquals(a.id(), b.id());
        assertNotEquals(a.token().value(), b.token().value());
        assertFalse(java.util.Arrays.equals(a.salt(), b.salt()));
        // the same secret under two salts: two unrelated hashes
        byte[] one = TokenSecrets.hash("same", a.salt());
        byte[] two = TokenSecrets.hash("same", b.salt());
        assertFalse(java.util.Arrays.equals(one, two));
        assertArrayEquals(one, TokenSecrets.hash("same", a.salt()), "deterministic");
    }

    @Test
    void anythingNotShapedLikeATokenIsRejectedBeforeAnyLookup() {
        String good = TokenSecrets.issue().token().value();
        for (String bad : new String[] { null, "", "tcn_", good + "x", good.substring(1), "xyz" + good.substring(3),
                good.replace('_', '-'), good.substring(0, 4) + "ABCDEF0123456789" + good.substring(20),
                good.substring(0, good.length() - 1) + "=" }) {
            assertEquals(Optional.empty(), TokenSecrets.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void theAuthorizationHeaderCarriesTheTokenAsBearerOrAsTheBasicPassword() {
        assertEquals(Optional.of("tcn_x"), TokenGate.credential("Bearer tcn_x"));
        assertEquals(Optional.of("tcn_x"), TokenGate.credential("BEARER   tcn_x"));
        String basic = Base64.getEncoder().encodeToString("any-user:tcn_x:y".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of("tcn_x:y"), TokenGate.credential("Basic " + basic), "password after the first colon");
        assertEquals(Optional.of("tcn_x"), TokenGate.credential("basic " + Base64.getEncoder()
                .encodeToString(":tcn_x".getBytes(StandardCharsets.UTF_8))), "empty user name");
        assertEquals(Optional.empty(), TokenGate.credential("Basic !!!"));
        assertEquals(Optional.empty(), TokenGate.credential("Basic " + Base64.getEncoder()
                .encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))));
        assertEquals(Optional.empty(), TokenGate.credential("Bearer"));
        assertEquals(Optional.empty(), TokenGate.credential("Digest abc"));
    }

    @Test
    void routesAreNamedAndTheirPathsAreUnderHooks() {
        for (TokenRoute route : TokenRoute.values()) {
            assertEquals("POST /hooks/" + route.wire(), route.routeKey());
            assertEquals(Optional.of(route), TokenRoute.parse(" " + route.wire().toUpperCase() + " "));
            assertTrue(TokenRoute.isTokenRouteKey(route.routeKey()));
        }
        assertFalse(TokenRoute.isTokenRouteKey("POST /alertmanager"));
        assertFalse(TokenRoute.isTokenRouteKey("POST /ingest"));
        assertEquals(Optional.empty(), TokenRoute.parse("datadog"));
    }
}
