package io.tocsin.upgrade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.store.TableSchema;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Stored items as DynamoDB JSON, the low-level wire form the AWS CLI prints ({@code {"S":…}}, {@code {"N":…}},
 * {@code {"B":<base64>}}, {@code {"SS":[…]}}, {@code {"NS":[…]}}, {@code {"BS":[…]}}, {@code {"M":{…}}},
 * {@code {"L":[…]}}, {@code {"BOOL":…}}, {@code {"NULL":true}}). A fixture file has the shape of
 * {@code aws dynamodb scan} output: {@code {"Items":[item, …]}}.
 *
 * <p>Used to keep items written by an earlier version of Tocsin ({@code src/test/resources/upgrade/}) and to load them
 * into a table, so that the current code can be tested on them.
 */
public final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Fixtures() {
    }

    /** Reads a fixture file into items, in file order. */
    public static List<Map<String, AttributeValue>> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read fixture file " + file, e);
        }
        JsonNode items = root.path("Items");
        if (!items.isArray()) {
            throw new IllegalArgumentException(file + ": expected {\"Items\":[…]} (the shape of aws dynamodb scan)");
        }
        List<Map<String, AttributeValue>> result = new ArrayList<>();
        for (JsonNode item : items) {
            result.add(item(item, file + " item " + result.size()));
        }
        return result;
    }

    /** PutItem of every item of the file into {@code table}, as they are. @return the items loaded */
    public static List<Map<String, AttributeValue>> load(DynamoDbClient dynamo, String table, Path file) {
        List<Map<String, AttributeValue>> items = read(file);
        for (Map<String, AttributeValue> item : items) {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item).build());
        }
        return items;
    }

    /** Every item of the table (a Scan: test tooling only, never the product), sorted by pk then sk. */
    public static List<Map<String, AttributeValue>> scan(DynamoDbClient dynamo, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(
                dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                        .items().stream().toList());
        items.sort((a, b) -> {
            int byPk = a.get(TableSchema.PK).s().compareTo(b.get(TableSchema.PK).s());
            return byPk != 0 ? byPk : a.get(TableSchema.SK).s().compareTo(b.get(TableSchema.SK).s());
        });
        return items;
    }

    /** Writes items as a fixture file, attributes sorted by name (stable diffs). */
    public static void write(List<Map<String, AttributeValue>> items, Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("Items");
        for (Map<String, AttributeValue> item : items) {
            ObjectNode node = array.addObject();
            new TreeMap<>(item).forEach((name, value) -> node.set(name, json(value)));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }

    static Map<String, AttributeValue> item(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": an item must be a JSON object");
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> item.put(field.getKey(),
                value(field.getValue(), where + "." + field.getKey())));
        return item;
    }

    static AttributeValue value(JsonNode node, String where) {
        if (!node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException(where + ": expected one type key such as {\"S\":…}, got " + node);
        }
        Map.Entry<String, JsonNode> typed = node.fields().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> AttributeValue.fromS(v.textValue());
            case "N" -> AttributeValue.fromN(v.textValue());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.textValue())));
            case "BOOL" -> AttributeValue.fromBool(v.booleanValue());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> AttributeValue.fromBs(texts(v).stream()
                    .map(b -> SdkBytes.fromByteArray(Base64.getDecoder().decode(b))).toList());
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                for (Iterator<JsonNode> it = v.elements(); it.hasNext();) {
                    list.add(value(it.next(), where + "[" + list.size() + "]"));
                }
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(item(v, where));
            default -> throw new IllegalArgumentException(where + ": unknown DynamoDB type " + typed.getKey());
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(e -> texts.add(e.textValue()));
        return texts;
    }

    static JsonNode json(AttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case B -> node.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", true);
            case SS -> value.ss().stream().sorted().forEach(node.putArray("SS")::add);
            case NS -> value.ns().stream().sorted().forEach(node.putArray("NS")::add);
            case BS -> {
                ArrayNode array = node.putArray("BS");
                value.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
            }
            case L -> {
                ArrayNode array = node.putArray("L"); // an empty list stays {"L":[]}
                value.l().forEach(e -> array.add(json(e)));
            }
            case M -> {
                ObjectNode map = node.putObject("M");
                new TreeMap<>(value.m()).forEach((k, v) -> map.set(k, json(v)));
            }
            default -> throw new IllegalArgumentException("unsupported attribute value " + value);
        }
        return node;
    }
}
