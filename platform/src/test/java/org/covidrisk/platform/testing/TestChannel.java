package org.covidrisk.platform.testing;

import java.net.URL;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/** A plaintext gRPC channel to the service under test (gRPC shares the HTTP port), closed after the test. */
public final class TestChannel implements AutoCloseable {

    private final ManagedChannel channel;

    public TestChannel(URL serviceUrl) {
        channel = ManagedChannelBuilder.forAddress(serviceUrl.getHost(), serviceUrl.getPort()).usePlaintext().build();
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
