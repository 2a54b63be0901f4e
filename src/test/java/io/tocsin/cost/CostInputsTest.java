package io.tocsin.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.config.Settings;
import io.tocsin.dedup.DedupStore;
import io.tocsin.incident.IncidentStore;
import io.tocsin.store.Attr;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.store.TableSchema;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Measures what {@link CostModel} takes as given: per path, the DynamoDB requests, the write and read request units
 * they would be billed on on-demand DynamoDB ({@link CapacityRecorder}), the bytes of log written, and the stored
 * sizes of an incident, a dedup claim and its entry in the keys-only {@code claims} index. Every value must equal {@link CostModel#MEASURED} and the sizes there: when a
 * change of the code moves one, this test fails and prints the new values; paste them into CostModel and regenerate
 * the cost table ({@code ./mvnw test -Dtest='Cost*Test'}, see BENCHMARKS.md "Cost per alert").
 */
@QuarkusTest
@TestProfile(CostPaths.Profile.class)
class CostInputsTest {

    @Inject
    CostPaths paths;
    @Inject
    MutableClock clock;
    @Inject
    Settings settings;
    @Inject
    DynamoDbClient dynamo;
    @ConfigProperty(name = "quarkus.dynamodb.endpoint-override")
    String endpoint;

    private record Sample(double requests, double writeUnits, double readUnits, double logBytes) {
    }

    private <T> Sample measure(Supplier<T> work) {
        try (DynamoDbClient plain = DynaliteResource.client(endpoint)) {
            CapacityRecorder.start(plain);
            try {
                var printed = CostPaths.printed(() -> DynamoRequestMeter.measure(work));
                List<CapacityRecorder.Use> uses = CapacityRecorder.stop();
                return new Sample(printed.result().total(), uses.stream().mapToDouble(CapacityRecorder.Use::writeUnits).sum(),
                        uses.stream().mapToDouble(CapacityRecorder.Use::readUnits).sum(), printed.bytes());
            } finally {
                CapacityRecorder.stop();
            }
        }
    }

    private static Sample mean(List<Sample> samples) {
        return new Sample(samples.stream().mapToDouble(Sample::requests).average().orElseThrow(),
                samples.stream().mapToDouble(Sample::writeUnits).average().orElseThrow(),
                samples.stream().mapToDouble(Sample::readUnits).average().orElseThrow(),
                samples.stream().mapToDouble(Sample::logBytes).average().orElseThrow());
    }

    @Test
    void theCostModelsInputsAreWhatTheCodeDoes() {
        PagerDutyFake.reset();
        // the rollups in service, as in a deployment upgraded weeks ago: the first sweep starts them, a sweep ten
        // minutes before the measures keeps their cursor current, so that the dashboard and the summary read them
        // (steady state), not every incident
        clock.set(Instant.parse("2030-02-15T00:00:00Z"));
        paths.sweep();
        clock.set(Instant.parse("2030-03-04T08:50:00Z"));
        paths.sweep();
        clock.set(Instant.parse("2030-03-04T09:00:00Z"));
        // the paths whose reads grow with the table, measured on an empty one: their floor (CostModel adds the items)
        Sample dashboard = measure(paths::dashboard);
        Sample summary = measure(paths::summary);
        // one alert first, so that the instance's maintenance-window cache is warm, as it is for most alerts
        paths.newAlert(CostPaths.alert("warm-up", 99));

        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        List<Long> incidentBytes = new ArrayList<>();
        List<Long> claimBytes = new ArrayList<>();
        List<Long> claimIndexBytes = new ArrayList<>();
        for (int i = 0; i < CostPaths.SEVERITIES.size(); i++) {
            var alert = CostPaths.alert("cost", i);
            List<JsonNode> answers = new ArrayList<>();
            samples.computeIfAbsent("new alert", k -> new ArrayList<>()).add(measure(() -> answers.add(paths.newAlert(alert))));
            String id = answers.get(0).path("incident_id").asText();
            assertEquals("created", answers.get(0).path("status").asText(), answers.get(0).toString());
            samples.computeIfAbsent("duplicate", k -> new ArrayList<>()).add(measure(() -> paths.newAlert(alert)));
            samples.computeIfAbsent("incident view", k -> new ArrayList<>()).add(measure(() -> paths.view(id)));
            samples.computeIfAbsent("acknowledge", k -> new ArrayList<>()).add(measure(() -> paths.acknowledge(id)));
            samples.computeIfAbsent("resolve", k -> new ArrayList<>()).add(measure(() -> paths.resolve(id)));
            var stored = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(IncidentStore.partitionKey(id), IncidentStore.SK_META)).consistentRead(true).build()).item();
            incidentBytes.add(ItemSize.of(stored));
            var claimItem = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(DedupStore.partitionKey(stored.get("dedup_key").s()), "CLAIM")).consistentRead(true)
                    .build()).item();
            claimBytes.add(ItemSize.of(claimItem));
            claimIndexBytes.add(CapacityRecorder.entrySize(claimItem, TableSchema.INDEXES.stream()
                    .filter(index -> index.name().equals(TableSchema.GSI_CLAIMS)).findFirst().orElseThrow()));
        }
        Sample sweep = measure(paths::sweep);

        Map<String, CostModel.PathUse> measured = new LinkedHashMap<>();
        samples.forEach((path, list) -> {
            Sample m = mean(list);
            measured.put(path, new CostModel.PathUse(path, m.requests(), m.writeUnits(), m.readUnits(), m.logBytes()));
        });
        measured.put("sweep (idle)", new CostModel.PathUse("sweep (idle)", sweep.requests(), sweep.writeUnits(),
                sweep.readUnits(), sweep.logBytes()));
        measured.put("dashboard view (floor)", new CostModel.PathUse("dashboard view (floor)", dashboard.requests(),
                dashboard.writeUnits(), dashboard.readUnits(), dashboard.logBytes()));
        measured.put("daily summary (floor)", new CostModel.PathUse("daily summary (floor)", summary.requests(),
                summary.writeUnits(), summary.readUnits(), summary.logBytes()));
        double incident = incidentBytes.stream().mapToLong(Long::longValue).average().orElseThrow();
        double claim = claimBytes.stream().mapToLong(Long::longValue).average().orElseThrow();
        double claimEntry = claimIndexBytes.stream().mapToLong(Long::longValue).average().orElseThrow();

        StringBuilder print = new StringBuilder("=== COST INPUTS (paste into CostModel if they changed)\n");
        measured.values().forEach(p -> print.append(String.format("            new PathUse(\"%s\", %s, %s, %s, %s),%n",
                p.path(), p.requests(), p.writeUnits(), p.readUnits(), p.logBytes())));
        print.append("    INCIDENT_BYTES = ").append(incident).append(", CLAIM_BYTES = ").append(claim)
                .append(", CLAIM_INDEX_ENTRY_BYTES = ").append(claimEntry).append('\n');
        System.out.println(print);

        assertEquals(List.copyOf(CostModel.MEASURED), List.copyOf(measured.values()), print.toString());
        assertEquals(CostModel.INCIDENT_BYTES, incident, print.toString());
        assertEquals(CostModel.CLAIM_BYTES, claim, print.toString());
        assertEquals(CostModel.CLAIM_INDEX_ENTRY_BYTES, claimEntry, print.toString());
        assertTrue(incident > 1000, "a resolved incident item is more than 1 KB: " + incident);
    }
}
