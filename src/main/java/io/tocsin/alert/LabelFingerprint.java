package io.tocsin.alert;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The fingerprint of a label set, computed exactly as Prometheus and Alertmanager compute it
 * (prometheus/common {@code model/signature.go} {@code labelSetToFingerprint}, {@code model/fnv.go},
 * {@code model/fingerprinting.go}): the label names sorted (byte order of their UTF-8 form, as Go sorts strings), then
 * for each label its name, the separator byte {@code 0xff}, its value and the separator again, all hashed with 64-bit
 * FNV-1a; written as 16 lower-case hex digits ({@code %016x}). The empty set is FNV's offset basis.
 *
 * <p>So an alert without a {@code fingerprint} field gets the key Alertmanager itself would have sent for it: the same
 * incident whether or not a relay dropped the field, stable across payloads (label order in the JSON does not matter)
 * and distinct for distinct label sets (up to 64-bit hash collisions, as in Alertmanager).
 */
public final class LabelFingerprint {

    /** {@code model.SeparatorByte}: cannot occur in valid UTF-8, so "a"+"bc" and "ab"+"c" hash differently. */
    static final int SEPARATOR = 0xff;
    /** 64-bit FNV-1a offset basis and prime ({@code offset64}, {@code prime64} in prometheus/common model/fnv.go). */
    static final long OFFSET64 = 0xcbf29ce484222325L;
    static final long PRIME64 = 0x100000001b3L;

    private LabelFingerprint() {
    }

    /** The label set's fingerprint as Alertmanager writes it in its webhook: 16 lower-case hex digits. */
    public static String of(Map<String, String> labels) {
        record Label(byte[] name, byte[] value) {
        }
        Label[] sorted = labels.entrySet().stream()
                .map(e -> new Label(e.getKey().getBytes(StandardCharsets.UTF_8),
                        (e.getValue() == null ? "" : e.getValue()).getBytes(StandardCharsets.UTF_8)))
                .sorted((a, b) -> Arrays.compareUnsigned(a.name(), b.name())).toArray(Label[]::new);
        long hash = OFFSET64;
        for (Label label : sorted) {
            hash = add(hash, label.name());
            hash = add(hash, SEPARATOR);
            hash = add(hash, label.value());
            hash = add(hash, SEPARATOR);
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash = add(hash, b & 0xff);
        }
        return hash;
    }

    private static long add(long hash, int unsignedByte) {
        return (hash ^ unsignedByte) * PRIME64;
    }
}
