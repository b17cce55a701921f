package org.covidrisk.platform.grpc;

import java.util.List;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * Builds gRPC errors that name what is wrong: a status code, a message, and {@code google.rpc.BadRequest} field
 * violations that the gateway turns into the {@code errors} list of a problem+json response.
 */
public final class GrpcProblems {

    /** One named problem: the field (or "line 12, column EDAD") and the reason. */
    public record Violation(String field, String reason) {
    }

    private GrpcProblems() {
    }

    public static StatusRuntimeException of(Status.Code code, String message, List<Violation> violations) {
        BadRequest.Builder details = BadRequest.newBuilder();
        for (Violation v : violations) {
            details.addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(v.field())
                    .setDescription(v.reason()));
        }
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message)
                .addDetails(Any.pack(details.build())).build();
        return StatusProto.toStatusRuntimeException(status);
    }

    public static StatusRuntimeException of(Status.Code code, String message) {
        return of(code, message, List.of());
    }

    /** The field violations carried by a gRPC error, empty when it carries none. */
    public static List<Violation> violationsOf(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return List.of();
        }
        for (Any any : status.getDetailsList()) {
            if (any.is(BadRequest.class)) {
                try {
                    return any.unpack(BadRequest.class).getFieldViolationsList().stream()
                            .map(f -> new Violation(f.getField(), f.getDescription())).toList();
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    return List.of();
                }
            }
        }
        return List.of();
    }
}
