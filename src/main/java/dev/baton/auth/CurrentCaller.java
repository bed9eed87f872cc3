package dev.baton.auth;

import dev.baton.problem.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** The verified caller of the current request, set by {@link BearerTokenFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw ApiException.unauthorized();
        }
        return caller;
    }
}
