package io.tocsin.emf;

/** Where {@link Emf} writes its lines: standard output in Lambda and the local run ({@link EmfSinks}). */
@FunctionalInterface
public interface EmfSink {

    void write(String line);
}
