package io.tocsin.oncall.feed;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import io.tocsin.config.Secret;
import io.tocsin.config.SecretHash;

/**
 * iCal feed secrets. Calendar apps fetch a URL and can send no header, so the secret is the URL's last segment:
 * {@code tcf_<id>_<secret>.ics}, {@code id} 16 hex digits naming the stored item, {@code secret} 32 random bytes in
 * unpadded base64url (43 characters). Only {@link SecretHash}'s salted HMAC of the secret is stored, as for webhook
 * tokens (io.tocsin.token.TokenSecrets explains the choice).
 */
public final class FeedSecrets {

    /** Every feed secret starts with this, so that secret scanners and people can recognise one. */
    public static final String PREFIX = "tcf_";
    /** The file name suffix calendar apps expect. */
    public static final String SUFFIX = ".ics";
    static final int ID_BYTES = 8;
    static final int ID_CHARS = ID_BYTES * 2;
    /** 256-bit secrets, as webhook tokens (NIST SP 800-63B asks at least 112 bits). */
    static final int SECRET_BYTES = 32;
    /** Unpadded base64url length of {@link #SECRET_BYTES}: ceil(32 * 4 / 3). */
    static final int SECRET_CHARS = 43;
    /** The whole URL segment: prefix, id, separator, secret, suffix. */
    public static final int SEGMENT_CHARS = PREFIX.length() + ID_CHARS + 1 + SECRET_CHARS + SUFFIX.length();

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private FeedSecrets() {
    }

    /** A presented feed segment: the id (not secret) and the secret. */
    public record Presented(String id, Secret secret) {
    }

    /** A new feed: the URL segment shown once, and what is stored (id, salt, hash). */
    public record Issued(String id, Secret segment, byte[] salt, byte[] hash) {
    }

    public static Issued issue() {
        String id = HexFormat.of().formatHex(SecretHash.random(ID_BYTES));
        String secret = BASE64URL.encodeToString(SecretHash.random(SECRET_BYTES));
        byte[] salt = SecretHash.salt();
        return new Issued(id, new Secret(PREFIX + id + "_" + secret + SUFFIX), salt, SecretHash.hash(secret, salt));
    }

    /** The id and secret of a URL segment, or empty when it does not have a feed segment's shape. */
    public static Optional<Presented> parse(String segment) {
        if (segment == null || segment.length() != SEGMENT_CHARS || !segment.startsWith(PREFIX)
                || !segment.endsWith(SUFFIX) || segment.charAt(PREFIX.length() + ID_CHARS) != '_') {
            return Optional.empty();
        }
        String id = segment.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
        String secret = segment.substring(PREFIX.length() + ID_CHARS + 1, segment.length() - SUFFIX.length());
        if (!id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                || !secret.chars().allMatch(FeedSecrets::isBase64Url)) {
            return Optional.empty();
        }
        return Optional.of(new Presented(id, new Secret(secret)));
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
