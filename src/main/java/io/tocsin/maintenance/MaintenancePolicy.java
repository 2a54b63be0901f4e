package io.tocsin.maintenance;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;

/**
 * Decides whether an alert falls in a maintenance window: the environment's (MAINTENANCE_MODE/START/END) or one created
 * at run time, read from the table at most once per {@code tocsin.maintenance.cache-ttl}. Only new alerts are ever
 * suppressed; acknowledges and resolves never are.
 */
@Singleton
public class MaintenancePolicy {

    private final Settings settings;
    private final MaintenanceStore store;
    private final MaintenanceConfig config;
    private final Clock clock;

    private record Cached(Instant loadedAt, List<MaintenanceWindow> windows) {
    }

    private volatile Cached cached;

    @Inject
    public MaintenancePolicy(Settings settings, MaintenanceStore store, MaintenanceConfig config, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** The window that suppresses {@code alert} at {@code now}, if any. */
    public Optional<MaintenanceWindow> windowFor(Alert alert, Instant now) {
        Optional<MaintenanceWindow> environment = settings.environmentMaintenance().map(MaintenanceWindow::environment)
                .filter(w -> w.covers(now));
        if (environment.isPresent()) {
            return environment;
        }
        return stored().stream().filter(w -> w.covers(now) && w.matches(alert)).findFirst();
    }

    /** Forget the cached windows: the next alert reads them again (after a create or delete in this instance). */
    public void invalidate() {
        cached = null;
    }

    private List<MaintenanceWindow> stored() {
        Instant now = clock.instant();
        Cached current = cached;
        if (current == null || now.isBefore(current.loadedAt())
                || !now.isBefore(current.loadedAt().plus(config.cacheTtl()))) {
            current = new Cached(now, store.current(now));
            cached = current;
        }
        return current.windows();
    }
}
