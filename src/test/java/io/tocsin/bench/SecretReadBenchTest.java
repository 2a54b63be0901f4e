package io.tocsin.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tocsin.config.SecretStore;
import io.tocsin.support.MutableClock;

/**
 * What reading a secret at run time adds to an invocation (BENCHMARKS.md "Secrets at run time"): the first read in a
 * JVM (the Secrets Manager client's classes loaded and the client built, one GetSecretValue), a read from the cache,
 * and a read again after the cache time. Against a local HTTP fake of the API, so the figures are Tocsin's and the
 * SDK's cost, not the network's. Run alone (the first read is only a first read in a fresh JVM):
 * {@code ./mvnw test -Dbench -Dtest=SecretReadBenchTest}.
 */
@Tag("bench")
class SecretReadBenchTest {

    @Test
    void firstCachedAndRefreshedReads() {
        // what the SecretsManager client adds once the SDK's core is loaded (the DynamoDB client loads it at start-up)
        WireMockServer fake = new WireMockServer(wireMockConfig().dynamicPort());
        fake.start();
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "AKIDBENCH");
        System.setProperty("aws.secretAccessKey", "bench");
        try {
            fake.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody("{\"Name\":\"tocsin/pagerduty\",\"SecretString\":"
                            + "\"{\\\"integration_key\\\":\\\"R0UTINGKEY0123456789ABCDEFGHIJKL\\\"}\"}")));
            // In a function the DynamoDB client is built at start-up: the SDK's core is loaded before any secret is
            // read. So the same here: one DynamoDB GetItem (answered by the fake) before the measurement.
            fake.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", com.github.tomakehurst.wiremock.client.WireMock
                    .equalTo("DynamoDB_20120810.GetItem")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
            try (var dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                    .endpointOverride(java.net.URI.create(fake.baseUrl())).build()) {
                long d0 = System.nanoTime();
                dynamo.getItem(r -> r.tableName("warm-up").key(Map.of("pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("x"))));
                System.out.printf("sdk warm-up: first DynamoDB client and GetItem %.1f ms%n", (System.nanoTime() - d0) / 1e6);
            }
            MutableClock clock = new MutableClock();
            SecretStore store = new SecretStore(new SmallRyeConfigBuilder()
                    .withSources(new EnvConfigSource(Map.of("PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "tocsin/pagerduty"),
                            300))
                    .withSources(new PropertiesConfigSource(Map.of("tocsin.secrets.endpoint-override", fake.baseUrl()),
                            "bench", 250))
                    .build(), clock);
            long t0 = System.nanoTime();
            String first = store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY).orElseThrow().value();
            long t1 = System.nanoTime();
            store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
            long t2 = System.nanoTime();
            clock.advance(SecretStore.CACHE_TTL.plusSeconds(1));
            store.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
            long t3 = System.nanoTime();
            assertEquals("R0UTINGKEY0123456789ABCDEFGHIJKL", first);
            System.out.printf("secret read: first in this JVM %.1f ms (client built + GetSecretValue), cached %.3f ms,"
                    + " after CACHE_TTL %.1f ms (GetSecretValue); %s%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    (t3 - t2) / 1e6, BenchSupport.machine());
        } finally {
            fake.stop();
            System.clearProperty("aws.region");
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
