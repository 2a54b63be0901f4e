package io.tocsin.config;

/** A configuration value Tocsin cannot run with. The message names the environment variable and what is wrong. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String variable, String problem) {
        super(variable + ": " + problem);
    }
}
