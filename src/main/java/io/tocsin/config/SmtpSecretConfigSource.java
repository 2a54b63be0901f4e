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
    private Map<String, String> fields;

    /** As the application loads it (ServiceLoader): the secret named by {@code TOCSIN_SMTP_SECRET_NAME}, if any. */
    public SmtpSecretConfigSource() {
        this(Optional.ofNullable(System.getenv(NAME_VARIABLE)).map(String::trim).filter(s -> !s.isEmpty()),
                () -> SecretStore.client(Optional.empty()));
    }

    SmtpSecretConfigSource(Optional<String> secretName,
            java.util.function.Supplier<software.amazon.awssdk.services.secretsmanager.SecretsManagerClient> client) {
        this.secretName = secretName;
        this.client = client;
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
