package io.tocsin.support;

import java.net.URI;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A fresh in-memory dynalite per application start, with the incident table created from TableSchema. */
public class DynaliteResource implements QuarkusTestResourceLifecycleManager {

    public static final String TABLE = "tocsin-test";

    private DynaliteServer server;

    @Override
    public Map<String, String> start() {
        server = DynaliteServer.start(Projects.root(), null);
        try (DynamoDbClient client = client(server.endpoint())) {
            TableBootstrap.ensureTable(client, TABLE);
        }
        return Map.of("quarkus.dynamodb.endpoint-override", server.endpoint(), "tocsin.table-name", TABLE);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A plain SDK client for tests that work below Quarkus. */
    public static DynamoDbClient client(String endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
