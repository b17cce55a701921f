package org.covidrisk.gateway.security;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.gateway.rest.Problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Request size limit for everything but the streamed uploads: a JSON body larger than
 * {@code gateway.body.max-json-bytes} is refused with 413 before a byte of it is read, and a body of unstated
 * length (chunked) with 411, since it could only be measured by reading it. Uploads ({@code streamed-paths}) stay
 * streamed and are bounded by {@code quarkus.http.limits.max-body-size}.
 *
 * <p>
 * A Vert.x route filter rather than a JAX-RS filter: it runs before RESTEasy Reactive buffers the body.
 */
@ApplicationScoped
public class BodyLimitFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    GatewayConfig config;

    void register(@Observes Filters filters) {
        filters.register(this::check, 100);
    }

    void check(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!path.startsWith("/api/") || streamed(path)) {
            rc.next();
            return;
        }
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        String chunked = rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        long max = config.body().maxJsonBytes();
        if (length == null && chunked != null) {
            refuse(rc, 411, "Length required", "state the body's Content-Length (at most " + max + " bytes)");
            return;
        }
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                refuse(rc, 400, "Invalid request", "Content-Length is not a number");
                return;
            }
            if (n > max) {
                refuse(rc, 413, "Too large", "the body has " + n + " bytes; at most " + max + " are accepted");
                return;
            }
        }
        rc.next();
    }

    private boolean streamed(String path) {
        for (Pattern p : streamed()) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    private volatile List<Pattern> streamed;

    private List<Pattern> streamed() {
        if (streamed == null) {
            streamed = config.body().streamedPaths().stream().map(Pattern::compile).toList();
        }
        return streamed;
    }

    private static void refuse(RoutingContext rc, int status, String title, String detail) {
        String body;
        try {
            body = JSON.writeValueAsString(Problem.of(status, title, detail,
                    List.of(new Problem.FieldError("body", detail))));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
