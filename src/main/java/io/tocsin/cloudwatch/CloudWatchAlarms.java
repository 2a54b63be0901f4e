package io.tocsin.cloudwatch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Severity;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.OpenByKey;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.ValidateStage;
import io.tocsin.notify.Texts;

/**
 * CloudWatch alarms as alerts: ALARM raises an alert through the ingest pipeline (dedup key = the alarm ARN, so one
 * open incident per alarm), OK resolves the alarm's open incident (and PagerDuty's alert), INSUFFICIENT_DATA is ignored
 * unless configured to count as ALARM.
 */
@Singleton
public class CloudWatchAlarms {

    private static final Logger LOG = Logger.getLogger(CloudWatchAlarms.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Put {@code tocsin:severity=critical} (or high, medium, low) in an alarm's description to choose its severity. */
    static final Pattern SEVERITY_MARKER = Pattern.compile("tocsin:severity=(\\w+)", Pattern.CASE_INSENSITIVE);
    static final String RESOLVED_BY = "cloudwatch";

    private final IngestPipeline pipeline;
    private final OpenByKey openByKey;
    private final IncidentLifecycle lifecycle;
    private final CloudWatchConfig config;

    @Inject
    public CloudWatchAlarms(IngestPipeline pipeline, OpenByKey openByKey, IncidentLifecycle lifecycle,
            CloudWatchConfig config) {
        this.pipeline = pipeline;
        this.openByKey = openByKey;
        this.lifecycle = lifecycle;
        this.config = config;
    }

    public ObjectNode handle(AlarmChange change) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("alarm", change.alarmName());
        answer.put("state", change.state());
        String state = change.state().toUpperCase(Locale.ROOT);
        if ("INSUFFICIENT_DATA".equals(state) && "alarm".equalsIgnoreCase(config.insufficientData())) {
            state = "ALARM";
        }
        switch (state) {
            case "ALARM" -> {
                ObjectNode alert = alert(change);
                answer.setAll(pipeline.ingest(alert, alert.toString().length()).answer());
            }
            case "OK" -> {
                List<Incident> open = openByKey.byClaimOrOpenIndex(dedupKey(change));
                if (open.isEmpty()) {
                    answer.put("status", "no_open_incident");
                }
                for (Incident incident : open) {
                    lifecycle.resolve(incident.id(), "CloudWatch alarm returned to OK: " + change.reason(), RESOLVED_BY);
                    answer.put("status", "resolved");
                    answer.withArray("incident_ids").add(incident.id());
                }
            }
            default -> {
                LOG.infof("CloudWatch alarm %s is %s: ignored (%s)", Texts.log(change.alarmName()), Texts.log(change.state()),
                        Texts.log(change.reason()));
                answer.put("status", "ignored");
            }
        }
        return answer;
    }

    ObjectNode alert(AlarmChange change) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("severity", severity(change.description()).wire());
        alert.put("title", truncate(change.alarmName() + " is in ALARM", ValidateStage.MAX_TITLE_CHARS));
        alert.put("description", (change.reason() + (change.description().isBlank() ? "" : "\n\n" + change.description()))
                .trim());
        alert.put("source", truncate("cloudwatch:" + change.alarmName(), ValidateStage.MAX_SOURCE_CHARS));
        alert.put("dedup_key", dedupKey(change));
        ObjectNode metadata = change.details().deepCopy();
        if (change.changedAt() != null) {
            metadata.put("state_changed_at", change.changedAt().toString());
        }
        alert.set("metadata", metadata);
        return alert;
    }

    Severity severity(String description) {
        Matcher marker = SEVERITY_MARKER.matcher(description == null ? "" : description);
        if (marker.find()) {
            var parsed = Severity.parse(marker.group(1));
            if (parsed.isPresent()) {
                return parsed.get();
            }
            LOG.warnf("Unknown severity in alarm description marker '%s'; using %s", Texts.log(marker.group()),
                    config.defaultSeverity());
        }
        return Severity.parse(config.defaultSeverity()).orElse(Severity.HIGH);
    }

    /** The alarm ARN, or a digest of it when it is longer than a dedup key may be (alarm names run to 255 characters). */
    static String dedupKey(AlarmChange change) {
        String arn = change.alarmArn().isBlank() ? "alarm:" + change.accountId() + ":" + change.alarmName()
                : change.alarmArn();
        if (arn.length() <= ValidateStage.MAX_DEDUP_KEY_CHARS) {
            return arn;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            return "cloudwatch:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
