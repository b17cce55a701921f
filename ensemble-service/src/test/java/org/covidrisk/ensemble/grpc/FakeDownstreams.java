package org.covidrisk.ensemble.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.feature.v1.DescribeFeatureSetRequest;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.MetaFeatureRow;
import org.covidrisk.feature.v1.MetaFeaturesRequest;
import org.covidrisk.feature.v1.MetaFeaturesResponse;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.PatientRecord;
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

    /** 400 patients of two hospitals whose risk rises with age and pneumonia (planted). */
    static List<PatientRecord> cohort() {
        Random r = new Random(11);
        List<PatientRecord> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int age = 20 + r.nextInt(70);
            boolean pneumonia = r.nextBoolean();
            double logit = -7 + 0.08 * age + 1.5 * (pneumonia ? 1 : 0);
            boolean died = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            out.add(PatientRecord.newBuilder().setPatientId("f" + i).setHospital(i % 2 == 0 ? "MX-09-04" : "MX-15-12")
                    .setAge(age).setPneumonia(pneumonia).setDied(died).build());
        }
        return out;
    }

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
            cohort().forEach(response::onNext);
            response.onCompleted();
        }
    }

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
                out.addRows(FeatureRow.newBuilder().setPatientId(p.getPatientId()).setHospital(p.getHospital())
                        .setDied(p.getDied()).addValues(p.getAge()).addValues(p.getPneumonia() ? 1 : 0));
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
            response.onNext(ScoreImageResponse.newBuilder().setHasImage(false).setReason("fake: no image").build());
            response.onCompleted();
        }
    }
}
