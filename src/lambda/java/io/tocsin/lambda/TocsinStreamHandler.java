package io.tocsin.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.quarkus.funqy.lambda.FunqyStreamHandler;
import io.tocsin.api.LogFields;

/**
 * The Lambda handler of every function ({@code template.yaml} Globals {@code Handler}): Quarkus' Funqy handler, with
 * the invocation's Lambda request id in the logging context ({@link LogFields#REQUEST_ID}) while it runs, so that
 * every JSON log line of the invocation carries it; the context is cleared afterwards (an execution environment
 * serves many invocations, one at a time). Funqy does not hand the Lambda context to the functions, so this is the
 * one place the id is known. Only in the Lambda build ({@code src/lambda}), not in the local run's.
 */
public class TocsinStreamHandler implements RequestStreamHandler {

    private final RequestStreamHandler funqy;

    public TocsinStreamHandler() {
        this(new FunqyStreamHandler());
    }

    TocsinStreamHandler(RequestStreamHandler funqy) {
        this.funqy = funqy;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        MDC.clear();
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(LogFields.REQUEST_ID, context.getAwsRequestId());
        }
        try {
            funqy.handleRequest(input, output, context);
        } finally {
            MDC.clear();
        }
    }
}
