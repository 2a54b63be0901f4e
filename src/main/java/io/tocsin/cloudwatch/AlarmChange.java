package io.tocsin.cloudwatch;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CloudWatch alarm's change of state, from either way it reaches Tocsin (the direct Lambda alarm action, or an SNS
 * notification).
 *
 * @param state       ALARM, OK or INSUFFICIENT_DATA
 * @param description the alarm's description, where a {@code tocsin:severity=<level>} marker may be
 * @param region      a region code (direct action) or display name (SNS, e.g. "EU (Ireland)")
 * @param details     what is kept as the alert's metadata
 */
public record AlarmChange(String alarmName, String alarmArn, String state, String reason, Instant changedAt,
        String description, String region, String accountId, ObjectNode details) {
}
