package org.covidrisk.ensemble.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.feature.v1.DescribeFeatureSetRequest;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeaturizeAdmissionsRequest;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.FitImputerRequest;
import org.covidrisk.feature.v1.FitImputerResponse;
import org.covidrisk.feature.v1.ImputeRequest;
import org.covidrisk.feature.v1.ImputeResponse;
import org.covidrisk.feature.v1.ImputedMatrix;
import org.covidrisk.feature.v1.ImputedNames;
import org.covidrisk.feature.v1.Imputer;
import org.covidrisk.feature.v1.ImputerVariable;
import org.covidrisk.feature.v1.MetaFeatureRow;
import org.covidrisk.feature.v1.MetaFeaturesRequest;
import org.covidrisk.feature.v1.MetaFeaturesResponse;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.feature.v1.PooledEstimate;
import org.covidrisk.feature.v1.Vector;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.AdmissionServiceGrpc;
import org.covidrisk.ingest.v1.AdmissionsRequest;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetAdmissionRequest;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.Measurement;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.Sex;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Caller;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.identity.SecurityIdentity;

/** Fakes of the services ensemble-service calls, served by the test application on its own port. */
public final class FakeDownstreams {

    private FakeDownstreams() {
    }

    /**
     * 400 patients of two hospitals whose risk rises with age and pneumonia (planted); the pneumonia answer of one
     * in ten is missing.
     */
    static List<PatientRecord> cohort() {
        Random r = new Random(11);
        List<PatientRecord> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int age = 20 + r.nextInt(70);
            boolean pneumonia = r.nextBoolean();
            double logit = -7 + 0.08 * age + 1.5 * (pneumonia ? 1 : 0);
            boolean died = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            PatientRecord.Builder p = PatientRecord.newBuilder().setPatientId("f" + i)
                    .setHospital(i % 2 == 0 ? "MX-09-04" : "MX-15-12").setAge(age).setDied(died)
                    .setSex(i % 3 == 0 ? Sex.SEX_MALE : Sex.SEX_FEMALE);
            // one patient in ten has no pneumonia answer (after the outcome was drawn from the true value)
            if (i % 10 != 3) {
                p.setPneumonia(pneumonia);
            }
            out.add(p.build());
        }
        return out;
    }

    /**
     * 300 admissions of two hospitals whose risk rises with age and CRP (planted), CRP missing in one in ten, plus
     * two stored patients of known risk ("a-high", "a-low") and ten admissions whose outcome is not known yet.
     */
    static List<AdmissionRecord> admissions() {
        Random r = new Random(17);
        List<AdmissionRecord> out = new ArrayList<>();
        for (int i = 0; i < 310; i++) {
            int age = 25 + r.nextInt(65);
            double crp = 200 * r.nextDouble();
            double logit = -9 + 0.09 * age + 0.02 * crp;
            boolean died = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            AdmissionRecord.Builder a = AdmissionRecord.newBuilder().setPatientId("a" + i)
                    .setHospital(i % 2 == 0 ? "BR-SP-01" : "BR-RJ-02").setSource("ADMISSION_CSV").setAge(age)
                    .setOutcome(i >= 300
                            ? AdmissionOutcome.ADMISSION_OUTCOME_UNSPECIFIED
                            : died
                                    ? AdmissionOutcome.ADMISSION_OUTCOME_DIED
                                    : AdmissionOutcome.ADMISSION_OUTCOME_DISCHARGED_ALIVE);
            if (i % 10 != 3) {
                a.addLabs(Measurement.newBuilder().setCode("crp").setValue(crp).setUnit("mg/L"));
            }
            out.add(a.build());
        }
        out.add(AdmissionRecord.newBuilder().setPatientId("a-high").setHospital("BR-SP-01").setAge(86)
                .addLabs(Measurement.newBuilder().setCode("crp").setValue(190).setUnit("mg/L")).build());
        out.add(AdmissionRecord.newBuilder().setPatientId("a-low").setHospital("BR-SP-01").setAge(30)
                .addLabs(Measurement.newBuilder().setCode("crp").setValue(4).setUnit("mg/L")).build());
        return out;
    }

    @GrpcService
    public static class FakeAdmissions extends AdmissionServiceGrpc.AdmissionServiceImplBase {
        @Inject
        SecurityIdentity identity;

        @Override
        @RolesAllowed({"clinician", "model-admin"})
        public void getAdmission(GetAdmissionRequest request, StreamObserver<AdmissionRecord> response) {
            Caller caller = Caller.of(identity);
            admissions().stream().filter(a -> a.getPatientId().equals(request.getPatientId()))
                    .filter(a -> caller.belongsTo(a.getHospital())).findFirst()
                    .ifPresentOrElse(a -> {
                        response.onNext(a);
                        response.onCompleted();
                    }, () -> response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no such admission")));
        }

        @Override
        @RolesAllowed("model-admin")
        public void streamAdmissions(AdmissionsRequest request, StreamObserver<AdmissionRecord> response) {
            admissions().stream().filter(a -> !request.getWithOutcomeOnly()
                    || a.getOutcome() != AdmissionOutcome.ADMISSION_OUTCOME_UNSPECIFIED).forEach(response::onNext);
            response.onCompleted();
        }
    }

    /** Patients with a stored X-ray: three in four (none of f1, f5, f9, ...). */
    static boolean hasImage(String patientId) {
        return patientId.startsWith("f") && Integer.parseInt(patientId.substring(1)) % 4 != 1;
    }

    /**
     * The fake CNN's probability of death for a patient's X-ray (planted: its logit is 2 higher for patients who
     * died, plus seeded noise).
     */
    static double cnnProbability(PatientRecord p) {
        int i = Integer.parseInt(p.getPatientId().substring(1));
        // spread seeds: the first draws of java.util.Random for neighbouring seeds are nearly equal
        double logit = -1.5 + 2.0 * (p.getDied() ? 1 : 0) + new Random(i * 0x9E3779B97F4A7C15L).nextGaussian();
        return 1 / (1 + Math.exp(-logit));
    }

    /** While set, the fake imaging service answers RESOURCE_EXHAUSTED (its queue is full). */
    static final AtomicBoolean IMAGING_BUSY = new AtomicBoolean();

    @GrpcService
    public static class FakeIngest extends IngestServiceGrpc.IngestServiceImplBase {
        @Inject
        SecurityIdentity identity;

        @Override
        @RolesAllowed({"clinician", "model-admin"})
        public void getPatient(GetPatientRequest request, StreamObserver<PatientRecord> response) {
            Caller caller = Caller.of(identity);
            cohort().stream().filter(p -> p.getPatientId().equals(request.getPatientId()))
                    .filter(p -> caller.belongsTo(p.getHospital())).findFirst()
                    .ifPresentOrElse(p -> {
                        response.onNext(p);
                        response.onCompleted();
                    }, () -> response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no such patient")));
        }

        @Override
        @RolesAllowed("model-admin")
        public void streamCohort(CohortRequest request, StreamObserver<PatientRecord> response) {
            cohort().stream().filter(p -> !request.getWithImageOnly() || hasImage(p.getPatientId()))
                    .forEach(response::onNext);
            response.onCompleted();
        }
    }

    /** Format of the fake's imputers: a stored imputer must come back as it was fitted. */
    static final String FAKE_FORMAT = "fake-mean-v1";
    /** FitImputer and Impute calls served, for tests that check which models impute. */
    static final AtomicInteger FIT_CALLS = new AtomicInteger();
    static final AtomicInteger IMPUTE_CALLS = new AtomicInteger();

    @GrpcService
    public static class FakeFeature extends FeatureServiceGrpc.FeatureServiceImplBase {
        @Override
        @RolesAllowed({"clinician", "model-admin"})
        public void featurize(FeaturizeRequest request, StreamObserver<FeaturizeResponse> response) {
            FeatureSet set = FeatureSet.newBuilder().setName("fake").setStage(request.getStage())
                    .addFeatures(FeatureSpec.newBuilder().setName("age"))
                    .addFeatures(FeatureSpec.newBuilder().setName("pneumonia")).build();
            FeaturizeResponse.Builder out = FeaturizeResponse.newBuilder().setFeatureSet(set);
            for (PatientRecord p : request.getRecordsList()) {
                if (request.getStrict() && !p.hasAge()) {
                    response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "missing age",
                            List.of(new GrpcProblems.Violation("age", "required"))));
                    return;
                }
                boolean keep = request.getMissing() == MissingValues.MISSING_VALUES_KEEP;
                FeatureRow.Builder row = FeatureRow.newBuilder().setPatientId(p.getPatientId())
                        .setHospital(p.getHospital()).setDied(p.getDied())
                        .addValues(p.hasAge() ? p.getAge() : keep ? Double.NaN : 45);
                if (p.hasPneumonia()) {
                    row.addValues(p.getPneumonia() ? 1 : 0);
                } else {
                    row.addValues(keep ? Double.NaN : 0).addImputed("pneumonia");
                }
                out.addRows(row);
            }
            response.onNext(out.build());
            response.onCompleted();
        }

        /** Fake admission features: age and CRP (NaN when not measured); died from the outcome. */
        @Override
        @RolesAllowed({"clinician", "model-admin"})
        public void featurizeAdmissions(FeaturizeAdmissionsRequest request,
                StreamObserver<FeaturizeResponse> response) {
            FeatureSet set = FeatureSet.newBuilder().setName("fake-admission")
                    .addFeatures(FeatureSpec.newBuilder().setName("age"))
                    .addFeatures(FeatureSpec.newBuilder().setName("crp")).build();
            FeaturizeResponse.Builder out = FeaturizeResponse.newBuilder().setFeatureSet(set);
            for (AdmissionRecord a : request.getRecordsList()) {
                double crp = a.getLabsList().stream().filter(m -> m.getCode().equals("crp"))
                        .mapToDouble(Measurement::getValue).findFirst().orElse(Double.NaN);
                out.addRows(FeatureRow.newBuilder().setPatientId(a.getPatientId()).setHospital(a.getHospital())
                        .setDied(a.getOutcome() == AdmissionOutcome.ADMISSION_OUTCOME_DIED)
                        .addValues(a.hasAge() ? a.getAge() : Double.NaN).addValues(crp));
            }
            response.onNext(out.build());
            response.onCompleted();
        }

        /** Fake meta-features: lethality of the members within 5 years of age (a plausible, checkable signal). */
        @Override
        @RolesAllowed({"clinician", "model-admin"})
        public void populationMetaFeatures(MetaFeaturesRequest request, StreamObserver<MetaFeaturesResponse> response) {
            List<double[]> queries = new ArrayList<>();
            if (request.getQueriesCount() == 0) {
                request.getPopulationList().forEach(m -> queries.add(new double[]{m.getValues(0)}));
            } else {
                request.getQueriesList().forEach(q -> queries.add(new double[]{q.getValues(0)}));
            }
            MetaFeaturesResponse.Builder out = MetaFeaturesResponse.newBuilder().setSearch("fake");
            for (double[] q : queries) {
                long near = request.getPopulationList().stream().filter(m -> Math.abs(m.getAge() - q[0]) <= 5)
                        .count();
                long dead = request.getPopulationList().stream()
                        .filter(m -> Math.abs(m.getAge() - q[0]) <= 5 && m.getDied()).count();
                out.addRows(MetaFeatureRow.newBuilder().setLethality(near == 0 ? 0 : dead / (double) near)
                        .setDeathEntropy(0.5).setAgeEntropy(1));
            }
            response.onNext(out.build());
            response.onCompleted();
        }

        /** Fake MICE: every missing cell becomes its column's observed mean, in each of the m matrices. */
        @Override
        @RolesAllowed("model-admin")
        public void fitImputer(FitImputerRequest request, StreamObserver<FitImputerResponse> response) {
            if (request.getDiedCount() != request.getRowsCount()) {
                response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "training imputation uses the outcome",
                        List.of(new GrpcProblems.Violation("died", "one per row"))));
                return;
            }
            FIT_CALLS.incrementAndGet();
            int width = request.getFeatureSet().getFeaturesCount();
            Imputer.Builder imputer = Imputer.newBuilder().setFormat(FAKE_FORMAT)
                    .setFeatureSet(request.getFeatureSet());
            FitImputerResponse.Builder out = FitImputerResponse.newBuilder();
            for (int j = 0; j < width; j++) {
                double sum = 0;
                int n = 0;
                int missing = 0;
                for (Vector r : request.getRowsList()) {
                    if (Double.isNaN(r.getValues(j))) {
                        missing++;
                    } else {
                        sum += r.getValues(j);
                        n++;
                    }
                }
                String name = request.getFeatureSet().getFeatures(j).getName();
                imputer.addVariables(ImputerVariable.newBuilder().setName(name).setMean(sum / n));
                out.addPooledMeans(PooledEstimate.newBuilder().setFeature(name).setEstimate(sum / n)
                        .setMissing(missing));
            }
            Imputer fitted = imputer.build();
            ImputeResponse completed = fill(fitted, request.getRowsList(), request.getOptions().getImputations());
            response.onNext(out.setImputer(fitted).addAllImputations(completed.getImputationsList()).build());
            response.onCompleted();
        }

        @Override
        @RolesAllowed({"clinician", "model-admin"})
        public void impute(ImputeRequest request, StreamObserver<ImputeResponse> response) {
            if (!FAKE_FORMAT.equals(request.getImputer().getFormat())) {
                response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "not a fitted imputer",
                        List.of(new GrpcProblems.Violation("imputer", "unknown format"))));
                return;
            }
            IMPUTE_CALLS.incrementAndGet();
            response.onNext(fill(request.getImputer(), request.getRowsList(), 3));
            response.onCompleted();
        }

        private static ImputeResponse fill(Imputer imputer, List<Vector> rows, int m) {
            ImputeResponse.Builder out = ImputeResponse.newBuilder();
            for (int k = 0; k < Math.max(1, m); k++) {
                ImputedMatrix.Builder matrix = ImputedMatrix.newBuilder();
                for (Vector r : rows) {
                    Vector.Builder v = Vector.newBuilder();
                    for (int j = 0; j < r.getValuesCount(); j++) {
                        v.addValues(Double.isNaN(r.getValues(j)) ? imputer.getVariables(j).getMean() : r.getValues(j));
                    }
                    matrix.addRows(v);
                }
                out.addImputations(matrix);
            }
            for (Vector r : rows) {
                ImputedNames.Builder names = ImputedNames.newBuilder();
                for (int j = 0; j < r.getValuesCount(); j++) {
                    if (Double.isNaN(r.getValues(j))) {
                        names.addFeatures(imputer.getVariables(j).getName());
                    }
                }
                out.addImputed(names);
            }
            return out.build();
        }

        @Override
        public void describeFeatureSet(DescribeFeatureSetRequest request, StreamObserver<FeatureSet> response) {
            response.onError(Status.UNIMPLEMENTED.asRuntimeException());
        }
    }

    @GrpcService
    public static class FakeImaging extends ImagingServiceGrpc.ImagingServiceImplBase {
        @Override
        @RolesAllowed({"clinician", "model-admin"})
        public void scoreImage(ScoreImageRequest request, StreamObserver<ScoreImageResponse> response) {
            if (IMAGING_BUSY.get()) {
                response.onError(Status.RESOURCE_EXHAUSTED.withDescription("fake: queue full").asRuntimeException());
                return;
            }
            var patient = cohort().stream().filter(p -> p.getPatientId().equals(request.getPatientId())
                    && p.getHospital().equals(request.getHospital()) && hasImage(p.getPatientId())).findFirst();
            response.onNext(patient.map(p -> ScoreImageResponse.newBuilder().setHasImage(true)
                    .setProbability(cnnProbability(p)).setModelVersion("fake-cnn-v1")
                    .setImageSha256("ab12cd34ef56ab12cd34ef56").build())
                    .orElse(ScoreImageResponse.newBuilder().setHasImage(false).setReason("fake: no image").build()));
            response.onCompleted();
        }
    }
}
