package io.tocsin.local;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.tocsin.config.Settings;
import io.tocsin.store.TableBootstrap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Local run only: creates the incident table in dynalite on first start (in AWS it comes from template.yaml). */
public class LocalTable {

    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;

    void onStart(@Observes StartupEvent start) {
        TableBootstrap.ensureTable(dynamo, settings.tableName());
    }
}
