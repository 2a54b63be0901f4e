package io.tocsin.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The SMTP credentials ({@code quarkus.mailer.username}, {@code quarkus.mailer.password}) from the Secrets Manager
 * secret {@code TOCSIN_SMTP_SECRET_NAME} names (JSON fields {@code username}, {@code password}), read once when the
 * mailer is configured, i.e. when an instance starts: the Quarkus mailer takes its credentials at start-up, so a
 * rotated SMTP secret is used by the instances started after the rotation (docs/deploy.md "Secrets"). Unset: nothing
 * here, and {@code QUARKUS_MAILER_USERNAME}/{@code _PASSWORD} (the local run) apply as usual (they rank higher).
 */
public class SmtpSecretConfigSource implements ConfigSource {

    static final String NAME_VARIABLE = SecretStore.Ref.SMTP_USERNAME.nameVariable();
    private static final Map<String, SecretStore.Ref> PROPERTIES = Map.of(
            "quarkus.mailer.username", SecretStore.Ref.SMTP_USERNAME,
            "quarkus.mailer.password", SecretStore.Ref.SMTP_PASSWORD);

    private final Optional<String> secretName;
    private final java.util.function.Supplier<software.amazon.awssdk.services.secretsmanager.SecretsManagerClient> client;
    private final java.util.function.Supplier<ParameterStore> parameters;
    private Map<String, String> fields;

    /**
     * As the application loads it (ServiceLoader): the secret (or Parameter Store path) named by
     * {@code TOCSIN_SMTP_SECRET_NAME}, if any.
     */
    public SmtpSecretConfigSource() {
        this(Optional.ofNullable(System.getenv(NAME_VARIABLE)).map(String::trim).filter(s -> !s.isEmpty()),
                () -> SecretStore.client(Optional.empty()), () -> new ParameterStore(Optional.empty()));
    }

    SmtpSecretConfigSource(Optional<String> secretName,
            java.util.function.Supplier<software.amazon.awssdk.services.secretsmanager.SecretsManagerClient> client,
            java.util.function.Supplier<ParameterStore> parameters) {
        this.secretName = secretName;
        this.client = client;
        this.parameters = memoized(parameters);
    }

    private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> supplier) {
        return new java.util.function.Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    @Override
    public Set<String> getPropertyNames() {
        return secretName.isPresent() ? PROPERTIES.keySet() : Set.of();
    }

    @Override
    public synchronized String getValue(String property) {
        SecretStore.Ref ref = PROPERTIES.get(property);
        if (ref == null) {
            return null;
        }
        Optional<String> name = secretName;
        if (name.isEmpty()) {
            return null;
        }
        if (SecretStore.inParameterStore(name.get())) {
            // a Parameter Store path: the field is the parameter <path>/<field>, read when the mailer asks for it
            String parameter = name.get() + "/" + ref.field();
            return parameters.get().get(parameter).filter(v -> !v.isBlank()).orElseThrow(() ->
                    new ConfigurationException(NAME_VARIABLE, "there is no parameter " + parameter + " in Parameter Store"));
        }
        if (fields == null) {
            fields = SecretStore.read(client.get(), name.get());
        }
        String value = fields.get(ref.field());
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(NAME_VARIABLE, "the secret " + name.get() + " has no JSON field \""
                    + ref.field() + "\"");
        }
        return value;
    }

    /** Below the environment (300), so that QUARKUS_MAILER_USERNAME/PASSWORD win; above application.properties. */
    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "tocsin-smtp-secret";
    }
}
