package io.tocsin.fault;

/**
 * Where a test can end an invocation on purpose, as a killed Lambda would end. In production this is {@link #NONE}
 * (see {@link FaultHookProducer}); the test suite replaces it with a hook that throws an {@link Error} at a chosen
 * {@link FaultPoint}, which nothing in Tocsin catches, so the invocation dies there with its work half done.
 */
public interface FaultHook {

    FaultHook NONE = point -> {
    };

    /** Called when the path reaches {@code point}. */
    void reached(FaultPoint point);
}
