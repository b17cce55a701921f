package org.covidrisk.platform.grpc;

import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.quarkus.grpc.GrpcClientUtils;

/**
 * Puts the caller's bearer token into the gRPC metadata of a downstream call, so that every service verifies
 * the original caller rather than trusting its neighbour.
 */
public final class BearerToken {

    /** The {@code authorization} metadata key, as HTTP/2 carries it. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private BearerToken() {
    }

    /** A copy of the stub that sends {@code Authorization: Bearer <token>} with every call. */
    public static <T extends AbstractStub<T>> T attach(T stub, String rawToken) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + rawToken);
        return GrpcClientUtils.attachHeaders(stub, headers);
    }
}
