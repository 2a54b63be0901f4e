package io.tocsin.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * A stand-in for the AWS Lambda managed Java runtime (aws-lambda-java-runtime-interface-client), run as the main class
 * of the child JVM by {@link StartupBenchTest}. It does what the managed runtime does with a stream handler:
 * <ol>
 *   <li>init: loads and instantiates {@code _HANDLER}'s class (for Funqy: {@code FunqyStreamHandler}, whose
 *       constructor runs {@code Quarkus.manualInitialize()});</li>
 *   <li>polls {@code GET http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next};</li>
 *   <li>calls {@code handleRequest(in, out, context)} (Funqy: {@code Quarkus.manualStart()} on the first call);</li>
 *   <li>posts the output to {@code .../invocation/{id}/response} (or {@code /error}), and polls again.</li>
 * </ol>
 * Needed because in JVM mode Quarkus starts its own Lambda poll loop only in native builds and in dev/test mode
 * ({@code FunqyLambdaBuildStep}): {@code java -jar} of the runner never contacts the runtime API.
 *
 * <p>Depends on the JDK and aws-lambda-java-core only (both on the runner jar's class path).
 */
public final class LambdaRuntimeEmulator {

    private LambdaRuntimeEmulator() {
    }

    public static void main(String[] args) throws Exception {
        String parent = System.getenv("BENCH_PARENT_PID");
        if (parent != null) {
            // never outlive the benchmark that started this JVM, even if it is killed
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    handle -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                    () -> Runtime.getRuntime().halt(3));
        }
        String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime";
        String handlerName = System.getenv("_HANDLER");
        RequestStreamHandler handler;
        try {
            Class<?> type = Class.forName(handlerName.split("::")[0]);
            handler = (RequestStreamHandler) type.getDeclaredConstructor().newInstance();
        } catch (Throwable initFailed) {
            post(api + "/init/error", error(initFailed));
            System.exit(1);
            return;
        }
        while (true) {
            HttpURLConnection next = (HttpURLConnection) new URL(api + "/invocation/next").openConnection();
            next.setReadTimeout(0);
            byte[] event;
            try (InputStream in = next.getInputStream()) {
                event = in.readAllBytes();
            }
            String requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            long deadline = Long.parseLong(next.getHeaderField("Lambda-Runtime-Deadline-Ms"));
            String arn = next.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(event), out, new InvocationContext(requestId, arn,
                        deadline));
            } catch (Throwable failed) {
                post(api + "/invocation/" + requestId + "/error", error(failed));
                continue;
            }
            post(api + "/invocation/" + requestId + "/response", out.toByteArray());
        }
    }

    private static void post(String url, byte[] body) throws IOException {
        HttpURLConnection post = (HttpURLConnection) new URL(url).openConnection();
        post.setRequestMethod("POST");
        post.setDoOutput(true);
        post.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = post.getOutputStream()) {
            out.write(body);
        }
        post.getResponseCode();
        post.disconnect();
    }

    private static byte[] error(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        System.err.println(trace);
        String message = String.valueOf(failure.getMessage()).replace("\\", "\\\\").replace("\"", "'")
                .replace("\n", " ");
        return ("{\"errorMessage\":\"" + message + "\",\"errorType\":\"" + failure.getClass().getName() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private record InvocationContext(String requestId, String arn, long deadlineMs) implements Context {
        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/tocsin-ingest";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "tocsin-ingest";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return arn;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadlineMs - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 256;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
