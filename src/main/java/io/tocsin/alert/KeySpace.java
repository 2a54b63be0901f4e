package io.tocsin.alert;

/**
 * Whose dedup keys an alert's key lives among. IAM callers (direct invocations, IAM routes, CloudWatch, rules,
 * heartbeats) and webhook tokens without a source prefix share one space: the key is stored as given. A token with a
 * source prefix has a space of its own, shared only by the tokens with the same prefix (so a rotated token finds the
 * incidents of the one it replaces): its keys are stored as {@code scope:<prefix length>:<prefix>:<key>}, so that no
 * key one team sends (a {@code dedup_key}, an Alertmanager or Grafana fingerprint, a derived {@code auto:} key) can name
 * a claim or incident of another team's space or of the shared one. The length makes the form unambiguous whatever
 * characters the prefix and the key hold.
 */
public final class KeySpace {

    static final String MARK = "scope:";

    private KeySpace() {
    }

    /** A stored key read back: the space's source prefix (null: the shared space) and the key the caller sent. */
    public record Scoped(String scope, String key) {
    }

    /** The stored form of {@code key} sent by a caller of {@code scope} (null: the shared space). */
    public static String key(String scope, String key) {
        return scope == null ? key : MARK + scope.length() + ":" + scope + ":" + key;
    }

    /** A stored key split into its space and the caller's key; a key not in the scoped form is the shared space's. */
    public static Scoped parse(String stored) {
        if (stored == null || !stored.startsWith(MARK)) {
            return new Scoped(null, stored);
        }
        int colon = stored.indexOf(':', MARK.length());
        if (colon < 0) {
            return new Scoped(null, stored);
        }
        int length;
        try {
            length = Integer.parseInt(stored.substring(MARK.length(), colon));
        } catch (NumberFormatException notScoped) {
            return new Scoped(null, stored);
        }
        int keyAt = colon + 1 + length + 1;
        if (length < 0 || keyAt > stored.length() || stored.charAt(keyAt - 1) != ':') {
            return new Scoped(null, stored);
        }
        return new Scoped(stored.substring(colon + 1, colon + 1 + length), stored.substring(keyAt));
    }
}
