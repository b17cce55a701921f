package org.covidrisk.gateway.client;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.ingest.v1.AdmissionServiceGrpc;
import org.covidrisk.ingest.v1.AdmissionUploadChunk;
import org.covidrisk.ingest.v1.AdmissionUploadHeader;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.ListPatientsRequest;
import org.covidrisk.ingest.v1.ListPatientsResponse;
import org.covidrisk.ingest.v1.ListQuarantineRequest;
import org.covidrisk.ingest.v1.ListQuarantineResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.RecordOutcomesRequest;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadHeader;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadStatus;
import org.covidrisk.ingest.v1.UploadStatusRequest;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;

import com.google.protobuf.ByteString;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;

/** Calls ingest-service with the caller's token. */
@ApplicationScoped
public class IngestClient {

    /** The raw channel: Quarkus injects no plain async stub, and client streaming needs one. */
    @GrpcClient("ingest")
    io.grpc.Channel channel;

    @GrpcClient("ingest")
    IngestServiceGrpc.IngestServiceBlockingStub blocking;

    /** Admission uploads, outcomes and streams: a second service on the same ingest-service channel. */
    @GrpcClient("ingest")
    AdmissionServiceGrpc.AdmissionServiceBlockingStub admissions;

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
     * Streams a DGE file to ingest-service in chunks, waiting whenever the transport is not ready, so a large file
     * never sits in the gateway's heap.
     */
    public UploadReport upload(Caller caller, String batchId, String fileName, boolean quarantine, InputStream body) {
        IngestServiceGrpc.IngestServiceStub stub = BearerToken.attach(IngestServiceGrpc.newStub(channel), caller
                .rawToken()).withDeadlineAfter(config.uploadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return stream(stub::uploadDge, UploadChunk.newBuilder().setHeader(UploadHeader.newBuilder().setBatchId(
                batchId).setFileName(fileName == null ? "" : fileName).setQuarantineInvalidRows(quarantine)).build(),
                d -> UploadChunk.newBuilder()
                        .setData(d).build(),
                body);
    }

    /** Streams an admission file (admission CSV, Tongji export, FHIR Bundles) like {@link #upload}. */
    public UploadReport uploadAdmissions(Caller caller, AdmissionUploadHeader header, InputStream body) {
        AdmissionServiceGrpc.AdmissionServiceStub stub = BearerToken.attach(AdmissionServiceGrpc.newStub(channel),
                caller.rawToken()).withDeadlineAfter(config.uploadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return stream(stub::uploadAdmissions, AdmissionUploadChunk.newBuilder().setHeader(header).build(),
                d -> AdmissionUploadChunk.newBuilder().setData(d).build(), body);
    }

    /** Where one of the caller's uploads stands. */
    public UploadStatus uploadStatus(Caller caller, String batchId) {
        return BearerToken.attach(blocking, caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getUploadStatus(UploadStatusRequest.newBuilder().setBatchId(batchId).build());
    }

    /** A page of the quarantine report of one of the caller's batches. */
    public ListQuarantineResponse quarantine(Caller caller, String batchId, int pageSize, String pageToken) {
        return BearerToken.attach(blocking, caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .listQuarantine(ListQuarantineRequest.newBuilder().setBatchId(batchId).setPageSize(pageSize)
                        .setPageToken(pageToken == null ? "" : pageToken).build());
    }

    /** Records late outcomes as one batch. */
    public UploadReport recordOutcomes(Caller caller, RecordOutcomesRequest request) {
        return BearerToken.attach(admissions, caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS).recordOutcomes(request);
    }

    private <C> UploadReport stream(Function<StreamObserver<UploadReport>, StreamObserver<C>> call, C header,
            Function<ByteString, C> data, InputStream body) {
        return StreamingUpload.send(call, header, data, body, config.uploadChunkBytes(), config.uploadTimeout(),
                "the upload body could not be read");
    }
}
