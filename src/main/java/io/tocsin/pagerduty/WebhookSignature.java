package io.tocsin.pagerduty;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tocsin.config.Secret;

/**
 * PagerDuty webhooks v3 signatures: {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]}, each the hex HMAC-SHA256 of
 * the raw body under a subscription secret (developer-docs docs/webhooks, "Verifying Signatures"). Several values are
 * sent while a secret is rotated; one match is enough. Compared in constant time.
 */
public final class WebhookSignature {

    public static final String HEADER = "x-pagerduty-signature";
    static final String VERSION_PREFIX = "v1=";

    private WebhookSignature() {
    }

    /** A hex HMAC-SHA256: 32 bytes. */
    private static final java.util.regex.Pattern V1 = java.util.regex.Pattern.compile("v1=[0-9a-fA-F]{64}");

    /**
     * Whether the header has the form of a signature ({@code v1=<64 hex digits>}, one or more, comma-separated): the
     * check that costs nothing, made before the secret is read or any HMAC computed.
     */
    public static boolean wellFormed(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        for (String part : header.split(",")) {
            if (V1.matcher(part.trim()).matches()) {
                return true;
            }
        }
        return false;
    }

    public static boolean verify(byte[] rawBody, String header, List<Secret> secrets) {
        if (header == null || header.isBlank() || secrets.isEmpty()) {
            return false;
        }
        boolean matched = false;
        for (Secret secret : secrets) {
            byte[] expected = hmac(secret, rawBody);
            for (String part : header.split(",")) {
                String value = part.trim();
                if (!value.startsWith(VERSION_PREFIX)) {
                    continue;
                }
                byte[] given;
                try {
                    given = HexFormat.of().parseHex(value.substring(VERSION_PREFIX.length()).toLowerCase());
                } catch (IllegalArgumentException notHex) {
                    continue;
                }
                // no early exit: every candidate is compared, in constant time
                matched |= MessageDigest.isEqual(expected, given);
            }
        }
        return matched;
    }

    /** The header value PagerDuty would send for {@code rawBody} under {@code secret}. */
    public static String sign(byte[] rawBody, Secret secret) {
        return VERSION_PREFIX + HexFormat.of().formatHex(hmac(secret, rawBody));
    }

    private static byte[] hmac(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
