package org.covidrisk.gateway.security;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.covidrisk.gateway.rest.Problem;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Per-user rate limit on the API: 429 problem+json with {@code Retry-After} when the user's bucket is empty. Keyed
 * by the verified token's subject, so it runs after the token is checked (a forged name cannot drain another
 * user's bucket); requests without a valid token are left to the endpoint, which answers 401.
 */
public class RateLimitFilter {

    @Inject
    RateLimiter limiter;

    @Inject
    CurrentIdentityAssociation identity;

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        if (!limiter.enabled() || !request.getUriInfo().getPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        return identity.getDeferredIdentity().onFailure().recoverWithNull().map(id -> {
            if (id == null || id.isAnonymous()) {
                return null;
            }
            RateLimiter.Decision d = limiter.tryTake(id.getPrincipal().getName());
            if (d.allowed()) {
                return null;
            }
            return Response.fromResponse(Problem.response(429, "Too many requests",
                    "the rate limit of your account is exhausted; retry after " + d.retryAfterSeconds() + " s",
                    List.of())).header("Retry-After", Long.toString(d.retryAfterSeconds())).build();
        });
    }
}
