package org.covidrisk.gateway.rest;

import java.util.List;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.platform.security.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.Authenticated;

/** Who the gateway thinks you are. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** The caller as seen by the suite. */
    public record Me(String username, List<String> roles, List<String> hospitals) {
    }

    @Inject
    CurrentCaller caller;

    @GET
    @Authenticated
    @Operation(summary = "Your user name, realm roles and hospitals, as the token carries them")
    public Me me() {
        Caller c = caller.get();
        return new Me(c.username(), List.copyOf(new TreeSet<>(c.roles())), c.hospitals());
    }
}
