package io.tocsin.lambda;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.support.FuzzRun;
import io.tocsin.token.TokenRoute;

/** ingest fuzzed: alerts, rule alerts, CloudWatch alarm actions and SNS notifications, direct and on both routes. */
@QuarkusTest
@TestProfile(FuzzTestBase.IngestProfile.class)
class IngestFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        String token = bearerToken(TokenRoute.INGEST);
        ObjectNode alert = object("severity", "high", "title", "disk full on db-7", "source", "db-7",
                "description", "93 % used on /var", "metadata", Map.of("region", "eu-west-1", "mount", "/var",
                        "sizes", List.of(1, 2, 3)), "dedup_key", "db-7/disk");
        ObjectNode rule = object("rule", "disk_usage_high", "source", "db-8", "metadata", Map.of("host", "db-8"));
        ObjectNode minimal = object("severity", "low", "title", "a note", "source", "notes");
        ObjectNode alarm = object("source", "aws.cloudwatch", "alarmArn",
                "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:fuzz-cpu", "accountId", "111122223333",
                "time", "2026-11-30T10:00:00.000+0000", "region", "eu-west-1", "alarmData", Map.of(
                        "alarmName", "fuzz-cpu", "state", Map.of("value", "ALARM", "reason", "CPU above 90",
                                "timestamp", "2026-11-30T10:00:00.000+0000"),
                        "previousState", Map.of("value", "OK"),
                        "configuration", Map.of("description", "tocsin:severity=medium cpu")));
        String message = "{\"AlarmName\":\"fuzz-sns\",\"AlarmDescription\":\"queue depth\",\"AWSAccountId\":"
                + "\"111122223333\",\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"depth > 100\","
                + "\"StateChangeTime\":\"2026-11-30T10:00:00.000+0000\",\"Region\":\"EU (Ireland)\","
                + "\"AlarmArn\":\"arn:aws:cloudwatch:eu-west-1:111122223333:alarm:fuzz-sns\",\"OldStateValue\":\"OK\"}";
        ObjectNode sns = object("Records", List.of(Map.of("EventSource", "aws:sns", "Sns", Map.of(
                "TopicArn", "arn:aws:sns:eu-west-1:111122223333:alarms", "Message", message,
                "Timestamp", "2026-11-30T10:00:01.000Z"))));
        fuzz(run("ingest", List.of(alert, rule, minimal, alarm, sns), List.of(
                FuzzRun.Route.of("POST", "/ingest"),
                FuzzRun.Route.of("POST", "/hooks/ingest").withHeaders(body -> Map.of("authorization", token)))));
    }
}
