package io.tocsin.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Builds an UpdateItem expression with generated placeholders, so no attribute name can clash with a reserved word. */
public final class Update {

    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private String condition;
    private int next;

    public String name(String attribute) {
        String placeholder = "#n" + names.size();
        for (var entry : names.entrySet()) {
            if (entry.getValue().equals(attribute)) {
                return entry.getKey();
            }
        }
        names.put(placeholder, attribute);
        return placeholder;
    }

    public String value(AttributeValue value) {
        String placeholder = ":v" + next++;
        values.put(placeholder, value);
        return placeholder;
    }

    public Update set(String attribute, AttributeValue value) {
        sets.add(name(attribute) + " = " + value(value));
        return this;
    }

    /** Sets a key of a map attribute that already exists: {@code attribute.key = value}. */
    public Update setIn(String attribute, String key, AttributeValue value) {
        sets.add(name(attribute) + "." + name(key) + " = " + value(value));
        return this;
    }

    /** A nested path such as {@code pd.trigger.next_ms}, each part a name placeholder. */
    public String path(String... parts) {
        List<String> placeholders = new ArrayList<>();
        for (String part : parts) {
            placeholders.add(name(part));
        }
        return String.join(".", placeholders);
    }

    public Update setPath(AttributeValue value, String... parts) {
        sets.add(path(parts) + " = " + value(value));
        return this;
    }

    /** {@code path = value} for a path built from placeholders (e.g. a list element {@code #n0[3]}). */
    public Update setRaw(String path, AttributeValue value) {
        sets.add(path + " = " + value(value));
        return this;
    }

    /** A whole SET clause written with placeholders from this builder, e.g. {@code #n1 = #n1 + :v2}. */
    public Update setExpression(String clause) {
        sets.add(clause);
        return this;
    }

    public Update setIfNotExists(String attribute, AttributeValue value) {
        String n = name(attribute);
        sets.add(n + " = if_not_exists(" + n + ", " + value(value) + ")");
        return this;
    }

    /** Adds {@code by} to a number attribute, counting a missing one as 0. */
    public Update increment(String attribute, long by) {
        String n = name(attribute);
        sets.add(n + " = if_not_exists(" + n + ", " + value(AttributeValue.fromN("0")) + ") + "
                + value(AttributeValue.fromN(Long.toString(by))));
        return this;
    }

    /** Appends to a list attribute, creating it when missing. */
    public Update append(String attribute, AttributeValue list) {
        String n = name(attribute);
        sets.add(n + " = list_append(if_not_exists(" + n + ", " + value(AttributeValue.fromL(List.of())) + "), "
                + value(list) + ")");
        return this;
    }

    public Update remove(String attribute) {
        removes.add(name(attribute));
        return this;
    }

    /** A condition written with {@code #name(attr)} and {@code value(...)} placeholders obtained from this builder. */
    public Update condition(String expression) {
        this.condition = expression;
        return this;
    }

    public UpdateItemRequest request(String table, Map<String, AttributeValue> key, ReturnValue returnValue) {
        StringBuilder expression = new StringBuilder();
        if (!sets.isEmpty()) {
            expression.append("SET ").append(String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            expression.append(expression.length() > 0 ? " " : "").append("REMOVE ").append(String.join(", ", removes));
        }
        var builder = UpdateItemRequest.builder().tableName(table).key(key)
                .updateExpression(expression.toString())
                .expressionAttributeNames(names)
                .returnValues(returnValue);
        if (!values.isEmpty()) {
            builder.expressionAttributeValues(values);
        }
        if (condition != null) {
            builder.conditionExpression(condition);
        }
        return builder.build();
    }
}
