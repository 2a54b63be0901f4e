package io.tocsin.ingest;

import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.KeySpace;
import io.tocsin.dedup.DedupStore;

/**
 * The upgrade to token key spaces ({@link KeySpace}): before it, a token's alerts were claimed in the shared space,
 * under the key as sent. When a token's alert has just opened a claim of its own space (a new incident is about to be
 * paged), this looks once at the shared claim of the same key: if it holds an open incident whose stored source is
 * inside the token's prefix (an incident a token of this prefix opened before the upgrade, or one an IAM caller opened
 * for a source of that prefix), the new claim is given back and the alert joins that incident instead, as a duplicate:
 * no second page for a problem that is already paged. Incidents of sources outside the prefix are never joined.
 *
 * <p>Cost: one GetItem per new incident of a token with a source prefix (none for IAM callers, none for duplicates);
 * while an old incident is open, its duplicates cost four requests instead of one. Should another alert be counted on
 * the new claim in the milliseconds before it is given back, the new incident is opened after all (never a lost alert,
 * at worst a second page for one old incident during the upgrade).
 */
@Singleton
public class SharedKeys {

    private final DedupStore claims;

    @Inject
    public SharedKeys(DedupStore claims) {
        this.claims = claims;
    }

    /** What became of the alert that just opened a scoped claim. */
    public sealed interface Outcome {
        /** Nothing to join: the new claim stands, its incident opens. */
        record Keep() implements Outcome {
        }

        /** Counted on the open incident of {@code sharedKey} instead: the new claim is given back. */
        record Joined(String sharedKey, DedupStore.Claim.Held held) implements Outcome {
        }

        /** The new claim was given back but the shared incident closed meanwhile: claim the scoped key again. */
        record Released() implements Outcome {
        }
    }

    /**
     * Called when {@code scopedKey} was just claimed with {@code candidateId} (nobody else counted on it yet, as far as
     * the claim knew): joins the shared key's open, in-scope incident, or leaves the new claim as it is.
     */
    public Outcome joinShared(String scopedKey, String candidateId, Instant now) {
        KeySpace.Scoped scoped = KeySpace.parse(scopedKey);
        if (scoped.scope() == null) {
            return new Outcome.Keep();
        }
        Optional<DedupStore.ClaimState> shared = claims.state(scoped.key());
        if (shared.isEmpty() || shared.get().closed() || shared.get().previousFormat()
                || shared.get().alert() == null
                || !AlertCodec.decode(shared.get().alert()).source().startsWith(scoped.scope())) {
            return new Outcome.Keep();
        }
        if (!claims.release(scopedKey, candidateId)) {
            return new Outcome.Keep(); // another alert already counts on the new claim: its incident opens
        }
        Optional<DedupStore.Claim.Held> joined = claims.join(scoped.key(), now);
        return joined.<Outcome>map(held -> new Outcome.Joined(scoped.key(), held)).orElse(new Outcome.Released());
    }
}
