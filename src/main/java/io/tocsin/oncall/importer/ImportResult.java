package io.tocsin.oncall.importer;

import io.tocsin.oncall.document.OnCallDocument;
import java.util.List;

/** An imported setup as a Tocsin document, and notes on what could not be carried over (shown to the user). */
public record ImportResult(OnCallDocument document, List<String> notes) {

    public ImportResult {
        notes = List.copyOf(notes);
    }
}
