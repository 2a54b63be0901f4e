package io.tocsin.store;

import org.jboss.logging.Logger;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * Creates the incident table from {@link TableSchema} when it does not exist (local run and tests; in AWS the table
 * comes from template.yaml). Safe to call concurrently and repeatedly.
 */
public final class TableBootstrap {

    private static final Logger LOG = Logger.getLogger(TableBootstrap.class);

    private TableBootstrap() {
    }

    public static void ensureTable(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.describeTable(DescribeTableRequest.builder().tableName(tableName).build());
            return;
        } catch (ResourceNotFoundException missing) {
            LOG.infof("Creating DynamoDB table %s", tableName);
        }
        try {
            dynamo.createTable(TableSchema.createTableRequest(tableName));
        } catch (ResourceInUseException raced) {
            // created by someone else in the meantime
        }
        dynamo.waiter().waitUntilTableExists(DescribeTableRequest.builder().tableName(tableName).build());
        enableTtl(dynamo, tableName);
        var status = dynamo.describeTable(DescribeTableRequest.builder().tableName(tableName).build()).table().tableStatus();
        if (status != TableStatus.ACTIVE) {
            throw new IllegalStateException("Table " + tableName + " is " + status + ", not ACTIVE");
        }
    }

    private static void enableTtl(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(tableName)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder()
                            .attributeName(TableSchema.TTL_ATTRIBUTE).enabled(true).build())
                    .build());
        } catch (DynamoDbException unsupported) {
            // dynalite answers UnknownOperationException: TTL is deploy-time configuration (template.yaml), and no
            // decision in Tocsin relies on expired items being deleted.
            LOG.debugf("UpdateTimeToLive not supported by this engine: %s", unsupported.getMessage());
        }
    }
}
