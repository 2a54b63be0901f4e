package io.tocsin.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The application's ObjectMapper, with which Funqy reads every Lambda event. It is Quarkus' own (a plain mapper plus
 * every {@link ObjectMapperCustomizer}, as {@code io.quarkus.jackson.runtime.ObjectMapperProducer} builds it), except
 * that bytes are parsed as UTF-8 text ({@link TextJsonFactory}).
 *
 * <p>Why: Jackson's byte parser refuses a field name holding an escaped lone surrogate ({@code {"\ud800":1}}, valid
 * JSON syntax that Lambda passes on) with a parse error, before the function runs, so the invocation failed instead
 * of answering 400. Jackson's text parser keeps such names as it keeps such string values; the function then sees the
 * event and validates it like any other (found by the fuzz tests). Malformed UTF-8 becomes U+FFFD.
 */
@Singleton
public class EventJson {

    @Produces
    @Singleton
    public ObjectMapper objectMapper(Instance<ObjectMapperCustomizer> customizers) {
        ObjectMapper mapper = new ObjectMapper(new TextJsonFactory());
        List<ObjectMapperCustomizer> sorted = new ArrayList<>();
        customizers.forEach(sorted::add);
        Collections.sort(sorted); // highest priority first, as Quarkus does
        sorted.forEach(customizer -> customizer.customize(mapper));
        return mapper;
    }

    /** A JsonFactory that reads bytes through a UTF-8 reader, i.e. with Jackson's text parser. */
    public static final class TextJsonFactory extends JsonFactory {

        private static final long serialVersionUID = 1L;

        public TextJsonFactory() {
            super();
        }

        private TextJsonFactory(TextJsonFactory source, ObjectCodec codec) {
            super(source, codec);
        }

        @Override
        public JsonFactory copy() {
            return new TextJsonFactory(this, null);
        }

        @Override
        public JsonParser createParser(InputStream in) throws IOException {
            return createParser(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Override
        public JsonParser createParser(byte[] data) throws IOException {
            return createParser(data, 0, data.length);
        }

        @Override
        public JsonParser createParser(byte[] data, int offset, int length) throws IOException {
            return createParser(new InputStreamReader(new ByteArrayInputStream(data, offset, length),
                    StandardCharsets.UTF_8));
        }
    }
}
