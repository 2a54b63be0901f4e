package io.tocsin.oncall.policy;

import java.time.Instant;
import java.util.List;

/** Step {@code step} of pass {@code pass} (both from 0), due at {@code at}, for {@code targets}. */
public record DueStep(int pass, int step, Instant at, List<Target> targets) {

    /** One notification per target per step: the sweep keys its effect by incident and this. */
    public List<String> notificationKeys() {
        return targets.stream().map(t -> pass + "/" + step + "/" + t.key()).toList();
    }
}
