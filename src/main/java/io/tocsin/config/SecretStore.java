package io.tocsin.config;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Tocsin's secrets at run time. Each {@link Ref} is read, in this order, from its value variable (e.g.
 * {@code PAGERDUTY_INTEGRATION_KEY}: the local run and the tests, no AWS needed) or from where its name variable
 * (e.g. {@code PAGERDUTY_INTEGRATION_KEY_SECRET_NAME}, what template.yaml sets: the environment holds no secret)
 * points: a path such as {@code /tocsin/pagerduty} is SSM Parameter Store, one SecureString parameter per field
 * ({@code /tocsin/pagerduty/integration_key}, {@link ParameterStore}); any other name is an AWS Secrets Manager secret
 * holding the fields as JSON (the format before issue 24, still read). A secret is read when first needed (no cost at start-up), kept for {@link #CACHE_TTL},
 * and read again sooner when its value was {@link #refused refused} (rotated), at most once per
 * {@link #MIN_REFRESH_INTERVAL}.
 */
@ApplicationScoped
public class SecretStore {

    private static final Logger LOG = Logger.getLogger(SecretStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * 5 minutes: the default cache time of AWS's own Lambda extension for Secrets Manager (AWS Parameters and Secrets
     * Lambda Extension, {@code SECRETS_MANAGER_TTL} 300 s): a rotated secret is in use everywhere within it.
     */
    public static final Duration CACHE_TTL = Duration.ofMinutes(5);

    /**
     * A refused value (a webhook signature no secret matches, PagerDuty refusing the key) makes the next use read the
     * secret again, but not more often than every 30 s per instance: a flood of forged signatures must not become a
     * flood of GetSecretValue calls (each one billed, and throttled by Secrets Manager per account).
     */
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

    /** A secret Tocsin reads: its value variable, the variable naming its Secrets Manager secret, its JSON field. */
    public enum Ref {
        PAGERDUTY_INTEGRATION_KEY("pagerduty.integration-key", "PAGERDUTY_INTEGRATION_KEY",
                "PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "integration_key"),
        PAGERDUTY_API_KEY("pagerduty.api-key", "PAGERDUTY_API_KEY", "PAGERDUTY_API_KEY_SECRET_NAME", "api_key"),
        PAGERDUTY_WEBHOOK_SECRET("pagerduty.webhook-secret", "PAGERDUTY_WEBHOOK_SECRET",
                "PAGERDUTY_WEBHOOK_SECRET_NAME", "webhook_secret"),
        GRAFANA_WEBHOOK_SECRET("tocsin.grafana.webhook-secret", "TOCSIN_GRAFANA_WEBHOOK_SECRET",
                "TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME", "webhook_secret"),
        SMTP_USERNAME("quarkus.mailer.username", "QUARKUS_MAILER_USERNAME", "TOCSIN_SMTP_SECRET_NAME", "username"),
        SMTP_PASSWORD("quarkus.mailer.password", "QUARKUS_MAILER_PASSWORD", "TOCSIN_SMTP_SECRET_NAME", "password");

        private final String property;
        private final String valueVariable;
        private final String nameVariable;
        private final String field;

        Ref(String property, String valueVariable, String nameVariable, String field) {
            this.property = property;
            this.valueVariable = valueVariable;
            this.nameVariable = nameVariable;
            this.field = field;
        }

        public String valueVariable() {
            return valueVariable;
        }

        public String nameVariable() {
            return nameVariable;
        }

        public String field() {
            return field;
        }

        /** The configuration property of the name variable ({@code PAGERDUTY_API_KEY_SECRET_NAME} → dotted). */
        String nameProperty() {
            return nameVariable.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        }
    }

    private record Fetched(Map<String, String> fields, Instant at) {
    }

    private final Config config;
    private final Clock clock;
    private final Optional<URI> endpoint;
    private final Map<String, Fetched> cache = new HashMap<>();
    private SecretsManagerClient client;
    private final ParameterStore parameters;

    @Inject
    public SecretStore(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        // plumbing for tests against a fake (or LocalStack); unset in AWS
        this.endpoint = config.getOptionalValue("tocsin.secrets.endpoint-override", String.class).map(URI::create);
        this.parameters = new ParameterStore(
                config.getOptionalValue("tocsin.parameters.endpoint-override", String.class).map(URI::create));
    }

    /**
     * Whether a secret name is a Parameter Store path ({@code /tocsin/pagerduty}): then each field is its own
     * SecureString parameter under it ({@code /tocsin/pagerduty/integration_key}), and a function is granted exactly
     * the fields it reads. Otherwise it names a Secrets Manager secret whose JSON holds the fields.
     */
    static boolean inParameterStore(String name) {
        return name.startsWith("/");
    }

    /** Where {@code ref}'s value is cached: its parameter, or its secret (whose fields are read together). */
    private static String source(String name, Ref ref) {
        return inParameterStore(name) ? name + "/" + ref.field() : name;
    }

    /** The secret's name in Secrets Manager, when its value is not given directly. */
    public Optional<String> secretName(Ref ref) {
        if (value(ref).isPresent()) {
            return Optional.empty();
        }
        return text(ref.nameVariable(), ref.nameProperty());
    }

    /** Whether the secret is configured at all (a value or a secret name), without reading it. */
    public boolean configured(Ref ref) {
        return value(ref).isPresent() || secretName(ref).isPresent();
    }

    /** The secret's value; empty when it is not configured. A secret that cannot be read throws. */
    public Optional<Secret> get(Ref ref) {
        Optional<String> direct = value(ref);
        if (direct.isPresent()) {
            return direct.map(Secret::new);
        }
        Optional<String> name = secretName(ref);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String value = fields(name.get(), ref).get(ref.field());
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(ref.nameVariable(), inParameterStore(name.get())
                    ? "there is no parameter " + source(name.get(), ref) + " in Parameter Store"
                    : "the secret " + name.get() + " has no JSON field \"" + ref.field() + "\"");
        }
        return Optional.of(new Secret(value.trim()));
    }

    /** Several secrets in one value, comma-separated (webhook secrets while rotating). */
    public List<Secret> list(Ref ref) {
        return get(ref).map(s -> ConfigValues.list(s.value()).stream().map(Secret::new).toList()).orElse(List.of());
    }

    /**
     * The value of {@code ref} was refused (a signature no secret matches, an authentication error): the next
     * {@link #get} reads the secret again, unless it was read less than {@link #MIN_REFRESH_INTERVAL} ago.
     * Returns whether it will be read again.
     */
    public synchronized boolean refused(Ref ref) {
        Optional<String> name = secretName(ref);
        if (name.isEmpty()) {
            return false;
        }
        String source = source(name.get(), ref);
        Fetched fetched = cache.get(source);
        Instant now = clock.instant();
        if (fetched != null && fetched.at().plus(MIN_REFRESH_INTERVAL).isAfter(now)) {
            return false;
        }
        cache.remove(source);
        return true;
    }

    private synchronized Map<String, String> fields(String name, Ref ref) {
        String source = source(name, ref);
        Fetched fetched = cache.get(source);
        Instant now = clock.instant();
        if (fetched != null && fetched.at().plus(CACHE_TTL).isAfter(now)) {
            return fetched.fields();
        }
        Map<String, String> fields;
        if (inParameterStore(name)) {
            // one GetParameter per field: a missing parameter is remembered as missing for the cache time too
            fields = parameters.get(source).map(v -> Map.of(ref.field(), v)).orElse(Map.of());
        } else {
            if (client == null) {
                client = client(endpoint); // created on first use: functions that read no secret never load it
            }
            fields = read(client, name);
        }
        cache.put(source, new Fetched(Map.copyOf(fields), now));
        LOG.debugf("Read %s (%d fields)", source, fields.size());
        return fields;
    }

    /** One GetSecretValue of {@code name}; its SecretString's JSON fields. Messages name the secret, never its text. */
    static Map<String, String> read(SecretsManagerClient client, String name) {
        String text;
        try {
            text = client.getSecretValue(r -> r.secretId(name)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read the secret " + name + " from Secrets Manager: "
                    + e.getMessage(), e);
        }
        Map<String, String> fields = new HashMap<>();
        try {
            JsonNode json = text == null ? null : JSON.readTree(text);
            if (json == null || !json.isObject()) {
                throw new IOException("not a JSON object");
            }
            json.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
        } catch (IOException e) {
            throw new IllegalStateException("the secret " + name
                    + " is not a JSON object of fields (docs/deploy.md \"Secrets\")");
        }
        return fields;
    }

    /** The Lambda's region and role credentials (AWS_REGION, the role's keys), as the DynamoDB client uses them. */
    static SecretsManagerClient client(Optional<URI> endpoint) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private Optional<String> value(Ref ref) {
        return text(ref.valueVariable(), ref.property);
    }

    private Optional<String> text(String variable, String property) {
        Optional<String> value = config.getOptionalValue(property, String.class);
        if (value.isEmpty()) {
            value = config.getOptionalValue(variable, String.class);
        }
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }
}
