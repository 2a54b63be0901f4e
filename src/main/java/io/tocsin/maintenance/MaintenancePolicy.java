package io.tocsin.maintenance;

import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;

/** Decides whether an alert falls in a maintenance window. Only new alerts are ever suppressed; acks and resolves never. */
@Singleton
public class MaintenancePolicy {

    private final Settings settings;

    @Inject
    public MaintenancePolicy(Settings settings) {
        this.settings = settings;
    }

    /** The window that suppresses {@code alert} at {@code now}, if any. */
    public Optional<MaintenanceWindow> windowFor(Alert alert, Instant now) {
        return settings.environmentMaintenance().filter(window -> window.covers(now));
    }
}
