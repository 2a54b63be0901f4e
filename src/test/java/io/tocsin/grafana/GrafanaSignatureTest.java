package io.tocsin.grafana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.tocsin.api.ApiGateway;
import io.tocsin.config.ConfigurationException;
import io.tocsin.config.Secret;

/** Grafana's HMAC signature as configured: off, body only, a custom header, with a timestamp; bad settings. */
class GrafanaSignatureTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final byte[] BODY = "{\"version\":\"1\",\"alerts\":[]}".getBytes(StandardCharsets.UTF_8);

    record Config(Optional<String> webhookSecret, Optional<String> signatureHeader, Optional<String> timestampHeader,
            Duration timestampTolerance) implements GrafanaConfig {
    }

    private static GrafanaSignature signature(String secret, String header, String timestampHeader) {
        return new GrafanaSignature(new Config(Optional.ofNullable(secret), Optional.ofNullable(header),
                Optional.ofNullable(timestampHeader), Duration.ofMinutes(5)), CLOCK);
    }

    private static ApiGateway.HttpRequest request(Map<String, String> headers) {
        return new ApiGateway.HttpRequest("POST", "/hooks/grafana", headers, Map.of(), BODY);
    }

    private static String hex(String secret, String timestamp) {
        return HexFormat.of().formatHex(GrafanaSignature.sign(new Secret(secret), timestamp, BODY));
    }

    @Test
    void withoutASecretNothingIsChecked() {
        GrafanaSignature off = signature(null, null, null);
        assertFalse(off.configured());
        assertNull(off.problem(request(Map.of())));
        assertFalse(signature(" , ", null, null).configured(), "blank secrets are none");
    }

    @Test
    void withoutATimestampHeaderTheBodyAloneIsSigned() {
        GrafanaSignature on = signature("s3cret", null, null);
        assertNull(on.problem(request(Map.of("x-grafana-alerting-signature", hex("s3cret", null)))));
        assertNull(on.problem(request(Map.of("x-grafana-alert-signature", hex("s3cret", null).toUpperCase()))),
                "Grafana's signer default header; hex in either case");
        assertEquals("x-grafana-alerting-signature", on.problem(request(Map.of())).field());
        assertTrue(on.problem(request(Map.of("x-grafana-alerting-signature", hex("other", null)))).message()
                .contains("does not match"));
    }

    @Test
    void aConfiguredHeaderIsTheOnlyOneRead() {
        GrafanaSignature custom = signature("s3cret", "X-Tocsin-Signature", null);
        assertNull(custom.problem(request(Map.of("x-tocsin-signature", hex("s3cret", null)))));
        assertEquals("x-tocsin-signature", custom.problem(request(Map.of("x-grafana-alerting-signature",
                hex("s3cret", null)))).field());
    }

    @Test
    void aTimestampIsSignedAndMustBeRecent() {
        GrafanaSignature timed = signature("s3cret", null, "X-Grafana-Alerting-Timestamp");
        String now = Long.toString(CLOCK.instant().getEpochSecond());
        assertNull(timed.problem(request(Map.of("x-grafana-alerting-timestamp", now,
                "x-grafana-alerting-signature", hex("s3cret", now)))));
        assertEquals("x-grafana-alerting-signature", timed.problem(request(Map.of("x-grafana-alerting-timestamp", now,
                "x-grafana-alerting-signature", hex("s3cret", null)))).field(), "the body alone is not enough");
        String old = Long.toString(CLOCK.instant().minus(Duration.ofMinutes(5).plusSeconds(1)).getEpochSecond());
        assertEquals("x-grafana-alerting-timestamp", timed.problem(request(Map.of("x-grafana-alerting-timestamp", old,
                "x-grafana-alerting-signature", hex("s3cret", old)))).field());
        assertEquals("x-grafana-alerting-timestamp", timed.problem(request(Map.of("x-grafana-alerting-timestamp",
                "yesterday", "x-grafana-alerting-signature", hex("s3cret", "yesterday")))).field());
    }

    @Test
    void aToleranceMustBePositive() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new GrafanaSignature(
                new Config(Optional.of("s"), Optional.empty(), Optional.empty(), Duration.ZERO), CLOCK));
        assertTrue(e.getMessage().startsWith("TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE"), e.getMessage());
    }
}
