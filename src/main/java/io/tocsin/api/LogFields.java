package io.tocsin.api;

import org.jboss.logging.MDC;

/**
 * The fields every log line of an invocation carries (JSON logs in AWS, docs/deploy.md "Abuse limits"): the Lambda
 * request id, set for each invocation by the function's handler ({@code io.tocsin.lambda.TocsinStreamHandler}), and
 * the id of the incident being worked on, set where it becomes known. CloudWatch Logs Insights queries them as
 * {@code mdc.request_id} and {@code mdc.incident_id}.
 */
public final class LogFields {

    public static final String REQUEST_ID = "request_id";
    public static final String INCIDENT_ID = "incident_id";

    private LogFields() {
    }

    /** Lines from here on are about incident {@code id}; returns the incident they were about (for {@link #restore}). */
    public static String incident(String id) {
        Object previous = MDC.get(INCIDENT_ID);
        if (id != null) {
            MDC.put(INCIDENT_ID, id);
        }
        return previous == null ? null : previous.toString();
    }

    /** Back to the incident (or none) {@link #incident} returned. */
    public static void restore(String previous) {
        if (previous == null) {
            MDC.remove(INCIDENT_ID);
        } else {
            MDC.put(INCIDENT_ID, previous);
        }
    }
}
