package io.tocsin.store;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store contract on dynalite (the local engine pinned in infra/dynalite), a fresh in-memory instance. */
class DynaliteStoreTest extends StoreContract {

    private static DynaliteServer server;
    private static DynamoDbClient client;

    @BeforeAll
    static void startDynalite() {
        server = DynaliteServer.start(Projects.root(), null);
        client = meteredClient(URI.create(server.endpoint()), "us-east-1", "test", "test");
    }

    @AfterAll
    static void stopDynalite() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected DynamoDbClient client() {
        return client;
    }

    @Override
    protected String tableName() {
        return "tocsin-store-contract";
    }
}
