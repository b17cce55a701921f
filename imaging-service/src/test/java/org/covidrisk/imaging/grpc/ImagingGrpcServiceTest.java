package org.covidrisk.imaging.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.util.List;

import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ImagingGrpcServiceTest {

    @TestHTTPResource
    URL url;

    @Test
    void answersNoImageWithTheReasonAndChecksTheToken() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            ManagedChannel channel = test.channel();
            var request = ScoreImageRequest.newBuilder().setPatientId("p1").setHospital("MX-09-04").build();
            var stub = BearerToken.attach(ImagingServiceGrpc.newBlockingStub(channel),
                    TestTokens.token("doc", List.of("MX-09-04"), "clinician"));
            ScoreImageResponse r = stub.scoreImage(request);
            assertFalse(r.getHasImage());
            assertEquals(ImagingGrpcService.NO_MODEL, r.getReason());

            var analyst = BearerToken.attach(ImagingServiceGrpc.newBlockingStub(channel),
                    TestTokens.token("ana", List.of("MX-09-04"), "analyst"));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> analyst.scoreImage(request));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());

            e = assertThrows(StatusRuntimeException.class,
                    () -> ImagingServiceGrpc.newBlockingStub(channel).scoreImage(request));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
    }
}
