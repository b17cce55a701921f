package org.covidrisk.gateway.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.covidrisk.platform.security.Caller;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;

/** The caller of the current request. */
@RequestScoped
public class CurrentCaller {

    @Inject
    SecurityIdentity identity;

    public Caller get() {
        return Caller.of(identity);
    }

    /** The caller, who must hold at least one hospital (clinicians and data stewards work for a hospital). */
    public Caller withHospital() {
        Caller c = get();
        if (c.hospitals().isEmpty()) {
            throw new ForbiddenException("no hospital in token");
        }
        return c;
    }
}
