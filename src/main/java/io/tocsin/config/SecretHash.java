package io.tocsin.config;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a random secret that callers present (a webhook token, an iCal feed URL) is stored: only
 * {@code HMAC-SHA256(key = a random per-secret salt, message = the secret)}, compared in constant time. Why this and
 * not a password hash: see {@code io.tocsin.token.TokenSecrets} (256 random bits leave nothing to guess; a slow hash
 * would only cost every request CPU).
 */
public final class SecretHash {

    /** 128-bit salts: two secrets' hashes are unrelated and precomputed tables useless. */
    public static final int SALT_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretHash() {
    }

    /** {@code count} bytes from {@link SecureRandom}. */
    public static byte[] random(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A new salt of {@link #SALT_BYTES}. */
    public static byte[] salt() {
        return random(SALT_BYTES);
    }

    /** HMAC-SHA256 of the secret (ASCII) under {@code salt}. */
    public static byte[] hash(String secret, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return mac.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code secret} is the one whose hash is stored; constant time in the compared bytes. */
    public static boolean matches(String secret, byte[] salt, byte[] storedHash) {
        if (salt == null || storedHash == null || salt.length == 0) {
            return false;
        }
        return MessageDigest.isEqual(hash(secret, salt), storedHash);
    }
}
