package io.tocsin.token;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import io.tocsin.config.Secret;
import io.tocsin.config.SecretHash;

/**
 * Webhook token secrets: {@code tcn_<id>_<secret>}, where {@code id} (16 hex digits) names the stored item and
 * {@code secret} is 32 bytes from {@link SecureRandom} in unpadded base64url (43 characters). Only a salted hash of
 * the secret is stored.
 *
 * <p>Why HMAC-SHA256 and not a password hash (bcrypt, scrypt, Argon2, PBKDF2): those are deliberately slow to make
 * guessing a <em>low-entropy</em> password from its hash expensive. A token secret is 256 random bits, so there is
 * nothing to guess: finding a secret from its hash is a 2^256 search whatever the hash costs. A slow hash would only
 * add tens of milliseconds of CPU to every webhook call (and make a flood of wrong tokens costlier for us than for
 * the caller). {@code HMAC-SHA256(key = per-token random salt, message = secret)} is one-way, and the salt makes two
 * tokens' hashes unrelated and any precomputed table useless. Comparison is in constant time.
 */
public final class TokenSecrets {

    /** Every token starts with this, so that secret scanners and people can recognise one. */
    public static final String PREFIX = "tcn_";
    /** 64-bit ids: collisions among a deployment's few hundred tokens are negligible, and a create never overwrites. */
    static final int ID_BYTES = 8;
    static final int ID_CHARS = ID_BYTES * 2;
    /** 256-bit secrets (NIST SP 800-63B asks at least 112 bits for random authenticators; 256 leaves no doubt). */
    static final int SECRET_BYTES = 32;
    /** Unpadded base64url length of {@link #SECRET_BYTES}: ceil(32 * 4 / 3). */
    static final int SECRET_CHARS = 43;
    static final int SALT_BYTES = 16;
    /** The whole token: prefix, id, separator, secret. */
    public static final int TOKEN_CHARS = PREFIX.length() + ID_CHARS + 1 + SECRET_CHARS;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private TokenSecrets() {
    }

    /** A token as the caller sends it: the id (not secret) and the secret. */
    public record Presented(String id, Secret secret) {
    }

    /** A new token: the string shown once, and what is stored (id, salt, hash). */
    public record Issued(String id, Secret token, byte[] salt, byte[] hash) {
    }

    public static Issued issue() {
        byte[] id = new byte[ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        RANDOM.nextBytes(salt);
        String idText = HexFormat.of().formatHex(id);
        String secretText = BASE64URL.encodeToString(secret);
        return new Issued(idText, new Secret(PREFIX + idText + "_" + secretText), salt, hash(secretText, salt));
    }

    /** The id and secret of a presented token, or empty when it does not have a token's shape. */
    public static Optional<Presented> parse(String token) {
        if (token == null || token.length() != TOKEN_CHARS || !token.startsWith(PREFIX)
                || token.charAt(PREFIX.length() + ID_CHARS) != '_') {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
        String secret = token.substring(PREFIX.length() + ID_CHARS + 1);
        if (!id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                || !secret.chars().allMatch(TokenSecrets::isBase64Url)) {
            return Optional.empty();
        }
        return Optional.of(new Presented(id, new Secret(secret)));
    }

    /** HMAC-SHA256 of the secret under the token's salt ({@link SecretHash}; the class comment says why). */
    public static byte[] hash(String secret, byte[] salt) {
        return SecretHash.hash(secret, salt);
    }

    /** Whether the presented secret is the one whose hash is stored; constant time in the compared bytes. */
    public static boolean matches(Secret secret, byte[] salt, byte[] storedHash) {
        return SecretHash.matches(secret.value(), salt, storedHash);
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
