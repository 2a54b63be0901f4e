package io.tocsin.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import jakarta.inject.Singleton;

import io.tocsin.delivery.EffectKind;

/**
 * A channel that exists only in test code: effect kind {@code test_pigeon} and its notifier, a CDI bean like the
 * production notifiers. It answers from a script (delivered when the script is empty) and keeps every effect it was
 * given. Its existence is the point of {@link NewChannelTest}: nothing in the dispatcher knows it.
 */
@Singleton
public class PigeonNotifier implements Notifier {

    /** The test-only kind; a stored name like any other. */
    public static final EffectKind PIGEON = EffectKind.define("test_pigeon", false, (action, level) -> "pigeon");

    private final Deque<Outcome> script = new ArrayDeque<>();
    private final List<Effect> sent = new ArrayList<>();

    @Override
    public EffectKind kind() {
        return PIGEON;
    }

    @Override
    public synchronized Outcome send(Effect effect) {
        sent.add(effect);
        Outcome next = script.poll();
        return next != null ? next : new Outcome.Delivered(0, "pigeon landed for " + effect.incidentId());
    }

    /** The next answers, in order. */
    public synchronized void answer(Outcome... outcomes) {
        script.addAll(List.of(outcomes));
    }

    /** The entry ids of the effects sent, in order. */
    public synchronized List<String> sentIds() {
        return sent.stream().map(e -> e.entry().id()).toList();
    }

    public synchronized void reset() {
        script.clear();
        sent.clear();
    }
}
