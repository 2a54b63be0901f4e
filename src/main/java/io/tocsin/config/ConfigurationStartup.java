package io.tocsin.config;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.Startup;

/** At start-up, every configuration variable is read and so checked ({@link ConfigurationCheck#verify}). */
@Startup
@Singleton
public class ConfigurationStartup {

    public ConfigurationStartup(Config config) {
        ConfigurationCheck.verify(config);
    }
}
