package org.covidrisk.platform.grpc;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.RetryInfo;

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

    /**
     * "Too busy, retry later": {@code RESOURCE_EXHAUSTED} with a {@code google.rpc.RetryInfo} detail. The retry
     * delay is what tells an overloaded service (HTTP 503 with {@code Retry-After} at the gateway) apart from a
     * request that is too large ({@code RESOURCE_EXHAUSTED} without it, HTTP 413).
     */
    public static StatusRuntimeException busy(String message, Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.RESOURCE_EXHAUSTED.value()).setMessage(message)
                .addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(seconds)).build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    /** The retry delay a gRPC error carries ({@link #busy}), empty when it carries none. */
    public static Optional<Duration> retryDelayOf(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return Optional.empty();
        }
        for (Any any : status.getDetailsList()) {
            if (any.is(RetryInfo.class)) {
                try {
                    var d = any.unpack(RetryInfo.class).getRetryDelay();
                    return Optional.of(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
