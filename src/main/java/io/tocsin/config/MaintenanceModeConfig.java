package io.tocsin.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The deployment's maintenance mode: {@code MAINTENANCE_MODE}, {@code MAINTENANCE_START}, {@code MAINTENANCE_END};
 * checked by {@link Settings}. Windows created at run time are configured by {@code io.tocsin.maintenance.MaintenanceConfig}.
 */
@ConfigMapping(prefix = "maintenance")
public interface MaintenanceModeConfig {

    @WithDefault("false")
    String mode();

    Optional<String> start();

    Optional<String> end();
}
