package io.tocsin.incident;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.delivery.EffectKind;
import io.tocsin.notify.Notifier;

/**
 * Every {@link Notifier} bean, by the kind it sends: how the dispatcher finds who sends an entry. A channel is added by
 * adding a notifier bean; nothing here or in the dispatcher changes.
 */
@Singleton
public class Notifiers {

    private final Map<EffectKind, Notifier> byKind = new HashMap<>();

    @Inject
    public Notifiers(@Any Instance<Notifier> all) {
        for (Notifier notifier : all) {
            Notifier before = byKind.putIfAbsent(notifier.kind(), notifier);
            if (before != null) {
                throw new IllegalStateException("two notifiers for effect kind " + notifier.kind() + ": "
                        + before.getClass().getName() + " and " + notifier.getClass().getName());
            }
        }
    }

    /** The notifier of {@code kind}; empty when this version has none (an entry written by a newer version). */
    public Optional<Notifier> of(EffectKind kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The notifier of {@code kind}, which must exist (the kinds this version writes itself). */
    public Notifier require(EffectKind kind) {
        return of(kind).orElseThrow(() -> new IllegalStateException("no notifier for effect kind " + kind));
    }
}
