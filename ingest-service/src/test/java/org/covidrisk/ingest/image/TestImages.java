package org.covidrisk.ingest.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadChunk;
import org.covidrisk.ingest.v1.ImageUploadHeader;
import org.covidrisk.ingest.v1.IngestServiceGrpc;

import com.google.protobuf.ByteString;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/** X-ray-like test images, byte surgery on them, and an upload helper. */
final class TestImages {

    private TestImages() {
    }

    /** A grey gradient with a seed-dependent pattern, so different seeds give different bytes. */
    static BufferedImage grey(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 3 + y * 5 + seed * 7 + (x * y * seed) % 13) % 256);
            }
        }
        return img;
    }

    static byte[] png(BufferedImage img) {
        return write(img, "png");
    }

    static byte[] jpeg(BufferedImage img) {
        return write(img, "jpeg");
    }

    static byte[] write(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A copy of a PNG whose IHDR declares another size (CRC fixed, so only the size is wrong). */
    static byte[] pngDeclaring(byte[] png, int width, int height) {
        byte[] b = png.clone();
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.putInt(16, width).putInt(20, height); // IHDR data starts at 16
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17); // "IHDR" + 13 data bytes
        buf.putInt(29, (int) crc.getValue());
        return b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads {@code bytes} in chunks of {@code chunk} after {@code header}; the answer or the gRPC error. */
    static ImageInfo upload(IngestServiceGrpc.IngestServiceStub stub, ImageUploadHeader header, byte[] bytes,
            int chunk) {
        CompletableFuture<ImageInfo> result = new CompletableFuture<>();
        StreamObserver<ImageUploadChunk> request = stub.uploadImage(new StreamObserver<>() {
            @Override
            public void onNext(ImageInfo value) {
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
        if (header != null) {
            request.onNext(ImageUploadChunk.newBuilder().setHeader(header).build());
        }
        for (int from = 0; from < bytes.length; from += chunk) {
            request.onNext(ImageUploadChunk.newBuilder()
                    .setData(ByteString.copyFrom(bytes, from, Math.min(chunk, bytes.length - from))).build());
        }
        request.onCompleted();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores minimal DGE patient rows (the store only accepts X-rays of patients it holds); ids already stored are
     * left as they are.
     */
    static void patients(javax.sql.DataSource db, String hospital, String... ids) {
        try (var c = db.getConnection();
                var ps = c.prepareStatement("INSERT INTO patient (patient_key, hospital, "
                        + "source, batch_id, died, usmer, sector, updated_at) SELECT ?, ?, 'DGE_2022', 'test-images', FALSE,"
                        + " FALSE, 4, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM patient WHERE patient_key = ?)")) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.setString(2, hospital);
                ps.setString(3, id);
                ps.executeUpdate();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static ImageUploadHeader header(String patient, String hospital) {
        return ImageUploadHeader.newBuilder().setPatientId(patient).setHospital(hospital).setView("PA").build();
    }

    static List<String> tmpFiles(java.nio.file.Path dir) {
        try (var s = java.nio.file.Files.list(dir.resolve("tmp"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
