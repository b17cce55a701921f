package org.covidrisk.gateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.ListPatientsRequest;
import org.covidrisk.ingest.v1.ListPatientsResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadHeader;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.grpc.GrpcClient;

/** Calls ingest-service with the caller's token. */
@ApplicationScoped
public class IngestClient {

    /** The raw channel: Quarkus injects no plain async stub, and client streaming needs one. */
    @GrpcClient("ingest")
    io.grpc.Channel channel;

    @GrpcClient("ingest")
    IngestServiceGrpc.IngestServiceBlockingStub blocking;

    @Inject
    GatewayConfig config;

    public PatientRecord patient(Caller caller, String patientId) {
        return BearerToken.attach(blocking, caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getPatient(GetPatientRequest.newBuilder().setPatientId(patientId).build());
    }

    public ListPatientsResponse listPatients(Caller caller, ListPatientsRequest request) {
        return BearerToken.attach(blocking, caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS).listPatients(request);
    }

    /**
     * Streams the body to ingest-service in chunks, waiting whenever the transport is not ready, so a large file
     * never sits in the gateway's heap.
     */
    public UploadReport upload(Caller caller, String batchId, String fileName, InputStream body) {
        CompletableFuture<UploadReport> result = new CompletableFuture<>();
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
        ClientCallStreamObserver<UploadChunk>[] requestHolder = new ClientCallStreamObserver[1];
        BearerToken.attach(IngestServiceGrpc.newStub(channel), caller.rawToken())
                .withDeadlineAfter(config.uploadTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .uploadDge(new ClientResponseObserver<UploadChunk, UploadReport>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<UploadChunk> request) {
                        requestHolder[0] = request;
                        request.setOnReadyHandler(wake);
                    }

                    @Override
                    public void onNext(UploadReport value) {
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
        ClientCallStreamObserver<UploadChunk> request = requestHolder[0];
        try {
            request.onNext(UploadChunk.newBuilder().setHeader(UploadHeader.newBuilder().setBatchId(batchId)
                    .setFileName(fileName == null ? "" : fileName)).build());
            byte[] buf = new byte[config.uploadChunkBytes()];
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
                    break; // the server already answered (e.g. refused the batch)
                }
                request.onNext(UploadChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
            }
            if (!result.isDone()) {
                request.onCompleted();
            }
            return result.get(config.uploadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            request.cancel("client upload failed", e);
            throw Status.INVALID_ARGUMENT.withDescription("the upload body could not be read").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel("interrupted", e);
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw Status.INTERNAL.withDescription("upload failed").withCause(e.getCause()).asRuntimeException();
        } catch (java.util.concurrent.TimeoutException e) {
            request.cancel("timeout", e);
            throw Status.DEADLINE_EXCEEDED.withDescription("the upload took too long").asRuntimeException();
        }
    }
}
