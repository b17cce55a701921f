package org.covidrisk.ingest.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.covidrisk.ingest.v1.AdmissionFormat;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.AdmissionServiceGrpc;
import org.covidrisk.ingest.v1.AdmissionUploadChunk;
import org.covidrisk.ingest.v1.AdmissionUploadHeader;
import org.covidrisk.ingest.v1.AdmissionsRequest;
import org.covidrisk.ingest.v1.GetAdmissionRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.ListQuarantineRequest;
import org.covidrisk.ingest.v1.ListQuarantineResponse;
import org.covidrisk.ingest.v1.Measurement;
import org.covidrisk.ingest.v1.OutcomeEvent;
import org.covidrisk.ingest.v1.OutcomeEventsRequest;
import org.covidrisk.ingest.v1.OutcomeUpdate;
import org.covidrisk.ingest.v1.RecordOutcomesRequest;
import org.covidrisk.ingest.v1.Sex;
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

import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The admission RPCs over gRPC: uploads in three formats, batch rules, quarantine report, late outcomes. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class AdmissionGrpcServiceTest {

    static final String CSV_HEADER = "patient_id,hospital,admission_time,age,sex,crp,crp_unit,outcome,outcome_time\n";

    @TestHTTPResource
    URL url;

    @Inject
    AgroalDataSource db;

    TestChannel test;

    @BeforeEach
    void open() {
        test = new TestChannel(url);
    }

    @AfterEach
    void close() throws InterruptedException {
        test.close();
    }

    static String steward(String... hospitals) {
        return TestTokens.token("adm-steward", List.of(hospitals), "data-steward");
    }

    static String admin() {
        return TestTokens.token("adm-admin", List.of(), "model-admin");
    }

    private AdmissionServiceGrpc.AdmissionServiceBlockingStub blocking(String token) {
        return BearerToken.attach(AdmissionServiceGrpc.newBlockingStub(test.channel()), token);
    }

    private IngestServiceGrpc.IngestServiceBlockingStub ingest(String token) {
        return BearerToken.attach(IngestServiceGrpc.newBlockingStub(test.channel()), token);
    }

    UploadReport upload(String token, AdmissionUploadHeader.Builder header, byte[] bytes) throws Exception {
        CompletableFuture<UploadReport> result = new CompletableFuture<>();
        StreamObserver<AdmissionUploadChunk> req = BearerToken.attach(AdmissionServiceGrpc.newStub(test.channel()),
                token).uploadAdmissions(new StreamObserver<>() {
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
        req.onNext(AdmissionUploadChunk.newBuilder().setHeader(header).build());
        for (int from = 0; from < bytes.length; from += 1000) {
            req.onNext(AdmissionUploadChunk.newBuilder().setData(ByteString.copyFrom(bytes, from, Math.min(1000,
                    bytes.length - from))).build());
        }
        req.onCompleted();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    static AdmissionUploadHeader.Builder header(String batchId, AdmissionFormat format) {
        return AdmissionUploadHeader.newBuilder().setBatchId(batchId).setFileName("f").setFormat(format);
    }

    static byte[] resource(String name) throws Exception {
        try (var in = AdmissionGrpcServiceTest.class.getClassLoader().getResourceAsStream("admission/" + name)) {
            return in.readAllBytes();
        }
    }

    private List<AdmissionRecord> admissions(String... hospitals) {
        List<AdmissionRecord> out = new ArrayList<>();
        blocking(admin()).streamAdmissions(AdmissionsRequest.newBuilder().addAllHospitals(List.of(hospitals))
                .build()).forEachRemaining(out::add);
        return out;
    }

    private AdmissionRecord admission(String hospital, String patientId) {
        return admissions(hospital).stream().filter(r -> r.getPatientId().equals(patientId)).findFirst()
                .orElseThrow(() -> new AssertionError(patientId + " not stored"));
    }

    private long count(String sql, String arg) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double value(List<Measurement> list, String code) {
        return list.stream().filter(m -> m.getCode().equals(code)).mapToDouble(Measurement::getValue).findFirst()
                .orElse(Double.NaN);
    }

    @Test
    void anAdmissionCsvIsStoredOnceAndChangedContentUnderItsIdIsRefused() throws Exception {
        String token = steward("BR-SP-01", "BR-RJ-02");
        byte[] csv = resource("admissions.csv");
        UploadReport first = upload(token, header("adm-once", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV), csv);
        assertEquals("ADMISSION_CSV", first.getLayout());
        assertEquals(3, first.getRowsRead());
        assertEquals(3, first.getRowsStored());
        assertEquals(1, first.getDeaths());
        assertEquals(List.of("BR-RJ-02", "BR-SP-01"), first.getHospitalsList());
        assertFalse(first.getReplayed());

        UploadReport again = upload(token, header("adm-once", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV), csv);
        assertTrue(again.getReplayed());
        assertEquals(3, again.getRowsStored());
        StatusRuntimeException changed = assertThrows(StatusRuntimeException.class, () -> upload(token, header(
                "adm-once", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV),
                new String(csv, StandardCharsets.UTF_8)
                        .replace("syn-3", "syn-4").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Status.Code.ALREADY_EXISTS, changed.getStatus().getCode());
        StatusRuntimeException asOtherFormat = assertThrows(StatusRuntimeException.class, () -> upload(token, header(
                "adm-once", AdmissionFormat.ADMISSION_FORMAT_FHIR_BUNDLE), csv));
        assertEquals(Status.Code.ALREADY_EXISTS, asOtherFormat.getStatus().getCode(), "format is part of content");

        AdmissionRecord r = admission("BR-SP-01", "syn-1");
        assertEquals("ADMISSION_CSV", r.getSource());
        assertEquals("2020-05-02T08:30", r.getAdmissionTime());
        assertEquals(Sex.SEX_MALE, r.getSex());
        assertEquals(71.0, r.getAge());
        assertEquals(125, value(r.getLabsList(), "crp"), 1e-9);
        assertEquals("mg/L", r.getLabsList().stream().filter(m -> m.getCode().equals("crp")).findFirst()
                .orElseThrow().getUnit());
        assertEquals(38.5, value(r.getVitalsList(), "temperature"), 1e-9);
        assertEquals(AdmissionOutcome.ADMISSION_OUTCOME_DIED, r.getOutcome());
        assertEquals("2020-05-09T17:00", r.getOutcomeTime());
        assertFalse(r.getOutcomeReceivedAt().isEmpty());
        assertTrue(r.getComorbiditiesList().stream().anyMatch(c -> c.getCode().equals("hypertension") && c
                .getPresent()));
        assertEquals(2, count("SELECT COUNT(*) FROM outcome_event WHERE batch_id = ?", "adm-once"), "syn-1 died, "
                + "syn-2 discharged: two events, syn-3 none");
    }

    @Test
    void recordsOfAnotherHospitalRefuseTheWholeBatch() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> upload(steward("BR-SP-01"),
                header("adm-forbidden", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV), resource(
                        "admissions.csv")));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals("line 4, column hospital", GrpcProblems.violationsOf(e).get(0).field());
        assertEquals(0, count("SELECT COUNT(*) FROM admission WHERE batch_id = ?", "adm-forbidden"));
        assertEquals(0, count("SELECT COUNT(*) FROM upload_batch WHERE batch_id = ?", "adm-forbidden"));
    }

    @Test
    void quarantineModeStoresTheValidRecordsAndReportsTheOthersPageByPage() throws Exception {
        String token = steward("BR-SP-09");
        String csv = CSV_HEADER + "q1,BR-SP-09,2020-06-01,50,F,5,mg/L,,\n" + "q2,BR-SP-09,2020-06-01,50,F,5,kg,,\n"
                + "q3,BR-SP-09,2020-06-01,500,X,,,,\n" + "q1,BR-SP-09,2020-06-02,51,F,,,,\n";
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> upload(token, header(
                "adm-strict", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV), csv.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals(List.of("line 3, column crp_unit", "line 4, column age", "line 4, column sex"), GrpcProblems
                .violationsOf(refused).stream().map(GrpcProblems.Violation::field).toList());

        UploadReport r = upload(token, header("adm-quarantine", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV)
                .setQuarantineInvalidRows(true), csv.getBytes(StandardCharsets.UTF_8));
        assertEquals(4, r.getRowsRead());
        assertEquals(1, r.getRowsStored());
        assertEquals(3, r.getRowsQuarantined(), "two invalid rows and the repeated patient");
        assertEquals(List.of("q1"), admissions("BR-SP-09").stream().map(AdmissionRecord::getPatientId).toList());
        assertEquals("2020-06-01T00:00", admission("BR-SP-09", "q1").getAdmissionTime(), "the first record is kept");

        ListQuarantineResponse page1 = ingest(token).listQuarantine(ListQuarantineRequest.newBuilder().setBatchId(
                "adm-quarantine").setPageSize(2).build());
        assertEquals(3, page1.getRowsQuarantined());
        assertEquals(List.of("3:crp_unit", "4:age"), page1.getProblemsList().stream().map(p -> p.getLine() + ":"
                + p.getColumn()).toList());
        ListQuarantineResponse page2 = ingest(token).listQuarantine(ListQuarantineRequest.newBuilder().setBatchId(
                "adm-quarantine").setPageSize(2).setPageToken(page1.getNextPageToken()).build());
        assertEquals(List.of("4:sex", "5:patient_id"), page2.getProblemsList().stream().map(p -> p.getLine() + ":"
                + p.getColumn()).toList());
        assertTrue(page2.getNextPageToken().isEmpty());
        assertTrue(page2.getProblems(1).getReason().contains("line 2"), page2.getProblems(1).getReason());

        UploadStatus st = ingest(token).getUploadStatus(UploadStatusRequest.newBuilder().setBatchId(
                "adm-quarantine").build());
        assertEquals(UploadState.UPLOAD_STATE_STORED, st.getState());
        assertEquals("ADMISSION_CSV", st.getReport().getLayout());
        StatusRuntimeException stranger = assertThrows(StatusRuntimeException.class, () -> ingest(TestTokens.token(
                "someone-else", List.of("BR-SP-09"), "data-steward")).listQuarantine(ListQuarantineRequest
                        .newBuilder().setBatchId("adm-quarantine").build()));
        assertEquals(Status.Code.NOT_FOUND, stranger.getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> ingest(token)
                .listQuarantine(ListQuarantineRequest.newBuilder().setBatchId("adm-quarantine").setPageToken(
                        "not-a-token").build()))
                .getStatus().getCode());
    }

    @Test
    void theTongjiExportNeedsAHospitalOfTheToken() throws Exception {
        String token = steward("CN-WH-TJ");
        byte[] csv = resource("tongji-synthetic.csv");
        StatusRuntimeException none = assertThrows(StatusRuntimeException.class, () -> upload(token, header(
                "tj-none", AdmissionFormat.ADMISSION_FORMAT_TONGJI), csv));
        assertEquals(Status.Code.INVALID_ARGUMENT, none.getStatus().getCode());
        assertEquals("hospital", GrpcProblems.violationsOf(none).get(0).field());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> upload(token, header(
                "tj-other", AdmissionFormat.ADMISSION_FORMAT_TONGJI).setHospital("CN-WH-XX"), csv));
        assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());
        StatusRuntimeException unspecified = assertThrows(StatusRuntimeException.class, () -> upload(token, header(
                "tj-format", AdmissionFormat.ADMISSION_FORMAT_UNSPECIFIED), csv));
        assertEquals("format", GrpcProblems.violationsOf(unspecified).get(0).field());

        UploadReport r = upload(token, header("tj-ok", AdmissionFormat.ADMISSION_FORMAT_TONGJI).setHospital(
                "CN-WH-TJ").setSource("TONGJI_SYN"), csv);
        assertEquals("TONGJI", r.getLayout());
        assertEquals(3, r.getRowsStored());
        assertEquals(1, r.getDeaths());
        AdmissionRecord p1 = admission("CN-WH-TJ", "1");
        assertEquals("TONGJI_SYN", p1.getSource());
        assertEquals(136, value(p1.getLabsList(), "hemoglobin"));
        assertEquals("2020-01-31T14:24", p1.getLabsList().stream().filter(m -> m.getCode().equals("hemoglobin"))
                .findFirst().orElseThrow().getTime());
    }

    /** The real Tongji export through gRPC (skipped without ../shared/data/tongji); counts as in TongjiReaderTest. */
    @Test
    void theTongjiCohortLoadsWhole() throws Exception {
        Path train = Path.of("..", "..", "shared", "data", "tongji", "time_series_375_prerpocess_en.csv");
        assumeTrue(Files.isReadable(train), "skipped: no Tongji export at ../shared/data/tongji");
        UploadReport r = upload(steward("CN-WH-TONGJI"), header("tj-375", AdmissionFormat.ADMISSION_FORMAT_TONGJI)
                .setHospital("CN-WH-TONGJI"), Files.readAllBytes(train));
        assertEquals(375, r.getRowsStored());
        assertEquals(174, r.getDeaths());
        assertEquals(375, admissions("CN-WH-TONGJI").size());
    }

    @Test
    void aFhirBundleRoundTripsToAnAdmissionRecord() throws Exception {
        UploadReport r = upload(steward("DE-BE-01"), header("fhir-1", AdmissionFormat.ADMISSION_FORMAT_FHIR_BUNDLE),
                resource("fhir-bundle.json"));
        assertEquals("FHIR_BUNDLE", r.getLayout());
        assertEquals(1, r.getRowsStored());
        AdmissionRecord a = admission("DE-BE-01", "fhir-syn-1");
        assertEquals("FHIR", a.getSource());
        assertEquals(Sex.SEX_FEMALE, a.getSex());
        assertEquals(69.0, a.getAge());
        assertEquals("2020-04-01T09:15", a.getAdmissionTime());
        assertEquals("2020-03-27", a.getSymptomOnsetDate());
        assertEquals(115, value(a.getLabsList(), "hemoglobin"), 1e-9);
        assertEquals(10, value(a.getLabsList(), "urea"), 1e-9);
        assertEquals(142, value(a.getVitalsList(), "systolic_bp"));
        assertEquals(96, value(a.getVitalsList(), "heart_rate"));
        assertTrue(a.getComorbiditiesList().stream().anyMatch(c -> c.getCode().equals("diabetes") && !c
                .getPresent()));
        assertEquals(AdmissionOutcome.ADMISSION_OUTCOME_DIED, a.getOutcome());
        assertEquals("2020-04-12T11:00", a.getOutcomeTime());
    }

    @Test
    void aLateOutcomeUpdatesTheRecordAndKeepsItsArrivalTime() throws Exception {
        String token = steward("BR-MG-05");
        upload(token, header("late-adm", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV), (CSV_HEADER
                + "l1,BR-MG-05,2020-07-01T10:00,60,M,,,,\n" + "l2,BR-MG-05,2020-07-02T10:00,61,F,,,,\n")
                .getBytes(StandardCharsets.UTF_8));
        AdmissionRecord before = admission("BR-MG-05", "l1");
        assertEquals(AdmissionOutcome.ADMISSION_OUTCOME_UNSPECIFIED, before.getOutcome());
        assertTrue(before.getOutcomeReceivedAt().isEmpty());

        Instant asked = Instant.now();
        RecordOutcomesRequest died = RecordOutcomesRequest.newBuilder().setBatchId("late-1").addOutcomes(OutcomeUpdate
                .newBuilder().setPatientId("l1").setHospital("BR-MG-05").setOutcome(
                        AdmissionOutcome.ADMISSION_OUTCOME_DIED)
                .setOutcomeTime("2020-07-09T04:30")).build();
        UploadReport r = blocking(token).recordOutcomes(died);
        assertEquals("OUTCOMES", r.getLayout());
        assertEquals(1, r.getRowsStored());
        assertEquals(1, r.getDeaths());
        AdmissionRecord after = admission("BR-MG-05", "l1");
        assertEquals(AdmissionOutcome.ADMISSION_OUTCOME_DIED, after.getOutcome());
        assertEquals("2020-07-09T04:30", after.getOutcomeTime());
        Instant received = Instant.parse(after.getOutcomeReceivedAt());
        assertFalse(received.isBefore(asked.minusSeconds(1)), received + " vs " + asked);

        List<OutcomeEvent> events = new ArrayList<>();
        blocking(admin()).streamOutcomeEvents(OutcomeEventsRequest.newBuilder().setReceivedAfter(asked.minusSeconds(1)
                .toString()).addHospitals("BR-MG-05").build()).forEachRemaining(events::add);
        assertEquals(1, events.size());
        assertEquals("l1", events.get(0).getPatientId());
        assertEquals("late-1", events.get(0).getBatchId());
        assertEquals(after.getOutcomeReceivedAt(), events.get(0).getReceivedAt());

        assertTrue(blocking(token).recordOutcomes(died).getReplayed(), "a replay changes nothing");
        assertEquals(1, count("SELECT COUNT(*) FROM outcome_event WHERE patient_id = ?", "l1"));
        StatusRuntimeException changed = assertThrows(StatusRuntimeException.class, () -> blocking(token)
                .recordOutcomes(died.toBuilder().setOutcomes(0, died.getOutcomes(0).toBuilder().setOutcomeTime(
                        "2020-07-10")).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, changed.getStatus().getCode());

        StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class, () -> blocking(token)
                .recordOutcomes(RecordOutcomesRequest.newBuilder().setBatchId("late-bad").addOutcomes(OutcomeUpdate
                        .newBuilder().setPatientId("l2").setHospital("BR-MG-05").setOutcome(
                                AdmissionOutcome.ADMISSION_OUTCOME_DISCHARGED_ALIVE)
                        .setOutcomeTime("2020-07-11"))
                        .addOutcomes(OutcomeUpdate.newBuilder().setPatientId("l2").setHospital("BR-MG-05")
                                .setOutcome(AdmissionOutcome.ADMISSION_OUTCOME_DIED).setOutcomeTime("2020-06-30"))
                        .addOutcomes(OutcomeUpdate.newBuilder().setPatientId("nobody").setHospital("BR-MG-05")
                                .setOutcome(AdmissionOutcome.ADMISSION_OUTCOME_DIED).setOutcomeTime("2020-07-30"))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());
        assertEquals(List.of("outcomes[1].outcome_time", "outcomes[2].patient_id"), GrpcProblems.violationsOf(
                invalid).stream().map(GrpcProblems.Violation::field).toList());
        assertEquals(AdmissionOutcome.ADMISSION_OUTCOME_UNSPECIFIED, admission("BR-MG-05", "l2").getOutcome(),
                "all or nothing: the valid update of l2 was not applied");
        StatusRuntimeException forbidden = assertThrows(StatusRuntimeException.class, () -> blocking(token)
                .recordOutcomes(RecordOutcomesRequest.newBuilder().setBatchId("late-forbidden").addOutcomes(
                        OutcomeUpdate.newBuilder().setPatientId("l2").setHospital("BR-MG-06").setOutcome(
                                AdmissionOutcome.ADMISSION_OUTCOME_DIED).setOutcomeTime("2020-07-30"))
                        .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, forbidden.getStatus().getCode());

        // The admission file again (a new batch, still without outcome) keeps the outcome learnt later.
        upload(token, header("late-adm-2", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV), (CSV_HEADER
                + "l1,BR-MG-05,2020-07-01T10:00,60,M,7,mg/L,,\n").getBytes(StandardCharsets.UTF_8));
        AdmissionRecord kept = admission("BR-MG-05", "l1");
        assertEquals(AdmissionOutcome.ADMISSION_OUTCOME_DIED, kept.getOutcome());
        assertEquals(after.getOutcomeReceivedAt(), kept.getOutcomeReceivedAt());
        assertEquals(7, value(kept.getLabsList(), "crp"), "the record itself is replaced");
    }

    @Test
    void onlyModelAdminsStreamAdmissionsAndOnlyStewardsUpload() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> blocking(steward("BR-SP-01"))
                .streamAdmissions(AdmissionsRequest.getDefaultInstance()).hasNext());
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> blocking(admin()).recordOutcomes(RecordOutcomesRequest
                .newBuilder().setBatchId("x").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> BearerToken.attach(AdmissionServiceGrpc.newBlockingStub(
                test.channel()), "not-a-token").streamAdmissions(AdmissionsRequest.getDefaultInstance()).hasNext());
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }

    @Test
    void getAdmissionAnswersOnlyWithinTheCallersHospitals() throws Exception {
        byte[] csv = (CSV_HEADER + "g1,BR-GA-01,2020-06-01T09:00,67,M,140,mg/L,died,2020-06-08\n"
                + "g2,BR-GB-02,2020-06-02T10:00,40,F,5,mg/L,,\n").getBytes(StandardCharsets.UTF_8);
        upload(steward("BR-GA-01", "BR-GB-02"), header("adm-get", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV),
                csv);
        String doc = TestTokens.token("adm-doc", List.of("BR-GA-01"), "clinician");
        AdmissionRecord g1 = blocking(doc).getAdmission(GetAdmissionRequest.newBuilder().setPatientId("g1")
                .build());
        assertEquals("BR-GA-01", g1.getHospital());
        assertEquals("ADMISSION_CSV", g1.getSource());
        assertEquals(67.0, g1.getAge());
        assertEquals(140, value(g1.getLabsList(), "crp"), 1e-9);
        assertEquals(AdmissionOutcome.ADMISSION_OUTCOME_DIED, g1.getOutcome());

        for (GetAdmissionRequest hidden : List.of(GetAdmissionRequest.newBuilder().setPatientId("g2").build(),
                GetAdmissionRequest.newBuilder().setPatientId("g2").setHospital("BR-GB-02").build(),
                GetAdmissionRequest.newBuilder().setPatientId("absent").build())) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> blocking(doc).getAdmission(
                    hidden));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), hidden.toString());
            assertEquals("patientId", GrpcProblems.violationsOf(e).get(0).field());
        }

        // the same patient id stored under a second source is ambiguous until the source is given
        upload(steward("BR-GA-01"), header("adm-get-2", AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV).setSource(
                "ZZ_GET"),
                (CSV_HEADER + "g1,BR-GA-01,2020-06-01T09:00,68,M,7,mg/L,,\n").getBytes(
                        StandardCharsets.UTF_8));
        StatusRuntimeException ambiguous = assertThrows(StatusRuntimeException.class, () -> blocking(doc)
                .getAdmission(GetAdmissionRequest.newBuilder().setPatientId("g1").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, ambiguous.getStatus().getCode());
        assertEquals("source", GrpcProblems.violationsOf(ambiguous).get(0).field());
        assertEquals(68.0, blocking(doc).getAdmission(GetAdmissionRequest.newBuilder().setPatientId("g1")
                .setSource("ZZ_GET").build()).getAge());

        StatusRuntimeException steward = assertThrows(StatusRuntimeException.class, () -> blocking(steward(
                "BR-GA-01")).getAdmission(GetAdmissionRequest.newBuilder().setPatientId("g1").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, steward.getStatus().getCode());
    }
}
