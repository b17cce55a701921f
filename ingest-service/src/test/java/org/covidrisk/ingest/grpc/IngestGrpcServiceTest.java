package org.covidrisk.ingest.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.covidrisk.ingest.DgeRows;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadHeader;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class IngestGrpcServiceTest {

    static final String H_A = "MX-09-04";
    static final String H_B = "MX-15-12";

    @TestHTTPResource
    URL url;

    TestChannel test;
    ManagedChannel channel;

    @BeforeEach
    void open() {
        test = new TestChannel(url);
        channel = test.channel();
    }

    @AfterEach
    void close() throws InterruptedException {
        test.close();
    }

    private IngestServiceGrpc.IngestServiceStub async(String token) {
        return BearerToken.attach(IngestServiceGrpc.newStub(channel), token);
    }

    private IngestServiceGrpc.IngestServiceBlockingStub blocking(String token) {
        return BearerToken.attach(IngestServiceGrpc.newBlockingStub(channel), token);
    }

    static String steward(String... hospitals) {
        return TestTokens.token("steward", List.of(hospitals), "data-steward");
    }

    UploadReport upload(String token, String batchId, String csv) throws Exception {
        CompletableFuture<UploadReport> result = new CompletableFuture<>();
        StreamObserver<UploadChunk> req = async(token).uploadDge(new StreamObserver<>() {
            @Override
            public void onNext(UploadReport value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        req.onNext(UploadChunk.newBuilder().setHeader(UploadHeader.newBuilder().setBatchId(batchId)
                .setFileName("t.csv")).build());
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        // several chunks, to exercise reassembly
        for (int from = 0; from < bytes.length; from += 100) {
            req.onNext(UploadChunk.newBuilder().setData(ByteString.copyFrom(bytes, from,
                    Math.min(100, bytes.length - from))).build());
        }
        req.onCompleted();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void storesABatchOnceAndRefusesChangedContentUnderTheSameId() throws Exception {
        String csv = new DgeRows().row("p1", "09", 4, Map.of("FECHA_DEF", "2021-07-10"))
                .row("p2", "09", 4).row("p3", "15", 12).csv();
        String token = steward(H_A, H_B);
        UploadReport first = upload(token, "batch-once", csv);
        assertEquals(3, first.getRowsStored());
        assertEquals(1, first.getDeaths());
        assertEquals(List.of(H_A, H_B), first.getHospitalsList());
        assertFalse(first.getReplayed());

        UploadReport again = upload(token, "batch-once", csv);
        assertTrue(again.getReplayed());
        assertEquals(3, again.getRowsStored());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> upload(token, "batch-once", csv.replace("p3", "p4")));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
    }

    @Test
    void refusesRowsOfAnotherHospitalAndStoresNothing() throws Exception {
        String csv = new DgeRows().row("t1", "09", 4).row("t2", "15", 12).csv();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> upload(steward(H_A), "batch-tenant", csv));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        var v = GrpcProblems.violationsOf(e);
        assertEquals("line 3, column ENTIDAD_UM/SECTOR", v.get(0).field());
        String reader = TestTokens.token("doc", List.of(H_A), "clinician");
        StatusRuntimeException notStored = assertThrows(StatusRuntimeException.class,
                () -> blocking(reader).getPatient(GetPatientRequest.newBuilder().setPatientId("t1").build()));
        assertEquals(Status.Code.NOT_FOUND, notStored.getStatus().getCode(), "all-or-nothing: t1 not stored");
    }

    @Test
    void invalidRowsAreNamedInTheError() {
        String csv = new DgeRows().row("v1", "09", 4, Map.of("EDAD", "abc")).csv();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> upload(steward(H_A), "batch-invalid", csv));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("line 2, column EDAD", GrpcProblems.violationsOf(e).get(0).field());
    }

    @Test
    void patientsAreVisibleOnlyWithinTheCallersHospital() throws Exception {
        upload(steward(H_A, H_B), "batch-read", new DgeRows().row("r1", "09", 4, Map.of("EDAD", "77"))
                .row("r2", "15", 12).csv());
        PatientRecord own = blocking(TestTokens.token("doc-a", List.of(H_A), "clinician"))
                .getPatient(GetPatientRequest.newBuilder().setPatientId("r1").build());
        assertEquals(77, own.getAge());
        assertEquals(H_A, own.getHospital());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class,
                () -> blocking(TestTokens.token("doc-a", List.of(H_A), "clinician"))
                        .getPatient(GetPatientRequest.newBuilder().setPatientId("r2").build()));
        assertEquals(Status.Code.NOT_FOUND, other.getStatus().getCode());
    }

    @Test
    void tokensAreVerifiedOnEveryCall() {
        var noToken = IngestServiceGrpc.newBlockingStub(channel);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> noToken.getPatient(GetPatientRequest.newBuilder().setPatientId("x").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());

        String expired = TestTokens.expiredToken("doc", List.of(H_A), "clinician");
        e = assertThrows(StatusRuntimeException.class,
                () -> blocking(expired).getPatient(GetPatientRequest.newBuilder().setPatientId("x").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());

        String clinician = TestTokens.token("doc", List.of(H_A), "clinician");
        e = assertThrows(StatusRuntimeException.class, () -> {
            Iterator<PatientRecord> it = blocking(clinician).streamCohort(CohortRequest.getDefaultInstance());
            it.hasNext();
        });
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    }

    @Test
    void cohortStreamsEveryStoredRecordWithFilters() throws Exception {
        upload(steward(H_A), "batch-cohort", new DgeRows().row("c1", "09", 4)
                .row("c2", "09", 4, Map.of("TIPO_PACIENTE", "1")).row("c3", "09", 4, Map.of("CLASIFICACION_FINAL",
                        "7"))
                .csv());
        String admin = TestTokens.token("admin", List.of(), "model-admin");
        List<String> hosp = new ArrayList<>();
        blocking(admin).streamCohort(CohortRequest.newBuilder().setHospitalisedOnly(true).setConfirmedOnly(true)
                .addHospitals(H_A).build()).forEachRemaining(r -> hosp.add(r.getPatientId()));
        assertTrue(hosp.contains("c1"));
        assertFalse(hosp.contains("c2"), "outpatient filtered");
        assertFalse(hosp.contains("c3"), "negative filtered");
    }
}
