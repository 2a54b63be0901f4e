package io.tocsin.ingest;

import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.maintenance.MaintenancePolicy;
import io.tocsin.notify.Texts;

/** Stage 3: an alert inside a maintenance window is recorded with reason maintenance and goes no further. */
@Singleton
public class MaintenanceStage {

    private static final Logger LOG = Logger.getLogger(MaintenanceStage.class);

    private final MaintenancePolicy policy;
    private final IncidentWrites incidents;

    @Inject
    public MaintenanceStage(MaintenancePolicy policy, IncidentWrites incidents) {
        this.policy = policy;
        this.incidents = incidents;
    }

    public Optional<IngestResult> apply(Alert alert) {
        return policy.windowFor(alert, alert.receivedAt()).map(window -> {
            String recordId = UUID.randomUUID().toString();
            incidents.recordSuppressed(recordId, alert, AlertCodec.encode(alert), SuppressionReason.MAINTENANCE,
                    window.id(), alert.receivedAt());
            LOG.infof("Alert suppressed during maintenance: %s", Texts.log(alert.title()));
            return new IngestResult.Suppressed(SuppressionReason.MAINTENANCE, null, recordId, 0, window.id());
        });
    }
}
