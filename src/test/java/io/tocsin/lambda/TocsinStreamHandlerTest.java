package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;

import io.tocsin.api.LogFields;

/**
 * The handler every function runs under puts the Lambda request id into the logging context for the invocation, and
 * leaves nothing behind for the next one (an incident id set inside, or a failed invocation's).
 */
class TocsinStreamHandlerTest {

    private static Context context(String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] { Context.class },
                (proxy, method, args) -> method.getName().equals("getAwsRequestId") ? requestId : null);
    }

    @Test
    void theRequestIdIsInTheLogContextDuringTheInvocationOnly() throws IOException {
        List<Map<String, Object>> seen = new ArrayList<>();
        TocsinStreamHandler handler = new TocsinStreamHandler((in, out, ctx) -> {
            LogFields.incident("inc-1");
            seen.add(Map.copyOf(MDC.getMap()));
            out.write(in.readAllBytes());
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MDC.put(LogFields.INCIDENT_ID, "left-over-from-another-invocation");
        handler.handleRequest(new ByteArrayInputStream("{}".getBytes()), out, context("8f5a7c1e-req"));
        assertEquals(Map.of(LogFields.REQUEST_ID, "8f5a7c1e-req", LogFields.INCIDENT_ID, "inc-1"), seen.get(0));
        assertEquals("{}", out.toString());
        assertNull(MDC.get(LogFields.REQUEST_ID));
        assertNull(MDC.get(LogFields.INCIDENT_ID));
    }

    @Test
    void aFailedInvocationLeavesNothingBehind() {
        TocsinStreamHandler handler = new TocsinStreamHandler((in, out, ctx) -> {
            LogFields.incident("inc-2");
            throw new IOException("broken pipe");
        });
        assertThrows(IOException.class, () -> handler.handleRequest(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), context("req-2")));
        assertNull(MDC.get(LogFields.REQUEST_ID));
        assertNull(MDC.get(LogFields.INCIDENT_ID));
    }
}
