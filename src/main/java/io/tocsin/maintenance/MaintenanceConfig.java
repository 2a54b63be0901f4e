package io.tocsin.maintenance;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code TOCSIN_MAINTENANCE_*}: windows created at run time. The environment window is MAINTENANCE_MODE/START/END. */
@ConfigMapping(prefix = "tocsin.maintenance")
public interface MaintenanceConfig {

    /** The longest window that may be created: windows must end. */
    @WithDefault("7d")
    Duration maxDuration();

    /**
     * How long a Lambda instance reuses the stored windows it read before reading them again (a window created or
     * deleted elsewhere takes effect within this time; in the instance that made the change, at once). Keeps ingest
     * at two DynamoDB requests per alert.
     */
    @WithDefault("30s")
    Duration cacheTtl();
}
