package io.tocsin.api;

import java.util.List;

/**
 * The size check a public webhook route makes before anything else touches the body (the HMAC over it, the JSON
 * parser): a body over {@link #MAX_WEBHOOK_BODY_BYTES} is answered 413 at once, so a flood of large bodies costs a
 * length comparison each, not a hash of megabytes (API Gateway lets bodies of up to 10 MB through, Lambda 6 MB).
 */
public final class BodyLimit {

    /**
     * 512 KB: the largest event PagerDuty's Events API v2 takes (developer-docs events-API-v2 overview, "Event size"),
     * the same bound {@code ValidateStage.MAX_EVENT_BYTES} puts on an alert. A PagerDuty v3 webhook delivery is one
     * event of a few KB ({@code events/pagerduty-webhook/}); an Alertmanager or Grafana notification carries a group
     * of alerts, each of which becomes at most one such event.
     */
    public static final int MAX_WEBHOOK_BODY_BYTES = 512 * 1024;

    private BodyLimit() {
    }

    /** 413 when {@code body} is over the limit, otherwise null. */
    public static Answer tooLarge(byte[] body) {
        if (body.length <= MAX_WEBHOOK_BODY_BYTES) {
            return null;
        }
        return Answer.error(413, "payload_too_large", List.of(new Problem("(body)",
                "is " + body.length + " bytes; at most " + MAX_WEBHOOK_BODY_BYTES + " are accepted")));
    }
}
