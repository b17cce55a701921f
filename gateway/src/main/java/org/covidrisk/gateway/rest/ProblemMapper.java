package org.covidrisk.gateway.rest;

import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.covidrisk.platform.grpc.GrpcProblems;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import io.grpc.StatusRuntimeException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one error mapper of the gateway: gRPC status and every exception become {@code application/problem+json}.
 * Only server faults (5xx) are logged; client errors are answered, not logged. Responses never carry a stack
 * trace, a class name or patient values.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response grpc(StatusRuntimeException e) {
        String detail = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
        List<Problem.FieldError> errors = GrpcProblems.violationsOf(e).stream()
                .map(v -> new Problem.FieldError(v.field(), v.reason())).toList();
        return switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> Problem.response(400, "Invalid request", detail, errors);
            case UNAUTHENTICATED -> unauthorized("the token was refused by a downstream service");
            case PERMISSION_DENIED -> Problem.response(403, "Forbidden", detail, errors);
            case NOT_FOUND -> Problem.response(404, "Not found", detail, errors);
            case ALREADY_EXISTS, ABORTED -> Problem.response(409, "Conflict", detail, errors);
            case FAILED_PRECONDITION -> Problem.response(409, "Not possible now", detail, errors);
            // RESOURCE_EXHAUSTED means "too large" (an upload over its limit) or "too busy" (a full queue); a
            // retry delay (GrpcProblems.busy) marks the second, which is a 503 to retry, not a 413 to give up on
            case RESOURCE_EXHAUSTED -> GrpcProblems.retryDelayOf(e).map(delay -> busy(detail, delay))
                    .orElseGet(() -> Problem.response(413, "Too large", detail, errors));
            case UNIMPLEMENTED -> Problem.response(501, "Not implemented",
                    "the backend service does not offer this operation yet", List.of());
            case UNAVAILABLE -> {
                LOG.warnf("downstream unavailable: %s", detail);
                yield Problem.response(503, "Service unavailable", "a backend service is unavailable; retry later",
                        List.of());
            }
            case DEADLINE_EXCEEDED -> {
                LOG.warnf("downstream deadline exceeded: %s", detail);
                yield Problem.response(504, "Timeout", "a backend service did not answer in time", List.of());
            }
            case CANCELLED -> Problem.response(499, "Cancelled", "the request was cancelled", List.of());
            default -> {
                LOG.errorf(e, "downstream failure %s", e.getStatus().getCode());
                yield Problem.response(502, "Backend failure", "a backend service failed; see the server logs",
                        List.of());
            }
        };
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return unauthorized("a valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.response(403, "Forbidden", "your role does not allow this request", List.of());
    }

    /** Refusals that name their reason (the role-management remit). */
    @ServerExceptionMapper
    public Response refused(org.covidrisk.gateway.admin.RemitException e) {
        return Problem.response(403, "Forbidden", e.getMessage(),
                List.of(new Problem.FieldError(e.field(), e.getMessage())));
    }

    /** Quarkus's own violation exception has a built-in mapper that answers plain JSON; this one wins. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response invalidRequest(io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException e) {
        return invalid(e);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leaf(v.getPropertyPath().toString()), v.getMessage())).sorted(
                        java.util.Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problem.response(400, "Invalid request", "the request has " + errors.size() + " invalid field(s)",
                errors);
    }

    /** Quarkus maps these Jackson errors itself (plain JSON); these two win. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response unparsable(com.fasterxml.jackson.core.JsonParseException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String field = "body";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream().map(r -> r.getFieldName() != null
                    ? r.getFieldName()
                    : "[" + r.getIndex() + "]").reduce((a, b) -> a + "." + b).orElse("body");
        }
        return Problem.response(400, "Invalid request", "the JSON body could not be read",
                List.of(new Problem.FieldError(field, "malformed or of the wrong type")));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.response(status, title == null ? "Error" : title, e.getMessage() == null ? "" : e.getMessage(),
                List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return Problem.response(500, "Internal error", "the request failed; the error was logged", List.of());
    }

    private static Response busy(String detail, java.time.Duration retryAfter) {
        LOG.warnf("downstream busy: %s", detail);
        Response r = Problem.response(503, "Service busy", detail, List.of());
        return Response.fromResponse(r).header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds())).build();
    }

    private static Response unauthorized(String detail) {
        Response r = Problem.response(401, "Unauthorized", detail, List.of());
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"covid-risk\"").build();
    }

    /** "score.arg1.age" → "age": the JSON field name the client sent. */
    private static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
