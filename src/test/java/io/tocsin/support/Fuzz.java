package io.tocsin.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A seeded generator of hostile inputs, for the fuzz tests (one seed per run, printed, so a failure can be replayed
 * with {@code -Dfuzz.seed=<seed>}). jqwik cannot host these tests: its engine does not run JUnit Jupiter extensions,
 * so {@code @QuarkusTest} (the app start, the mock Lambda event server, injection) does not apply to its properties
 * (jqwik-team/jqwik#487, open); the generator therefore lives inside plain {@code @QuarkusTest} methods.
 *
 * <p>It mutates real payload shapes (the caller's seeds): fields removed, added, retyped, nested deep, strings full of
 * control, bidi and lone-surrogate characters, huge and odd numbers; and breaks the JSON text itself (truncated,
 * duplicate keys) where a caller can send text (the body of an API Gateway request).
 */
public final class Fuzz {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Writes every non-ASCII character as {@code \\uXXXX}, so that lone surrogates reach the function as sent. */
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** Strings that have broken things elsewhere: control characters, bidi overrides, lone surrogates, huge text. */
    private static final List<String> NASTY = List.of("", " ", "\t", "line one\r\nBcc: victim@example.com",
            "title\nINFO forged log line", "\u0000", "nul\u0000inside", "\u202Egnp.exe\u202C", "\u2066isolate\u2069",
            "\u200F\u200E\u061C", "\uD800", "\uDC00lone low", "a\uD83D", "\uD83D\uDE00 emoji", "\u2028\u2029\u0085",
            "\u001B[31mred\u001B[0m", "€€€", "null", "true", "[]", "{}", "1e999", "-0", "NaN", "<script>x</script>",
            "' OR 1=1 --", "${jndi:ldap://x}", "%s%n%d", "../../etc/passwd", "INC#x", "critical", "CRITICAL ",
            "2026-11-27T02:00:00Z", "2026-02-30T00:00:00Z", "99999-01-01T00:00:00Z", "P1D", "PT-1S", "FREQ=DAILY",
            "tcn_0123456789abcdef_x", "v1=00", "\uFEFFbom", "ÿ".repeat(300), "x".repeat(1025), "é".repeat(5000));

    private final SplittableRandom random;

    public Fuzz(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    public String nastyString() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(NASTY);
            case 1 -> pick(NASTY) + randomText(1 + random.nextInt(20)) + pick(NASTY);
            case 2 -> randomText(random.nextInt(60));
            default -> "fuzz-" + randomText(1 + random.nextInt(12));
        };
    }

    /** Any UTF-16 code units: ASCII, controls, Latin, CJK, bidi controls, lone and paired surrogates. */
    public String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(switch (random.nextInt(8)) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> (char) (0x202A + random.nextInt(5));
                case 2 -> (char) (0xD800 + random.nextInt(0x800));
                case 3 -> (char) (0x80 + random.nextInt(0x780));
                case 4 -> (char) (0x4E00 + random.nextInt(200));
                default -> (char) (0x20 + random.nextInt(0x5F));
            });
        }
        return text.toString();
    }

    public JsonNode nastyNumber() {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.numberNode(Long.MAX_VALUE);
            case 1 -> NODES.numberNode(Long.MIN_VALUE);
            case 2 -> NODES.numberNode(new java.math.BigInteger("1234567890123456789012345678901234567890"));
            case 3 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            case 4 -> NODES.numberNode(-1);
            case 5 -> NODES.numberNode(0);
            case 6 -> NODES.numberNode(Double.MAX_VALUE);
            case 7 -> NODES.numberNode(0.5);
            default -> NODES.numberNode(random.nextInt());
        };
    }

    /** A value of a random JSON type; containers up to {@code depth} levels. */
    public JsonNode randomValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 5);
        return switch (kind) {
            case 0 -> NODES.textNode(nastyString());
            case 1 -> nastyNumber();
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> NODES.textNode(pick(NASTY));
            case 5 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(depth - 1));
                }
                yield array;
            }
            case 6 -> deep(2 + random.nextInt(200));
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(nastyString(), randomValue(depth - 1));
                }
                yield object;
            }
        };
    }

    /** {@code levels} nested arrays or objects around a string. */
    public JsonNode deep(int levels) {
        JsonNode node = NODES.textNode("bottom");
        for (int i = 0; i < levels; i++) {
            node = random.nextBoolean() ? NODES.arrayNode().add(node) : NODES.objectNode().set("d", node);
        }
        return node;
    }

    /** {@code seed} with 1–4 mutations at random places (fields removed, added, retyped; values made hostile). */
    public ObjectNode mutate(ObjectNode seed) {
        ObjectNode copy = seed.deepCopy();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutateSomewhere(copy, 0);
        }
        return copy;
    }

    private void mutateSomewhere(JsonNode node, int depth) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (!names.isEmpty() && depth < 4 && random.nextInt(3) == 0) {
                JsonNode child = object.get(pick(names));
                if (child.isContainerNode() && child.size() > 0) {
                    mutateSomewhere(child, depth + 1);
                    return;
                }
            }
            switch (names.isEmpty() ? 2 : random.nextInt(6)) {
                case 0 -> object.remove(pick(names));
                case 1 -> object.set(pick(names), randomValue(2));
                case 2 -> object.set(random.nextBoolean() ? nastyString() : "extra_" + random.nextInt(50),
                        randomValue(2));
                case 3 -> object.put(pick(names), nastyString());
                case 4 -> object.set(pick(names), nastyNumber());
                default -> object.put(pick(names), (String) null);
            }
        } else if (node.isArray() && node.size() > 0) {
            ArrayNode array = (ArrayNode) node;
            int index = random.nextInt(array.size());
            if (array.get(index).isContainerNode() && random.nextBoolean()) {
                mutateSomewhere(array.get(index), depth + 1);
            } else {
                switch (random.nextInt(3)) {
                    case 0 -> array.remove(index);
                    case 1 -> array.set(index, randomValue(2));
                    default -> array.add(randomValue(1));
                }
            }
        }
    }

    /** Every string value of {@code seed} replaced by a hostile one (structure kept). */
    public ObjectNode hostileStrings(ObjectNode seed) {
        ObjectNode copy = seed.deepCopy();
        replaceStrings(copy);
        return copy;
    }

    private void replaceStrings(JsonNode node) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            List<String> strings = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    strings.add(field.getKey());
                } else {
                    replaceStrings(field.getValue());
                }
            }
            strings.forEach(name -> ((ObjectNode) node).put(name, random.nextInt(3) == 0 ? pick(NASTY)
                    : node.get(name).asText() + pick(NASTY)));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isTextual()) {
                    ((ArrayNode) node).set(i, NODES.textNode(nastyString()));
                } else {
                    replaceStrings(node.get(i));
                }
            }
        }
    }

    /** JSON text, non-ASCII escaped (so lone surrogates survive as {@code \\uD800}). */
    public static String text(JsonNode node) {
        try {
            return ESCAPING.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text cut somewhere inside: not valid JSON any more. */
    public String truncated(String json) {
        return json.length() < 2 ? "{" : json.substring(0, 1 + random.nextInt(json.length() - 1));
    }

    /** An object's text with its first field repeated under a different value: {@code {"a":1,"a":"x",…}}. */
    public String duplicateKeys(ObjectNode object) {
        String text = text(object);
        if (object.isEmpty()) {
            return text;
        }
        String name = object.fieldNames().next();
        return "{" + text(NODES.textNode(name)) + ":" + text(randomValue(1)) + "," + text.substring(1);
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Something that is not base64 at all, as a body marked {@code isBase64Encoded: true}. */
    public String notBase64(String text) {
        return switch (random.nextInt(3)) {
            case 0 -> text;
            case 1 -> "%%%" + base64(text);
            default -> base64(text).substring(0, Math.max(1, base64(text).length() - 1)) + "@";
        };
    }

    /**
     * {@code seed} with its string field {@code field} padded so that the event's JSON (as {@code sizeOf} measures
     * it) is exactly {@code bytes} long.
     */
    public static ObjectNode ofSize(ObjectNode seed, String field, int bytes,
            java.util.function.ToLongFunction<JsonNode> sizeOf) {
        ObjectNode copy = seed.deepCopy();
        copy.put(field, "");
        long base = sizeOf.applyAsLong(copy);
        copy.put(field, "p".repeat((int) Math.max(0, bytes - base)));
        return copy;
    }
}
