package dev.baton.problem;

import java.util.Collection;
import java.util.List;

/** A request that breaks its documented constraints: 400 validation-failed listing every broken field, sorted. */
public class InvalidRequest extends ApiException {

    private final List<String> errors;

    private InvalidRequest(List<String> errors) {
        super(400, "validation-failed", "The request is invalid: " + String.join("; ", errors));
        this.errors = errors;
    }

    /** {@code errors} as "field: message". */
    public static InvalidRequest listing(Collection<String> errors) {
        return new InvalidRequest(errors.stream().sorted().toList());
    }

    public List<String> errors() {
        return errors;
    }
}
