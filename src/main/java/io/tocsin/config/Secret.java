package io.tocsin.config;

/** A credential. Its {@code toString} never shows the value, so it cannot end up in a log line by accident. */
public record Secret(String value) {

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
