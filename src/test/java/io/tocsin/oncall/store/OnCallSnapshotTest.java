package io.tocsin.oncall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.support.StillTicker;

/** The per-container copy of the on-call document: loaded once per TTL on the monotonic ticker (no application). */
class OnCallSnapshotTest {

    private final AtomicInteger loads = new AtomicInteger();
    private final StillTicker ticker = new StillTicker();
    private final OnCallSnapshot snapshot = new OnCallSnapshot(new OnCallStore(null, null) {
        @Override
        public OnCallDocument load() {
            loads.incrementAndGet();
            return OnCallDocument.EMPTY;
        }
    }, ticker);

    @Test
    void loadsOncePerTtlAndAgainAfterAnInvalidation() {
        assertSame(OnCallDocument.EMPTY, snapshot.current());
        ticker.advance(OnCallSnapshot.TTL.minusNanos(1));
        snapshot.current();
        assertEquals(1, loads.get(), "kept for the TTL");
        ticker.advance(java.time.Duration.ofNanos(1));
        snapshot.current();
        assertEquals(2, loads.get(), "loaded again once the TTL is over");
        snapshot.invalidate();
        snapshot.current();
        snapshot.current();
        assertEquals(3, loads.get(), "an apply in this container is seen by the next caller");
        ticker.advance(java.time.Duration.ofSeconds(-5));
        snapshot.current();
        assertEquals(4, loads.get(), "a ticker that went back (a restored snapshot) loads again");
    }
}
