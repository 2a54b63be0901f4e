package io.tocsin.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * SSM Parameter Store's {@code GetParameter} (a SecureString, decrypted), one signed HTTPS request with the AWS SDK's
 * own pieces: its default credentials and region chains (in Lambda: the role's keys, {@code AWS_REGION}), its SigV4
 * signer and the url-connection HTTP client the DynamoDB client uses. Not the SDK's {@code ssm} client: Maven Central
 * as reachable here serves it only from 2.57 on, and the Quarkus amazon-services BOM pins the SDK at 2.42.7 (a client
 * of another SDK version on the same core is not supported). The request and answer are the JSON 1.1 protocol of the
 * SSM API reference, {@code GetParameter}; {@code SecretStoreTest} checks them against an HTTP fake of that API.
 */
final class ParameterStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A read is on the path of a page: fail fast, the caller retries (the outbox, the sweep). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Optional<URI> endpoint;
    private SdkHttpClient http;
    private DefaultCredentialsProvider credentials;
    private Region region;

    ParameterStore(Optional<URI> endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * The decrypted value of the parameter {@code name}; empty when there is no such parameter. Any other failure
     * throws, naming the parameter and never its value.
     */
    synchronized Optional<String> get(String name) {
        if (http == null) {
            http = UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(READ_TIMEOUT)
                    .build();
            credentials = DefaultCredentialsProvider.builder().build();
            region = new DefaultAwsRegionProviderChain().getRegion();
        }
        byte[] body = JSON.createObjectNode().put("Name", name).put("WithDecryption", true).toString()
                .getBytes(StandardCharsets.UTF_8);
        URI uri = endpoint.orElseGet(() -> URI.create("https://ssm." + region.id() + "."
                + (region.metadata() == null ? "amazonaws.com" : region.metadata().domain())));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri).encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonSSM.GetParameter").build();
        try {
            AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request()).contentStreamProvider(signed.payload().orElse(null)).build()).call();
            JsonNode answer = read(response);
            int status = response.httpResponse().statusCode();
            if (status == 200) {
                JsonNode value = answer.path("Parameter").path("Value");
                if (!value.isTextual()) {
                    throw new IllegalStateException("the parameter " + name + " has no value");
                }
                return Optional.of(value.asText());
            }
            String type = answer.path("__type").asText("");
            if (status == 400 && type.endsWith("ParameterNotFound")) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot read the parameter " + name + " from Parameter Store: HTTP "
                    + status + " " + type + " " + answer.path("message").asText(answer.path("Message").asText("")));
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalStateException own && own.getMessage().contains(name)) {
                throw own;
            }
            throw new IllegalStateException("cannot read the parameter " + name + " from Parameter Store: "
                    + e.getMessage(), e);
        }
    }

    private static JsonNode read(HttpExecuteResponse response) throws IOException {
        if (response.responseBody().isEmpty()) {
            return JSON.createObjectNode();
        }
        try (InputStream in = response.responseBody().get()) {
            JsonNode json = JSON.readTree(in);
            return json == null ? JSON.createObjectNode() : json;
        }
    }
}
