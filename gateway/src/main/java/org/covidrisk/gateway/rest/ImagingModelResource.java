package org.covidrisk.gateway.rest;

import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.gateway.client.ImageClient;
import org.covidrisk.imaging.v1.ModelInfo;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The chest X-ray CNN that imaging-service serves: which version, trained on what, served how. */
@Path("/api/v1/imaging/model")
@Produces(MediaType.APPLICATION_JSON)
public class ImagingModelResource {

    /** The deployed CNN; every field but {@code deployed} is null when none is deployed. */
    public record ImagingModelView(boolean deployed, String modelVersion, String task, String architecture,
            Integer inputSize, Integer pretrainingEpochs, Integer trainingEpochs, String dataSha256,
            Integer trainImages, Integer trainPatients, Long seed, Map<String, String> versions, String createdAt,
            Integer workers, Integer maxBatch, Integer queueCapacity) {
        static ImagingModelView of(ModelInfo m) {
            if (!m.getDeployed()) {
                return new ImagingModelView(false, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null);
            }
            return new ImagingModelView(true, m.getModelVersion(), m.getTask(), m.getArchitecture(), m.getInputSize(),
                    m.getPretrainingEpochs(), m.getTrainingEpochs(), m.getDataSha256(), m.getTrainImages(),
                    m.getTrainPatients(), m.getSeed(), new TreeMap<>(m.getVersionsMap()), m.getCreatedAt(),
                    m.getWorkers(), m.getMaxBatch(), m.getQueueCapacity());
        }
    }

    @Inject
    ImageClient images;

    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    @Operation(summary = "The deployed chest X-ray CNN and its provenance", description = "The version X-ray scores "
            + "are answered with, the training data's hash, image and patient counts, epochs of the findings "
            + "pre-training (0 = trained from scratch) and of the survival training, library versions, and the "
            + "serving settings. deployed = false when no X-ray model is deployed (scores then use clinical "
            + "features only).")
    public ImagingModelView model() {
        return ImagingModelView.of(images.model(caller.get()));
    }
}
