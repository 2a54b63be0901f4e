package io.tocsin.snapstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.PagerDutyFake;

/** The SnapStart priming hook, run as Lambda runs it before a snapshot, against dynalite and the PagerDuty fake. */
@QuarkusTest
class SnapStartPrimingTest {

    @Inject
    SnapStartPriming priming;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
    }

    @Test
    void primingReadsOneItemThatDoesNotExistAndSendsNothingToPagerDuty() {
        DynamoRequestMeter.Measured<List<String>> measured = DynamoRequestMeter.measure(priming::prime);

        assertEquals(List.of("dynamodb", "jackson", "pagerduty clients"), measured.result());
        assertEquals(Map.of("GetItem", 1), measured.requests(), "one read, no write");
        assertEquals(List.of(), PagerDutyFake.server().getAllServeEvents(), "nothing may reach PagerDuty");
    }

    @Test
    void primingRunsOnlyInASnapStartInit() {
        assertFalse(priming.isSnapStartInit(), "the test run is an ordinary init: nothing may be primed");
        SnapStartPriming snapshot = new SnapStartPriming();
        snapshot.initializationType = Optional.of(SnapStartPriming.SNAP_START);
        assertTrue(snapshot.isSnapStartInit());
        snapshot.initializationType = Optional.of("on-demand");
        assertFalse(snapshot.isSnapStartInit());
        assertEquals(32, SnapStartPriming.PRIMING_ROUTING_KEY.length());
    }
}
