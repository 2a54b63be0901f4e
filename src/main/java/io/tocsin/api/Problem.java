package io.tocsin.api;

/** One thing wrong with an input: which field, and what. */
public record Problem(String field, String message) {
}
