package io.tocsin.store;

import org.junit.jupiter.api.AfterAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store contract on LocalStack's DynamoDB, in a container. Runs only where a Docker engine is available; skipped
 * (not failed) elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackStoreTest extends StoreContract {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse("localstack/localstack:4")).withServices("dynamodb");

    private static DynamoDbClient client;

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    protected DynamoDbClient client() {
        if (client == null) {
            client = meteredClient(LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion(), LOCALSTACK.getAccessKey(),
                    LOCALSTACK.getSecretKey());
        }
        return client;
    }

    @Override
    protected String tableName() {
        return "tocsin-store-contract";
    }
}
