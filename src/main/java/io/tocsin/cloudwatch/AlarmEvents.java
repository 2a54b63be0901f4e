package io.tocsin.cloudwatch;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads CloudWatch alarm state changes from the two event shapes that carry them: the direct Lambda alarm action
 * ({@code source: aws.cloudwatch}, {@code alarmData}; samples {@code events/ingest/cloudwatch-*.json}, from
 * aws/aws-lambda-java-libs {@code aws-lambda-java-tests/src/test/resources/cloudwatch_metric_alarm.json} and
 * {@code cloudwatch_composite_alarm.json}) and the SNS notification ({@code Records[].Sns.Message}, a JSON string whose
 * key casing varies between AWS's samples, read leniently; {@code events/ingest/sns-alarm.json}).
 */
public final class AlarmEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** CloudWatch writes offsets without a colon: {@code 2023-08-04T12:36:15.490+0000}. */
    private static final DateTimeFormatter CLOUDWATCH_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendPattern("[XX][XXX][X]").toFormatter();

    private AlarmEvents() {
    }

    public static boolean isDirectAlarmAction(JsonNode event) {
        return event != null && "aws.cloudwatch".equals(event.path("source").asText()) && event.has("alarmData");
    }

    public static boolean isSnsNotification(JsonNode event) {
        return event != null && event.path("Records").isArray() && event.path("Records").size() > 0
                && event.path("Records").get(0).has("Sns");
    }

    public static AlarmChange fromDirectAction(JsonNode event) {
        JsonNode data = event.path("alarmData");
        JsonNode state = data.path("state");
        ObjectNode details = JSON.createObjectNode();
        details.put("alarm_arn", event.path("alarmArn").asText());
        details.put("account_id", event.path("accountId").asText());
        details.put("region", event.path("region").asText());
        details.put("state", state.path("value").asText());
        details.put("previous_state", data.path("previousState").path("value").asText(null));
        details.set("configuration", data.path("configuration"));
        details.put("delivered_by", "lambda-alarm-action");
        return new AlarmChange(data.path("alarmName").asText(), event.path("alarmArn").asText(),
                state.path("value").asText(), state.path("reason").asText(""),
                time(state.path("timestamp").asText(event.path("time").asText(null))),
                data.path("configuration").path("description").asText(""), event.path("region").asText(""),
                event.path("accountId").asText(""), details);
    }

    /** One change per SNS record whose message is a CloudWatch alarm; other records are skipped. */
    public static List<AlarmChange> fromSns(JsonNode event) {
        List<AlarmChange> changes = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            JsonNode sns = field(record, "Sns");
            String text = field(sns, "Message").asText("");
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException notJson) {
                continue;
            }
            if (message == null || !field(message, "AlarmName").isTextual()) {
                continue;
            }
            ObjectNode details = JSON.createObjectNode();
            details.put("alarm_arn", field(message, "AlarmArn").asText(""));
            details.put("account_id", field(message, "AWSAccountId").asText(""));
            details.put("region", field(message, "Region").asText(""));
            details.put("state", field(message, "NewStateValue").asText(""));
            details.put("previous_state", field(message, "OldStateValue").asText(null));
            details.set("trigger", field(message, "Trigger"));
            details.put("topic_arn", field(sns, "TopicArn").asText(""));
            details.put("delivered_by", "sns");
            changes.add(new AlarmChange(field(message, "AlarmName").asText(), field(message, "AlarmArn").asText(""),
                    field(message, "NewStateValue").asText(""), field(message, "NewStateReason").asText(""),
                    time(field(message, "StateChangeTime").asText(field(sns, "Timestamp").asText(null))),
                    field(message, "AlarmDescription").asText(""), field(message, "Region").asText(""),
                    field(message, "AWSAccountId").asText(""), details));
        }
        return changes;
    }

    /** A field by name, ignoring case: SNS samples spell some keys differently. */
    static JsonNode field(JsonNode node, String name) {
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, CLOUDWATCH_TIME).toInstant();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeException unparseable) {
                return null;
            }
        }
    }
}
