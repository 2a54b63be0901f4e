package io.tocsin.cost;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size of a DynamoDB item as DynamoDB counts it for capacity and storage (Developer Guide, "Item sizes and
 * formats"): attribute names plus values; a string is its UTF-8 length, a binary its length, a number about one byte
 * per two significant digits plus one, a Boolean or null one byte, a list or map 3 bytes plus one per element plus the
 * elements (and, in a map, their names).
 */
public final class ItemSize {

    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long size = 0;
        for (var attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + value(attribute.getValue());
        }
        return size;
    }

    static long value(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> number(v.n());
            case B -> v.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToLong(ItemSize::utf8).sum();
            case NS -> v.ns().stream().mapToLong(ItemSize::number).sum();
            case BS -> v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            case L -> 3 + v.l().stream().mapToLong(e -> 1 + value(e)).sum();
            case M -> 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + value(e.getValue())).sum();
            default -> throw new IllegalArgumentException("unknown attribute type " + v);
        };
    }

    static long number(String n) {
        String digits = new BigDecimal(n).unscaledValue().abs().toString().replaceAll("^0+|0+$", "");
        return (Math.max(1, digits.length()) + 1) / 2 + 1;
    }

    static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
