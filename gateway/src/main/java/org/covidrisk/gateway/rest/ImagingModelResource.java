package org.covidrisk.gateway.rest;

import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.ImageClient;
import org.covidrisk.imaging.v1.ModelInfo;
import org.covidrisk.imaging.v1.TrainModelRequest;
import org.covidrisk.imaging.v1.TrainModelResponse;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The chest X-ray CNN that imaging-service serves: which version, trained on what, served how; and its training on
 * the stored X-rays by a model admin.
 */
@Path("/api/v1/imaging")
@Produces(MediaType.APPLICATION_JSON)
public class ImagingModelResource {

    /**
     * A CNN (the deployed one, or one just trained): every field but {@code deployed} is null when none is deployed;
     * the serving settings are null for a model that does not serve.
     */
    public record ImagingModelView(boolean deployed, String modelVersion, String task, String architecture,
            Integer inputSize, Integer pretrainingEpochs, Integer trainingEpochs, String dataSha256,
            Integer trainImages, Integer trainPatients, Long seed, Map<String, String> versions, String createdAt,
            Integer workers, Integer maxBatch, Integer queueCapacity) {
        static ImagingModelView of(ModelInfo m) {
            return of(m, false);
        }

        /** {@code trained}: a model just trained, described even when it is not the deployed one. */
        static ImagingModelView of(ModelInfo m, boolean trained) {
            if (!m.getDeployed() && !trained) {
                return new ImagingModelView(false, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null);
            }
            boolean serving = m.getDeployed();
            return new ImagingModelView(serving, m.getModelVersion(), m.getTask(), m.getArchitecture(),
                    m.getInputSize(), m.getPretrainingEpochs(), m.getTrainingEpochs(), m.getDataSha256(),
                    m.getTrainImages(), m.getTrainPatients(), m.getSeed(), new TreeMap<>(m.getVersionsMap()),
                    m.getCreatedAt(), serving ? m.getWorkers() : null, serving ? m.getMaxBatch() : null,
                    serving ? m.getQueueCapacity() : null);
        }
    }

    /** A training request; every field optional. */
    public record TrainImagingCommand(Long seed, @Min(1) @Max(50) Integer epochs, Boolean deploy,
            Boolean hospitalisedOnly) {
    }

    /** A trained CNN and how it did, next to the model it started from, on the same hold-out patients. */
    public record TrainedImagingView(ImagingModelView model, String basedOn, int trainPatients, int trainDeaths,
            int holdoutPatients, int holdoutDeaths, double holdoutAuroc, Double holdoutAurocBefore,
            Map<String, Integer> skipped, double trainingSeconds) {
        static TrainedImagingView of(TrainModelResponse r) {
            return new TrainedImagingView(ImagingModelView.of(r.getModel(), true), r.getBasedOn().isEmpty()
                    ? null
                    : r.getBasedOn(), r.getTrainPatients(), r.getTrainDeaths(), r.getHoldoutPatients(),
                    r.getHoldoutDeaths(), r.getHoldoutAuroc(), r.hasHoldoutAurocBefore()
                            ? r.getHoldoutAurocBefore()
                            : null,
                    new TreeMap<>(r.getSkippedMap()), r.getTrainingSeconds());
        }
    }

    @Inject
    ImageClient images;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("/model")
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    @Operation(summary = "The deployed chest X-ray CNN and its provenance", description = "The version X-ray scores "
            + "are answered with, the training data's hash, image and patient counts, epochs of the training of the "
            + "weights it started from (findings pre-training, or the model deployed before; 0 = from scratch) "
            + "and of the survival training, library versions, and the "
            + "serving settings. deployed = false when no X-ray model is deployed (scores then use clinical "
            + "features only).")
    public ImagingModelView model() {
        return ImagingModelView.of(images.model(caller.get()));
    }

    @POST
    @Path("/models")
    @RolesAllowed(Roles.MODEL_ADMIN)
    @Audited(AuditAction.TRAIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Train the chest X-ray CNN on the stored X-rays", description = "Fine-tunes the deployed "
            + "CNN (from scratch when none is deployed) on the survival of the patients with a stored X-ray and a "
            + "recorded outcome (every hospital's: ingest's cohort for a model admin), each one's latest image; answers the new model with its "
            + "AUROC on a seeded patient-level hold-out next to the deployed model's on the same patients. With "
            + "deploy = true it serves from then on, without a restart. epochs 1-50 (default 10); 409 when too few "
            + "patients, or while another training runs.")
    public TrainedImagingView train(@Valid TrainImagingCommand command) {
        TrainImagingCommand c = command == null ? new TrainImagingCommand(null, null, null, null) : command;
        return TrainedImagingView.of(images.train(caller.get(), TrainModelRequest.newBuilder()
                .setSeed(c.seed() == null ? 0 : c.seed()).setEpochs(c.epochs() == null ? 0 : c.epochs())
                .setDeploy(Boolean.TRUE.equals(c.deploy()))
                .setHospitalisedOnly(Boolean.TRUE.equals(c.hospitalisedOnly())).build()));
    }
}
