package io.tocsin.emf;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** Standard output, which Lambda sends to CloudWatch Logs; a test that records the lines declares its own sink bean. */
public class EmfSinks {

    @Produces
    @DefaultBean
    @Singleton
    EmfSink standardOutput() {
        return System.out::println;
    }
}
