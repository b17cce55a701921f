package org.covidrisk.gateway.rest;

import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.ImageClient;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadHeader;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Chest X-rays of a patient: stored by ingest-service (content-addressed), scored by imaging-service. */
@Path("/api/v1/patients/{id}/images")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {

    /** A stored X-ray. */
    public record ImageInfoView(String sha256, String patientId, String hospital, String mediaType, long sizeBytes,
            int width, int height, String view, String studyTime, String storedAt, boolean replayed) {
        static ImageInfoView of(ImageInfo i) {
            return new ImageInfoView(i.getSha256(), i.getPatientId(), i.getHospital(), i.getMediaType(),
                    i.getSizeBytes(), i.getWidth(), i.getHeight(), blankToNull(i.getView()),
                    blankToNull(i.getStudyTime()), i.getStoredAt(), i.getReplayed());
        }
    }

    /** The CNN's score of a stored X-ray, or why there is none. */
    public record ImageScoreView(String patientId, boolean hasImage, Double probability, String modelVersion,
            String imageSha256, String reason) {
        static ImageScoreView of(String patientId, ScoreImageResponse r) {
            return new ImageScoreView(patientId, r.getHasImage(), r.getHasImage() ? r.getProbability() : null,
                    blankToNull(r.getModelVersion()), blankToNull(r.getImageSha256()), blankToNull(r.getReason()));
        }
    }

    @Inject
    ImageClient images;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.DATA_STEWARD)
    @Audited(value = AuditAction.IMAGE_UPLOAD, pathParam = "id")
    @Consumes({"image/png", "image/jpeg"})
    @Operation(summary = "Store a chest X-ray (PNG or JPEG) of a patient of your hospital", description = "Stored "
            + "under the SHA-256 of its bytes: sending the same bytes again answers the stored image with "
            + "replayed = true. The type is read from the bytes; not an image, truncated, too large, too many "
            + "pixels or a bit depth other than 8/16: 400 naming the problem.")
    public ImageInfoView upload(@PathParam("id") String id,
            @Parameter(description = "projection, e.g. PA, AP, AP Supine, L") @QueryParam("view") String view,
            @Parameter(description = "study time, ISO-8601 date or date-time") @QueryParam("studyTime") String studyTime,
            @Parameter(description = "one of your hospitals; default: your first") @QueryParam("hospital") String hospital,
            @Parameter(description = "original file name, for the record") @QueryParam("fileName") String fileName,
            InputStream body) {
        ImageUploadHeader header = ImageUploadHeader.newBuilder().setPatientId(id).setView(orEmpty(view))
                .setStudyTime(orEmpty(studyTime)).setHospital(orEmpty(hospital)).setFileName(orEmpty(fileName))
                .build();
        return ImageInfoView.of(images.upload(caller.withHospital(), header, body));
    }

    @POST
    @Path("/score")
    @RolesAllowed(Roles.CLINICIAN)
    @Audited(value = AuditAction.IMAGE_SCORE, pathParam = "id")
    @Operation(summary = "The X-ray CNN's probability of death for a stored X-ray of a patient of your hospital", description = "The patient's latest X-ray, or the one with sha256. hasImage = false with the reason "
            + "when there is none or no model is deployed; 503 with Retry-After when every predictor is busy.")
    public ImageScoreView score(@PathParam("id") String id,
            @Parameter(description = "content hash of one stored X-ray; default: the latest") @QueryParam("sha256") String sha256) {
        return ImageScoreView.of(id, images.score(caller.withHospital(), id, orEmpty(sha256)));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
