package io.tocsin.fault;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** Production has no faults: the hook does nothing. The test suite supplies its own bean, which wins over this one. */
public class FaultHookProducer {

    @Produces
    @Singleton
    @DefaultBean
    FaultHook faultHook() {
        return FaultHook.NONE;
    }
}
