package io.tocsin.oncall.store;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.time.Ticker;

/**
 * The on-call document as ingest (routing a new incident) and the escalation sweep see it: {@link OnCallStore#load}
 * (one Query of partition {@code ONCALL}) kept per container for {@link #TTL}, so that a new alert does not pay a read
 * of the on-call configuration. On-call changes reach ingest and the sweep within {@link #TTL}; an {@code apply} in
 * the same container is seen at once ({@link #refresh}). The age is measured on a monotonic {@link Ticker}, not the
 * injected clock (which tests move by days). The first load is made at the application's start, where it fails
 * quietly (a function whose role may not read {@code ONCALL}, a table not reachable yet) and is then made by the
 * first caller: that request pays one Query more (BENCHMARKS.md "On-call escalation").
 */
@Singleton
public class OnCallSnapshot {

    /** How long a loaded document is used before the next caller loads it again (docs/oncall.md "Runtime"). */
    public static final Duration TTL = Duration.ofSeconds(60);

    private static final Logger LOG = Logger.getLogger(OnCallSnapshot.class);

    private record Loaded(OnCallDocument document, long atNanos) {
    }

    private final OnCallStore store;
    private final Ticker ticker;
    private volatile Loaded loaded;

    @Inject
    public OnCallSnapshot(OnCallStore store, Ticker ticker) {
        this.store = store;
        this.ticker = ticker;
    }

    /**
     * The document, loaded now if none is kept or the kept one is {@link #TTL} old.
     *
     * @throws OnCallStore.UnreadableException the stored items do not read as a document
     * @throws RuntimeException                DynamoDB could not be read
     */
    public OnCallDocument current() {
        Loaded kept = loaded;
        long now = ticker.nanos();
        if (kept == null || now - kept.atNanos() < 0 || now - kept.atNanos() >= TTL.toNanos()) {
            kept = new Loaded(store.load(), now);
            loaded = kept;
        }
        return kept.document();
    }

    /** Loads the document now (after an {@code apply} in this container). */
    public void refresh() {
        loaded = new Loaded(store.load(), ticker.nanos());
    }

    /** Forgets the kept document: the next caller loads it. */
    public void invalidate() {
        loaded = null;
    }

    void onStart(@Observes StartupEvent start) {
        if ("snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            return; // a snapshot's copy would be restored at any later time: the first caller loads it
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf("On-call configuration not loaded at start (the first new incident loads it): %s", e);
        }
    }
}
