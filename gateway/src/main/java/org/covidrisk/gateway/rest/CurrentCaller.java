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

    /**
     * Which hospitals' rows the caller may see in network-wide answers (model provenance, reports): every one for
     * network analysts and model admins, their own for everyone else.
     */
    public java.util.function.Predicate<String> hospitalVisible() {
        Caller c = get();
        if (c.hasRole(org.covidrisk.platform.security.Roles.NETWORK_ANALYST)
                || c.hasRole(org.covidrisk.platform.security.Roles.MODEL_ADMIN)) {
            return h -> true;
        }
        return c::belongsTo;
    }
}
