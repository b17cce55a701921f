package org.covidrisk.gateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;

/**
 * A client-streaming upload under gRPC flow control: the header message, then the body in chunks, waiting whenever
 * the transport is not ready, so a large file never sits whole in the gateway's heap. One implementation for every
 * upload (DGE, admission files, X-rays); grpc-java has no blocking client-streaming stub that does this.
 */
final class StreamingUpload {

    private StreamingUpload() {
    }

    /**
     * Sends {@code header}, then {@code body} in chunks of {@code chunkBytes}, and stops early when the server has
     * already answered (e.g. refused the batch or an image over the byte limit).
     *
     * @param call starts the client stream on a stub
     * @param data wraps a chunk of bytes in the stream's message
     * @param unreadable the INVALID_ARGUMENT description when the body cannot be read
     * @return the server's single answer
     */
    static <C, R> R send(Function<StreamObserver<R>, StreamObserver<C>> call, C header, Function<ByteString, C> data,
            InputStream body, int chunkBytes, Duration timeout, String unreadable) {
        CompletableFuture<R> result = new CompletableFuture<>();
        ReentrantLock lock = new ReentrantLock();
        Condition ready = lock.newCondition();
        Runnable wake = () -> {
            lock.lock();
            try {
                ready.signalAll();
            } finally {
                lock.unlock();
            }
        };
        List<ClientCallStreamObserver<C>> requestHolder = new ArrayList<>(1);
        call.apply(new ClientResponseObserver<C, R>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<C> request) {
                requestHolder.add(request);
                request.setOnReadyHandler(wake);
            }

            @Override
            public void onNext(R value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
                wake.run();
            }

            @Override
            public void onCompleted() {
            }
        });
        ClientCallStreamObserver<C> request = requestHolder.get(0);
        try {
            request.onNext(header);
            byte[] buf = new byte[chunkBytes];
            int n;
            while ((n = body.readNBytes(buf, 0, buf.length)) > 0) {
                lock.lock();
                try {
                    while (!request.isReady() && !result.isDone()) {
                        ready.await(1, TimeUnit.SECONDS);
                    }
                } finally {
                    lock.unlock();
                }
                if (result.isDone()) {
                    break; // the server already answered
                }
                request.onNext(data.apply(ByteString.copyFrom(buf, 0, n)));
            }
            if (!result.isDone()) {
                request.onCompleted();
            }
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            request.cancel("client upload failed", e);
            throw Status.INVALID_ARGUMENT.withDescription(unreadable).asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel("interrupted", e);
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw Status.INTERNAL.withDescription("upload failed").withCause(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            request.cancel("timeout", e);
            throw Status.DEADLINE_EXCEEDED.withDescription("the upload took too long").asRuntimeException();
        }
    }
}
