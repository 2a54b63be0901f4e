package io.tocsin.oncall.document;

/** One thing wrong with a document: the JSON path of the field (e.g. {@code $.schedules[0].zone}) and what is wrong. */
public record Problem(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
