package io.tocsin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.tocsin.support.Projects;

/**
 * The deploy guide names what {@code template.yaml} declares: the pages "Deploy to AWS" ({@code docs/deploy.md}) and
 * "Upgrades and rollback" ({@code docs/upgrades.md}) and {@code samconfig.toml.example} are checked against the
 * template's parameters, outputs, resources and the secrets (and their JSON fields) it resolves; {@code infra/smoke.sh}
 * against the template's functions.
 */
class DeployDocsTest {

    /** Names in backticks in the deploy sections that are not template names, and why they may appear. */
    private static final Set<String> NOT_TEMPLATE_NAMES = Set.of(
            "DeletionPolicy", "UpdateReplacePolicy", "CodeUri", // CloudFormation/SAM attributes of the template
            "DeletionProtectionEnabled", // a property of the table
            "VerifiedForSendingStatus", // a field of SES's get-email-identity answer
            "SmokeScriptTest", "PreviousFormatItemsTest"); // test classes the guide points at
    private static final Pattern SECRET_REFERENCE = Pattern.compile(
            "\\{\\{resolve:secretsmanager:\\$\\{(\\w+)}:SecretString:(\\w+)}}");

    private static Map<String, Object> template;
    private static String guide;
    private static String samconfig;

    @BeforeAll
    static void load() throws IOException {
        Path root = Projects.root();
        try (Reader reader = Files.newBufferedReader(root.resolve("template.yaml"), StandardCharsets.UTF_8)) {
            template = map(new Yaml(new TemplateTableTest.CloudFormationConstructor()).load(reader));
        }
        String deploy = Files.readString(root.resolve("docs/deploy.md"), StandardCharsets.UTF_8);
        assertTrue(deploy.startsWith("# Deploy to AWS\n"), "docs/deploy.md is the \"Deploy to AWS\" page");
        String upgrades = Files.readString(root.resolve("docs/upgrades.md"), StandardCharsets.UTF_8);
        assertTrue(upgrades.startsWith("# Upgrades and rollback\n"),
                "docs/upgrades.md is the \"Upgrades and rollback\" page");
        guide = deploy + "\n" + upgrades;
        samconfig = Files.readString(root.resolve("samconfig.toml.example"), StandardCharsets.UTF_8);
    }

    private static Set<String> names(String section) {
        return new TreeSet<>(map(template.get(section)).keySet());
    }

    // -------------------------------------------------------------------------------------------------------------
    // docs/deploy.md and docs/upgrades.md
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void everyTemplateLikeNameInTheGuideIsDeclaredByTheTemplate() {
        Set<String> declared = new TreeSet<>(names("Parameters"));
        declared.addAll(names("Outputs"));
        declared.addAll(names("Resources"));
        declared.addAll(names("Rules"));
        Matcher m = Pattern.compile("`([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)`").matcher(guide);
        Set<String> unknown = new TreeSet<>();
        int seen = 0;
        while (m.find()) {
            seen++;
            if (!declared.contains(m.group(1)) && !NOT_TEMPLATE_NAMES.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertTrue(seen > 20, "the guide names the template's parameters and outputs (found " + seen + ")");
        assertEquals(Set.of(), unknown, "names in the deploy guide that template.yaml does not declare");
    }

    @Test
    void everyOutputTheCommandsReadExists() {
        Matcher m = Pattern.compile("OutputKey=='(\\w+)'").matcher(guide);
        Set<String> read = new TreeSet<>();
        while (m.find()) {
            read.add(m.group(1));
        }
        assertFalse(read.isEmpty(), "the guide's commands read stack outputs");
        assertTrue(names("Outputs").containsAll(read), "outputs read by the guide's commands: " + read);
    }

    @Test
    void theOutputTableListsEveryOutput() {
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (`\\w+`(?:, `\\w+`)*) \\|").matcher(guide);
        while (row.find()) {
            Matcher name = Pattern.compile("`(\\w+)`").matcher(row.group(1));
            while (name.find()) {
                listed.add(name.group(1));
            }
        }
        Set<String> outputs = names("Outputs");
        Set<String> missing = new TreeSet<>(outputs);
        missing.removeAll(listed);
        assertEquals(Set.of(), missing, "stack outputs the output table of docs/deploy.md does not explain");
    }

    /** Each row of the secrets table of docs/deploy.md: secret name, parameter, JSON fields. */
    record SecretRow(String secret, String parameter, List<String> fields) {
    }

    private static List<SecretRow> secretRows() {
        List<SecretRow> rows = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| `([\\w/-]+)` \\| `(\\w+)` \\| ([^|]+) \\|").matcher(guide);
        while (m.find()) {
            List<String> fields = new ArrayList<>();
            Matcher f = Pattern.compile("`(\\w+)`").matcher(m.group(3));
            while (f.find()) {
                fields.add(f.group(1));
            }
            rows.add(new SecretRow(m.group(1), m.group(2), fields));
        }
        return rows;
    }

    /**
     * Parameter → the JSON fields the functions read from the secret it names: a function's {@code *_SECRET_NAME}
     * variable is {@code !Ref <parameter>}, and io.tocsin.config.SecretStore.Ref says which fields it reads.
     */
    private static Map<String, Set<String>> templateSecretFields() {
        Map<String, Set<String>> fields = new TreeMap<>();
        collectSecretReferences(template.get("Resources"), fields);
        for (Object resource : map(template.get("Resources")).values()) {
            Object environment = map(map(resource).getOrDefault("Properties", Map.of())).get("Environment");
            if (environment == null) {
                continue;
            }
            for (var variable : map(map(environment).get("Variables")).entrySet()) {
                for (io.tocsin.config.SecretStore.Ref ref : io.tocsin.config.SecretStore.Ref.values()) {
                    if (ref.nameVariable().equals(variable.getKey())) {
                        String parameter = String.valueOf(map(variable.getValue()).get("Ref"));
                        fields.computeIfAbsent(parameter, k -> new TreeSet<>()).add(ref.field());
                    }
                }
            }
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static void collectSecretReferences(Object node, Map<String, Set<String>> into) {
        if (node instanceof String text) {
            Matcher m = SECRET_REFERENCE.matcher(text);
            while (m.find()) {
                into.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        } else if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectSecretReferences(v, into));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectSecretReferences(v, into));
        }
    }

    @Test
    void theSecretsTableMatchesTheSecretsTheTemplateResolves() {
        Map<String, Set<String>> expected = templateSecretFields();
        assertFalse(expected.isEmpty(), "template.yaml names secrets in Secrets Manager");
        Map<String, Set<String>> documented = new TreeMap<>();
        for (SecretRow row : secretRows()) {
            documented.put(row.parameter(), new TreeSet<>(row.fields()));
        }
        assertEquals(expected, documented, "docs/deploy.md secrets table: parameter → JSON fields, as template.yaml reads them");
        assertTrue(names("Parameters").containsAll(documented.keySet()));
    }

    @Test
    void eachSecretIsCreatedWithTheFieldsTheTemplateReads() {
        Map<String, Set<String>> created = new TreeMap<>();
        Matcher m = Pattern.compile("create-secret --name ([\\w/-]+) \\\\\\s*\\n\\s*--secret-string '(\\{[^']*})'")
                .matcher(guide);
        while (m.find()) {
            Set<String> fields = new TreeSet<>();
            Matcher f = Pattern.compile("\"(\\w+)\":").matcher(m.group(2));
            while (f.find()) {
                fields.add(f.group(1));
            }
            created.put(m.group(1), fields);
        }
        List<SecretRow> rows = secretRows();
        assertEquals(5, rows.size(), "one row per secret the template reads");
        for (SecretRow row : rows) {
            assertEquals(new TreeSet<>(row.fields()), created.get(row.secret()),
                    "docs/deploy.md's create-secret command for " + row.secret() + " (" + row.parameter() + ")");
        }
    }

    @Test
    void theDefaultIntegrationKeySecretIsTheOneTheGuideCreates() {
        Map<String, Object> parameter = map(map(template.get("Parameters")).get("PagerDutyIntegrationKeyParameter"));
        String secret = secretRows().stream().filter(r -> r.parameter().equals("PagerDutyIntegrationKeyParameter"))
                .findFirst().orElseThrow().secret();
        assertEquals(secret, parameter.get("Default"));
    }

    // -------------------------------------------------------------------------------------------------------------
    // samconfig.toml.example
    // -------------------------------------------------------------------------------------------------------------

    /** Every "Key=value" entry of parameter_overrides, commented out or not, in file order. */
    private static Map<String, String> samconfigParameters(boolean activeOnly) {
        int start = samconfig.indexOf("parameter_overrides = [");
        int end = samconfig.indexOf("\n]", start);
        assertTrue(start >= 0 && end > start, "samconfig.toml.example has a parameter_overrides list");
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*(#\\s*)?\"(\\w+)=([^\"]*)\",").matcher(samconfig.substring(start, end));
        while (m.find()) {
            if (!activeOnly || m.group(1) == null) {
                assertEquals(null, entries.put(m.group(2), m.group(3)), "named twice: " + m.group(2));
            }
        }
        return entries;
    }

    @Test
    void theSamconfigExampleNamesEveryParameterAndNoOther() {
        assertEquals(names("Parameters"), new TreeSet<>(samconfigParameters(false).keySet()));
    }

    @Test
    void theSamconfigExampleIsValidForTheTemplatesRules() {
        Map<String, String> active = samconfigParameters(true);
        Map<String, Object> parameters = map(template.get("Parameters"));
        for (var entry : active.entrySet()) {
            Map<String, Object> declared = map(parameters.get(entry.getKey()));
            Object allowed = declared.get("AllowedValues");
            if (allowed instanceof List<?> values) {
                assertTrue(values.stream().map(String::valueOf).toList().contains(entry.getValue()),
                        entry + " is one of " + values);
            }
            Object pattern = declared.get("AllowedPattern");
            if (pattern != null) {
                assertTrue(entry.getValue().matches(pattern.toString()), entry + " matches " + pattern);
            }
        }
        assertTrue(samconfig.contains("capabilities = \"CAPABILITY_IAM\""), "the template creates IAM roles");
        if ("true".equals(active.get("AlertSummaryEmailEnabled"))) {
            assertFalse(active.getOrDefault("AlertSummaryEmailRecipients", "").isEmpty(),
                    "rule SummaryRecipientsWhenEnabled");
        }
    }

    @Test
    void secretParametersOfTheExampleNameTheSecretsTheGuideCreates() {
        Map<String, String> all = samconfigParameters(false);
        for (SecretRow row : secretRows()) {
            assertEquals(row.secret(), all.get(row.parameter()), row.parameter() + " in samconfig.toml.example");
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // infra/smoke.sh
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void theSmokeTestKnowsEveryFunctionOfTheTemplate() throws IOException {
        String smoke = Files.readString(Projects.root().resolve("infra/smoke.sh"), StandardCharsets.UTF_8);
        Map<String, String> mapped = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\s{4}([a-z-]+)\\) echo (\\w+) ;;").matcher(smoke);
        while (m.find()) {
            mapped.put(m.group(1), m.group(2));
        }
        Map<String, String> exported = new TreeMap<>();
        map(template.get("Resources")).forEach((id, resource) -> {
            Map<String, Object> r = map(resource);
            if ("AWS::Serverless::Function".equals(r.get("Type"))) {
                Object export = map(map(map(r.get("Properties")).get("Environment")).get("Variables"))
                        .get("QUARKUS_FUNQY_EXPORT");
                exported.put(String.valueOf(export), id);
            }
        });
        assertEquals(19, exported.size(), "functions in template.yaml");
        assertEquals(exported, mapped, "infra/smoke.sh logical_id(): function → template Lambda");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map<?, ?>, "expected a mapping, got " + value);
        return (Map<String, Object>) value;
    }
}
