package io.tocsin.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code MAINTENANCE_MODE}, {@code MAINTENANCE_START}, {@code MAINTENANCE_END}; checked by {@link Settings}. */
@ConfigMapping(prefix = "maintenance")
public interface MaintenanceConfig {

    @WithDefault("false")
    String mode();

    Optional<String> start();

    Optional<String> end();
}
