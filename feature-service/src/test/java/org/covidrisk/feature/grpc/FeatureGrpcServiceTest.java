package org.covidrisk.feature.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.covidrisk.feature.FeaturizerTest;
import org.covidrisk.feature.v1.DescribeFeatureSetRequest;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class FeatureGrpcServiceTest {

    @TestHTTPResource
    URL url;

    @Test
    void featurisesABatchAndRefusesMissingStageInputsByName() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var stub = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("admin", List.of(), "model-admin"));
            FeaturizeResponse r = stub.featurize(FeaturizeRequest.newBuilder().setStage(2)
                    .addRecords(FeaturizerTest.hospitalisedMan())
                    .addRecords(FeaturizerTest.hospitalisedMan().clearAge())
                    .build());
            assertEquals("plos-stage-2", r.getFeatureSet().getName());
            assertEquals(2, r.getRowsCount());
            assertEquals(r.getFeatureSet().getFeaturesCount(), r.getRows(0).getValuesCount());
            assertTrue(r.getRows(1).getImputedList().contains("age"), "lenient mode imputes and says so");

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> stub.featurize(FeaturizeRequest.newBuilder().setStage(4).setStrict(true)
                            .addRecords(FeaturizerTest.hospitalisedMan().clearIcu()).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("icu", GrpcProblems.violationsOf(e).get(0).field());

            e = assertThrows(StatusRuntimeException.class,
                    () -> stub.describeFeatureSet(DescribeFeatureSetRequest.newBuilder().setStage(7).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        }
    }

    @Test
    void onlyClinicalRolesMayFeaturise() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var steward = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("st", List.of("MX-09-04"), "data-steward"));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> steward
                    .featurize(FeaturizeRequest.newBuilder().setStage(1).build()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            e = assertThrows(StatusRuntimeException.class, () -> FeatureServiceGrpc.newBlockingStub(test.channel())
                    .describeFeatureSet(DescribeFeatureSetRequest.newBuilder().setStage(1).build()));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
    }
}
