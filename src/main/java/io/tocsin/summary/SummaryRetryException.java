package io.tocsin.summary;

/**
 * The daily summary was not sent by this invocation and must be tried again: the function fails so that Lambda's
 * asynchronous retries (and EventBridge Scheduler's) invoke it again. No email went out.
 */
public class SummaryRetryException extends RuntimeException {

    public SummaryRetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
