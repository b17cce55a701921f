package org.covidrisk.gateway.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details, the body of every error the gateway returns ({@code application/problem+json}).
 *
 * @param type a URI naming the problem kind
 * @param title short summary of the kind
 * @param status HTTP status
 * @param detail what happened in this case (never a stack trace or class name)
 * @param errors the fields or rows at fault, each with its reason
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    /** Media type of problem responses. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field or row at fault. */
    public record FieldError(String field, String reason) {
    }

    /** The problem; its type URI is derived from the title. */
    public static Problem of(int status, String title, String detail, List<FieldError> errors) {
        String type = "https://covid-risk.org/problems/" + title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        return new Problem(type, title, status, detail, errors);
    }

    public static Response response(int status, String title, String detail, List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE).entity(of(status, title, detail, errors)).build();
    }
}
