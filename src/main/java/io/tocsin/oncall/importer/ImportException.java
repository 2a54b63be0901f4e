package io.tocsin.oncall.importer;

/** The vendor JSON could not be read: {@code path} is the element being read, the message what was wrong with it. */
public class ImportException extends RuntimeException {

    private final String path;

    public ImportException(String path, RuntimeException cause) {
        super(path + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
                cause);
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Runs {@code read}, turning any failure into an {@link ImportException} naming {@code path}. */
    static <T> T at(String path, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImportException(path, e);
        }
    }
}
