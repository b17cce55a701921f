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
import org.covidrisk.ingest.v1.ListPatientsRequest;
import org.covidrisk.ingest.v1.ListPatientsResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadHeader;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadState;
import org.covidrisk.ingest.v1.UploadStatus;
import org.covidrisk.ingest.v1.UploadStatusRequest;
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
        return upload(token, batchId, csv, false);
    }

    UploadReport upload(String token, String batchId, String csv, boolean quarantine) throws Exception {
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
                .setFileName("t.csv").setQuarantineInvalidRows(quarantine)).build());
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
    void repeatedIdsInOneFileAreRefusedByLine() {
        String csv = new DgeRows().row("d1", "09", 4).row("d2", "09", 4).row("d1", "09", 4).csv();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> upload(steward(H_A), "batch-dup", csv));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        var v = GrpcProblems.violationsOf(e);
        assertEquals("line 4, column ID_REGISTRO", v.get(0).field());
        assertTrue(v.get(0).reason().contains("first seen on line 2"), v.get(0).reason());
        assertNotStored("d2");
    }

    @Test
    void quarantineModeStoresValidRowsAndNamesTheOthersWithoutTheirValues() throws Exception {
        String csv = new DgeRows().row("q1", "09", 4).row("q2", "09", 4, Map.of("EDAD", "431", "DIABETES", "7"))
                .row("q3", "09", 4, Map.of("FECHA_DEF", "2021-07-09")).row("q1", "09", 4)
                .row("q4", "09", 4, Map.of("FECHA_INGRESO", "2021-02-30")).csv();
        UploadReport r = upload(steward(H_A), "batch-quarantine", csv, true);
        assertEquals(5, r.getRowsRead());
        assertEquals(2, r.getRowsStored());
        assertEquals(3, r.getRowsQuarantined());
        assertEquals(1, r.getDeaths());
        List<String> where = r.getQuarantinedList().stream().map(p -> p.getLine() + ":" + p.getColumn()).toList();
        assertEquals(List.of("3:DIABETES", "3:EDAD", "5:ID_REGISTRO", "6:FECHA_INGRESO"), where.stream().sorted()
                .toList());
        assertFalse(r.getQuarantinedList().stream().anyMatch(p -> p.getReason().contains("431")));
        String doc = TestTokens.token("doc-q", List.of(H_A), "clinician");
        assertEquals("q3", blocking(doc).getPatient(GetPatientRequest.newBuilder().setPatientId("q3").build())
                .getPatientId());
        assertNotStored("q2");

        // A replay answers with the same counts and problems, from the database.
        UploadReport again = upload(steward(H_A), "batch-quarantine", csv, true);
        assertTrue(again.getReplayed());
        assertEquals(3, again.getRowsQuarantined());
        assertEquals(r.getQuarantinedList().size(), again.getQuarantinedCount());
    }

    @Test
    void aLaterFileUpdatesKnownPatientsAndAddsNewOnes() throws Exception {
        String token = steward(H_A);
        upload(token, "batch-first", new DgeRows().row("u1", "09", 4).row("u2", "09", 4).csv());
        UploadReport later = upload(token, "batch-later", new DgeRows().row("u1", "09", 4, Map.of("FECHA_DEF",
                "2021-07-20")).row("u3", "09", 4).csv());
        assertEquals(2, later.getRowsStored());
        assertEquals(1, later.getDeaths());
        var u1 = blocking(TestTokens.token("doc-u", List.of(H_A), "clinician")).getPatient(GetPatientRequest
                .newBuilder().setPatientId("u1").build());
        assertTrue(u1.getDied());
        assertEquals("2021-07-20", u1.getDeathDate());
    }

    @Test
    void uploadStatusIsVisibleToTheUploaderOnly() throws Exception {
        String token = steward(H_A);
        upload(token, "batch-status", new DgeRows().row("s1", "09", 4).row("s2", "09", 4).csv());
        UploadStatus st = blocking(token).getUploadStatus(UploadStatusRequest.newBuilder().setBatchId(
                "batch-status").build());
        assertEquals(UploadState.UPLOAD_STATE_STORED, st.getState());
        assertEquals(2, st.getRowsRead());
        assertEquals(2, st.getReport().getRowsStored());

        assertThrows(StatusRuntimeException.class, () -> upload(token, "batch-status-bad", new DgeRows().row("s3",
                "09", 4, Map.of("SEXO", "5")).csv()));
        UploadStatus bad = blocking(token).getUploadStatus(UploadStatusRequest.newBuilder().setBatchId(
                "batch-status-bad").build());
        assertEquals(UploadState.UPLOAD_STATE_REFUSED, bad.getState());
        assertTrue(bad.getMessage().contains("nothing was stored"), bad.getMessage());

        String other = TestTokens.token("other-steward", List.of(H_A), "data-steward");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> blocking(other)
                .getUploadStatus(UploadStatusRequest.newBuilder().setBatchId("batch-status").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    private void assertNotStored(String patientId) {
        String reader = TestTokens.token("doc", List.of(H_A, H_B), "clinician");
        StatusRuntimeException notStored = assertThrows(StatusRuntimeException.class,
                () -> blocking(reader).getPatient(GetPatientRequest.newBuilder().setPatientId(patientId).build()));
        assertEquals(Status.Code.NOT_FOUND, notStored.getStatus().getCode(), patientId + " must not be stored");
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

    @Test
    void listPatientsPagesThroughTheCallersHospitalOnlyInKeyOrder() throws Exception {
        String mine = "MX-30-07";
        String theirs = "MX-31-08";
        upload(steward(mine, theirs), "batch-list", new DgeRows().row("L5", "30", 7).row("L2", "30", 7)
                .row("L4", "30", 7).row("L1", "30", 7).row("L3", "30", 7).row("X1", "31", 8).row("X2", "31", 8)
                .csv());
        String doc = TestTokens.token("doc", List.of(mine), "clinician");
        List<String> seen = new ArrayList<>();
        String pageToken = "";
        int pages = 0;
        do {
            ListPatientsResponse page = blocking(doc).listPatients(ListPatientsRequest.newBuilder().setPageSize(2)
                    .setPageToken(pageToken).build());
            assertEquals(5, page.getTotal());
            assertTrue(page.getPatientsCount() <= 2);
            page.getPatientsList().forEach(p -> {
                assertEquals(mine, p.getHospital());
                seen.add(p.getPatientId());
            });
            pageToken = page.getNextPageToken();
            pages++;
        } while (!pageToken.isEmpty());
        assertEquals(List.of("L1", "L2", "L3", "L4", "L5"), seen);
        assertEquals(3, pages);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> blocking(doc).listPatients(
                ListPatientsRequest.newBuilder().setHospital(theirs).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> blocking(doc).listPatients(
                ListPatientsRequest.newBuilder().setPageSize(501).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("pageSize", GrpcProblems.violationsOf(e).get(0).field());
        e = assertThrows(StatusRuntimeException.class, () -> blocking(doc).listPatients(
                ListPatientsRequest.newBuilder().setPageToken("bm90LW91cnM").build()));
        assertEquals("pageToken", GrpcProblems.violationsOf(e).get(0).field());
        e = assertThrows(StatusRuntimeException.class, () -> blocking(steward(mine)).listPatients(
                ListPatientsRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), "stewards upload, they do not read");
    }
}
