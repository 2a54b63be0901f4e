package io.tocsin.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tocsin.support.MutableClock;

/**
 * The run-time secrets through the real AWS SDK Secrets Manager client, against an HTTP fake of the Secrets Manager
 * API (WireMock answering {@code secretsmanager.GetSecretValue} as AWS does): read on first use only, cached for
 * {@link SecretStore#CACHE_TTL}, read again after a refused value (rotation) but not more than once per
 * {@link SecretStore#MIN_REFRESH_INTERVAL}; a value set directly in the environment needs no AWS at all.
 */
class SecretStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer secretsManager;
    private final MutableClock clock = new MutableClock();

    @BeforeAll
    static void start() {
        secretsManager = new WireMockServer(wireMockConfig().dynamicPort());
        secretsManager.start();
        // the SDK's default chains: region and credentials from system properties (in Lambda: AWS_REGION, the role)
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret-key");
    }

    @AfterAll
    static void stop() {
        secretsManager.stop();
        System.clearProperty("aws.region");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void reset() {
        secretsManager.resetAll();
    }

    private void secret(String name, Map<String, String> fields) throws Exception {
        secretsManager.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(name)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(JSON.createObjectNode().put("ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:"
                                + name + "-AbCdEf").put("Name", name).put("VersionId", "v-" + fields.hashCode())
                                .put("SecretString", JSON.writeValueAsString(fields))
                                .put("CreatedDate", 1.7e9).toString())));
    }

    private int reads(String name) {
        return secretsManager.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(name))).build()).getCount();
    }

    private SecretStore store(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return new SecretStore(new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(Map.of("tocsin.secrets.endpoint-override",
                        secretsManager.baseUrl(), "tocsin.parameters.endpoint-override", secretsManager.baseUrl()),
                        "test", 250))
                .build(), clock);
    }

    @Test
    void aSecretIsReadOnFirstUseAndCached() throws Exception {
        secret("tocsin/pagerduty", Map.of("integration_key", "R0UTINGKEY0123456789ABCDEFGHIJKL"));
        SecretStore store = store("PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "tocsin/pagerduty");
        assertTrue(store.configured(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY));
        assertEquals(0, reads("tocsin/pagerduty"), "nothing read at start-up");
        assertEquals("R0UTINGKEY0123456789ABCDEFGHIJKL",
                store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY).orElseThrow().value());
        store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
        clock.advance(SecretStore.CACHE_TTL.minusSeconds(1));
        store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
        assertEquals(1, reads("tocsin/pagerduty"), "one read while cached");
        var request = secretsManager.getAllServeEvents().get(0).getRequest();
        assertTrue(request.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
                "a SigV4-signed request: " + request.getHeader("Authorization"));
        assertTrue(request.getHeader("Authorization").contains("/eu-west-1/secretsmanager/"));
        clock.advance(Duration.ofSeconds(2));
        store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
        assertEquals(2, reads("tocsin/pagerduty"), "read again after CACHE_TTL");
    }

    @Test
    void aRotatedSecretIsReadAgainWhenItsValueIsRefusedButNotMoreOftenThanTheInterval() throws Exception {
        secret("tocsin/pagerduty-webhook", Map.of("webhook_secret", "old-secret"));
        SecretStore store = store("PAGERDUTY_WEBHOOK_SECRET_NAME", "tocsin/pagerduty-webhook");
        assertEquals(List.of("old-secret"), values(store.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET)));
        secret("tocsin/pagerduty-webhook", Map.of("webhook_secret", "new-secret, old-secret"));
        assertFalse(store.refused(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET), "read just now: not again yet");
        assertEquals(List.of("old-secret"), values(store.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET)));
        clock.advance(SecretStore.MIN_REFRESH_INTERVAL);
        assertTrue(store.refused(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET));
        assertEquals(List.of("new-secret", "old-secret"), values(store.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET)));
        for (int i = 0; i < 100; i++) {
            store.refused(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET); // a flood of forged signatures
            store.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET);
        }
        assertEquals(2, reads("tocsin/pagerduty-webhook"), "a flood of refusals is not a flood of reads");
    }

    @Test
    void aValueInTheEnvironmentNeedsNoAws() {
        SecretStore store = store("PAGERDUTY_INTEGRATION_KEY", "LOCALKEY0123456789ABCDEFGHIJKLMN",
                "PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "tocsin/pagerduty");
        assertEquals("LOCALKEY0123456789ABCDEFGHIJKLMN",
                store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY).orElseThrow().value());
        assertTrue(store.get(SecretStore.Ref.PAGERDUTY_API_KEY).isEmpty());
        assertFalse(store.configured(SecretStore.Ref.GRAFANA_WEBHOOK_SECRET));
        assertEquals(0, secretsManager.getAllServeEvents().size());
    }

    @Test
    void aSecretWithoutItsFieldNamesTheVariableAndNotTheValue() throws Exception {
        secret("tocsin/smtp", Map.of("user", "AKIASMTP", "password", "hunter2-smtp"));
        SecretStore store = store("TOCSIN_SMTP_SECRET_NAME", "tocsin/smtp");
        var error = assertThrows(ConfigurationException.class, () -> store.get(SecretStore.Ref.SMTP_USERNAME));
        assertTrue(error.getMessage().startsWith("TOCSIN_SMTP_SECRET_NAME: "), error.getMessage());
        assertTrue(error.getMessage().contains("\"username\""), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
        assertEquals("hunter2-smtp", store.get(SecretStore.Ref.SMTP_PASSWORD).orElseThrow().value());
    }

    @Test
    void anUnknownSecretIsAClearError() {
        SecretStore store = store("PAGERDUTY_API_KEY_SECRET_NAME", "tocsin/missing");
        secretsManager.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}")));
        var error = assertThrows(IllegalStateException.class, () -> store.get(SecretStore.Ref.PAGERDUTY_API_KEY));
        assertTrue(error.getMessage().contains("tocsin/missing"), error.getMessage());
        assertTrue(error.getMessage().contains("can't find"), error.getMessage());
    }

    @Test
    void theSmtpCredentialsAreReadOnceForTheMailerAndTheEnvironmentWins() throws Exception {
        secret("tocsin/smtp", Map.of("username", "AKIASMTPUSER", "password", "smtp-password-1"));
        SmtpSecretConfigSource source = new SmtpSecretConfigSource(java.util.Optional.of("tocsin/smtp"),
                () -> SecretStore.client(java.util.Optional.of(java.net.URI.create(secretsManager.baseUrl()))),
                () -> {
                    throw new AssertionError("a secret name, not a Parameter Store path");
                });
        assertEquals(java.util.Set.of("quarkus.mailer.username", "quarkus.mailer.password"), source.getPropertyNames());
        assertEquals(0, reads("tocsin/smtp"), "nothing read until the mailer asks");
        assertEquals("AKIASMTPUSER", source.getValue("quarkus.mailer.username"));
        assertEquals("smtp-password-1", source.getValue("quarkus.mailer.password"));
        assertEquals(null, source.getValue("quarkus.mailer.host"));
        assertEquals(1, reads("tocsin/smtp"), "one read for both fields");
        assertTrue(source.getOrdinal() < 300 && source.getOrdinal() > 250,
                "below the environment (QUARKUS_MAILER_USERNAME wins), above application.properties");
        SmtpSecretConfigSource none = new SmtpSecretConfigSource(java.util.Optional.empty(), () -> {
            throw new AssertionError("no client without a secret name");
        }, () -> {
            throw new AssertionError("no client without a secret name");
        });
        assertTrue(none.getPropertyNames().isEmpty());
        assertEquals(null, none.getValue("quarkus.mailer.password"));
    }

    @Test
    void anUnreadableKeyLeavesThePageToBeRetriedNotTheInvocationFailed() {
        secretsManager.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"InternalServiceError\",\"Message\":\"try again\"}")));
        SecretStore store = store("PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "tocsin/pagerduty");
        var outcome = new io.tocsin.pagerduty.PagerDutyNotifier(null, null, store)
                .send(io.tocsin.delivery.PagerDutyAction.ACKNOWLEDGE, "inc-1", null);
        assertTrue(outcome instanceof io.tocsin.notify.Outcome.RetryAfter, String.valueOf(outcome));
        assertTrue(String.valueOf(outcome).contains("tocsin/pagerduty"), String.valueOf(outcome));
    }

    // ------------------------------------------------------------------------------------------------ Parameter Store

    /** A SecureString parameter as SSM's GetParameter answers it (JSON 1.1, WithDecryption). */
    private void parameter(String name, String value) {
        secretsManager.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .withRequestBody(matchingJsonPath("$.Name", equalTo(name)))
                .withRequestBody(matchingJsonPath("$.WithDecryption", equalTo("true")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(JSON.createObjectNode().set("Parameter", JSON.createObjectNode().put("Name", name)
                                .put("Type", "SecureString").put("Value", value).put("Version", 1)
                                .put("ARN", "arn:aws:ssm:eu-west-1:123456789012:parameter" + name)).toString())));
    }

    private int parameterReads(String name) {
        return secretsManager.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .withRequestBody(matchingJsonPath("$.Name", equalTo(name))).build()).getCount();
    }

    @Test
    void aParameterStorePathIsReadOneFieldParameterAtATimeSignedForSsmAndCached() {
        parameter("/tocsin/pagerduty/integration_key", "R0UTINGKEY0123456789ABCDEFGHIJKL");
        parameter("/tocsin/pagerduty/api_key", "rest-api-key");
        SecretStore store = store("PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "/tocsin/pagerduty",
                "PAGERDUTY_API_KEY_SECRET_NAME", "/tocsin/pagerduty");
        assertEquals(0, secretsManager.getAllServeEvents().size(), "nothing read at start-up");
        assertEquals("R0UTINGKEY0123456789ABCDEFGHIJKL",
                store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY).orElseThrow().value());
        assertEquals(1, secretsManager.getAllServeEvents().size(), "only the field asked for is read");
        assertEquals("rest-api-key", store.get(SecretStore.Ref.PAGERDUTY_API_KEY).orElseThrow().value());
        clock.advance(SecretStore.CACHE_TTL.minusSeconds(1));
        store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
        assertEquals(1, parameterReads("/tocsin/pagerduty/integration_key"), "one read while cached");
        var request = secretsManager.getAllServeEvents().get(0).getRequest();
        assertTrue(request.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
                request.getHeader("Authorization"));
        assertTrue(request.getHeader("Authorization").contains("/eu-west-1/ssm/aws4_request"),
                request.getHeader("Authorization"));
        clock.advance(Duration.ofSeconds(2));
        store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
        assertEquals(2, parameterReads("/tocsin/pagerduty/integration_key"), "read again after CACHE_TTL");
        assertEquals(0, secretsManager.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue")).build()).getCount());
    }

    @Test
    void aRotatedParameterIsReadAgainWhenRefusedButNotMoreOftenThanTheInterval() {
        parameter("/tocsin/pagerduty-webhook/webhook_secret", "old-secret");
        SecretStore store = store("PAGERDUTY_WEBHOOK_SECRET_NAME", "/tocsin/pagerduty-webhook");
        assertEquals(List.of("old-secret"), values(store.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET)));
        parameter("/tocsin/pagerduty-webhook/webhook_secret", "new-secret,old-secret");
        assertFalse(store.refused(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET), "read just now: not again yet");
        clock.advance(SecretStore.MIN_REFRESH_INTERVAL);
        assertTrue(store.refused(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET));
        assertEquals(List.of("new-secret", "old-secret"), values(store.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET)));
        for (int i = 0; i < 100; i++) {
            store.refused(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET);
            store.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET);
        }
        assertEquals(2, parameterReads("/tocsin/pagerduty-webhook/webhook_secret"));
    }

    @Test
    void aMissingParameterNamesItAndAFailedReadIsAClearError() {
        secretsManager.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"ParameterNotFound\",\"message\":\"\"}")));
        SecretStore store = store("TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME", "/tocsin/grafana");
        var missing = assertThrows(ConfigurationException.class,
                () -> store.get(SecretStore.Ref.GRAFANA_WEBHOOK_SECRET));
        assertTrue(missing.getMessage().startsWith("TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME: "), missing.getMessage());
        assertTrue(missing.getMessage().contains("/tocsin/grafana/webhook_secret"), missing.getMessage());
        secretsManager.resetAll();
        secretsManager.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"AccessDeniedException\",\"Message\":\"not authorized to perform ssm:GetParameter\"}")));
        SecretStore denied = store("PAGERDUTY_API_KEY_SECRET_NAME", "/tocsin/pagerduty");
        var error = assertThrows(IllegalStateException.class, () -> denied.get(SecretStore.Ref.PAGERDUTY_API_KEY));
        assertTrue(error.getMessage().contains("/tocsin/pagerduty/api_key"), error.getMessage());
        assertTrue(error.getMessage().contains("AccessDeniedException"), error.getMessage());
    }

    @Test
    void theSmtpCredentialsFromParameterStore() {
        parameter("/tocsin/smtp/username", "AKIASMTPUSER");
        parameter("/tocsin/smtp/password", "smtp-password-2");
        SmtpSecretConfigSource source = new SmtpSecretConfigSource(java.util.Optional.of("/tocsin/smtp"), () -> {
            throw new AssertionError("a Parameter Store path, not a secret");
        }, () -> new ParameterStore(java.util.Optional.of(java.net.URI.create(secretsManager.baseUrl()))));
        assertEquals("AKIASMTPUSER", source.getValue("quarkus.mailer.username"));
        assertEquals("smtp-password-2", source.getValue("quarkus.mailer.password"));
        assertEquals(1, parameterReads("/tocsin/smtp/username"));
        assertEquals(1, parameterReads("/tocsin/smtp/password"));
    }

    private static List<String> values(List<Secret> secrets) {
        return secrets.stream().map(Secret::value).toList();
    }
}
