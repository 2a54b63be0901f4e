package io.tocsin.snapstart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.tocsin.config.Settings;
import io.tocsin.pagerduty.EventsV2;
import io.tocsin.pagerduty.PagerDutyEventsApi;
import io.tocsin.pagerduty.PagerDutyRestApi;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming (template parameter EnableSnapStart, managed java25/java21 runtime; docs/architecture.md "Cold
 * start"). Lambda initialises the function once, calls the CRaC {@code beforeCheckpoint} hooks and snapshots the
 * result; every cold start then resumes from that snapshot. Quarkus' own hook ({@code quarkus.snapstart.full-warmup}) preloads the
 * application's classes and starts the application; this bean then runs, still inside that hook and before the
 * snapshot, what the first event would otherwise run cold, without touching anything real:
 * <ul>
 *   <li>DynamoDB: one GetItem of a key no Tocsin item has (the SDK's credentials, signing, HTTP and JSON paths). A
 *       function whose role may not GetItem gets AccessDenied, which still went through those paths, and goes on;</li>
 *   <li>Jackson: an alert read and written by the application's ObjectMapper (Funqy's);</li>
 *   <li>PagerDuty: both REST clients (Events API v2, REST API) created and an event body built; nothing is sent.</li>
 * </ul>
 * It runs from the application's start, not as a CRaC resource of its own: a resource registered while the hooks run
 * (which is when Quarkus starts the application) is never called, because Lambda's context copies its list of
 * resources before calling them (aws-lambda-java-runtime-interface-client, crac/ContextImpl). Outside a SnapStart init
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE} other than {@code snap-start}) it does nothing and creates nothing.
 */
@ApplicationScoped
public class SnapStartPriming {

    /** {@code AWS_LAMBDA_INITIALIZATION_TYPE} of a SnapStart init (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html). */
    public static final String SNAP_START = "snap-start";
    /** Partition and sort key of the priming read: no Tocsin item has them (TableSchema's prefixes are INC#, DEDUP#, MAINT). */
    public static final String PRIMING_KEY = "PRIMING#snapstart";
    /** Routing key of the event body built (never sent) while priming: the 32 characters the Events API requires. */
    static final String PRIMING_ROUTING_KEY = "PRIMING" + "0".repeat(Settings.PAGERDUTY_INTEGRATION_KEY_LENGTH - 7);

    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
    private static final String SAMPLE_ALERT = "{\"severity\":\"critical\",\"title\":\"priming\",\"source\":\"snapstart\","
            + "\"metadata\":{\"region\":\"eu-west-1\",\"count\":3}}";

    @ConfigProperty(name = "aws.lambda.initialization-type")
    Optional<String> initializationType;
    @Inject
    Instance<DynamoDbClient> dynamo;
    @Inject
    Instance<ObjectMapper> json;
    @Inject
    Settings settings;
    @Inject
    @RestClient
    Instance<PagerDutyEventsApi> pagerDutyEvents;
    @Inject
    @RestClient
    Instance<PagerDutyRestApi> pagerDutyRest;

    void onStart(@Observes StartupEvent start) {
        if (isSnapStartInit()) {
            LOG.infof("SnapStart: primed %s before the snapshot", prime());
        }
    }

    boolean isSnapStartInit() {
        return initializationType.filter(SNAP_START::equals).isPresent();
    }

    /** Runs the priming; returns what was warmed, in order. */
    public List<String> prime() {
        List<String> primed = new ArrayList<>();
        try {
            AttributeValue key = AttributeValue.fromS(PRIMING_KEY);
            dynamo.get().getItem(r -> r.tableName(settings.tableName())
                    .key(Map.of(TableSchema.PK, key, TableSchema.SK, key)).consistentRead(true));
            primed.add("dynamodb");
        } catch (SdkException refused) {
            primed.add("dynamodb (" + refused.getClass().getSimpleName() + ")");
        }
        try {
            ObjectMapper mapper = json.get();
            JsonNode alert = mapper.readTree(SAMPLE_ALERT);
            mapper.writeValueAsBytes(alert);
            primed.add("jackson");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the priming alert no longer parses", e);
        }
        pagerDutyEvents.get().toString();
        pagerDutyRest.get().toString();
        EventsV2.action(PRIMING_ROUTING_KEY, PRIMING_KEY, "acknowledge");
        primed.add("pagerduty clients");
        return primed;
    }
}
