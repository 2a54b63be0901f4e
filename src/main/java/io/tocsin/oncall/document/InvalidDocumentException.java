package io.tocsin.oncall.document;

import java.util.List;
import java.util.stream.Collectors;

/** The document was refused; {@link #problems()} names every bad field found, not only the first. */
public class InvalidDocumentException extends RuntimeException {

    private final List<Problem> problems;

    public InvalidDocumentException(List<Problem> problems) {
        super(problems.size() + " problem(s) in the on-call document:\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
