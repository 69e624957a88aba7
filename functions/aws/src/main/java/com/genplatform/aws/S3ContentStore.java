package com.genplatform.aws;

import com.genplatform.core.port.ContentStore;
import com.genplatform.core.port.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Results in a private S3 bucket. Uploads stream through a fixed buffer: an object that fits in one part
 * is one PutObject, a larger one a multipart upload, so memory stays at one part whatever the size.
 * The SHA-256 is computed on the way and kept as object metadata.
 */
public final class S3ContentStore implements ContentStore {
    /** 8 MiB parts (S3's minimum is 5 MiB for all but the last). */
    static final int PART_SIZE = 8 * 1024 * 1024;
    private static final String SHA256_METADATA = "sha256";

    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final int partSize;

    /**
     * Asks for each client on first use: the API only presigns and the webhook only uploads, so neither
     * builds the other's client.
     */
    public S3ContentStore(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket) {
        this(s3, presigner, bucket, PART_SIZE);
    }

    S3ContentStore(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, int partSize) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    @Override
    public StoredObject put(String key, String contentType, InputStream content) {
        MessageDigest sha256 = sha256();
        try (content) {
            byte[] first = content.readNBytes(partSize);
            sha256.update(first);
            byte[] second = first.length < partSize ? new byte[0] : content.readNBytes(partSize);
            if (second.length == 0) {
                String digest = HexFormat.of().formatHex(sha256.digest());
                s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                        .metadata(Map.of(SHA256_METADATA, digest)), RequestBody.fromBytes(first));
                return new StoredObject(key, contentType, first.length, digest);
            }
            return putInParts(key, contentType, content, sha256, first, second);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the content for " + key + " failed", e);
        }
    }

    private StoredObject putInParts(String key, String contentType, InputStream content, MessageDigest sha256,
                                    byte[] first, byte[] second) throws IOException {
        // The digest is only known at the end, so it goes on with a metadata-replacing copy after completion.
        String uploadId = s3.get().createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        long bytes = first.length;
        try {
            parts.add(uploadPart(key, uploadId, 1, first));
            byte[] part = second;
            while (part.length > 0) {
                sha256.update(part);
                bytes += part.length;
                parts.add(uploadPart(key, uploadId, parts.size() + 1, part));
                part = part.length < partSize ? new byte[0] : content.readNBytes(partSize);
            }
            s3.get().completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (IOException | RuntimeException e) {
            s3.get().abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            throw e;
        }
        String digest = HexFormat.of().formatHex(sha256.digest());
        s3.get().copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                .contentType(contentType).metadata(Map.of(SHA256_METADATA, digest)).metadataDirective("REPLACE"));
        return new StoredObject(key, contentType, bytes, digest);
    }

    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] bytes) {
        String etag = s3.get().uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(bytes)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    @Override
    public Optional<StoredObject> head(String key) {
        try {
            var head = s3.get().headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new StoredObject(key, head.contentType(), head.contentLength(),
                    head.metadata().get(SHA256_METADATA)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw e;
        }
    }

    @Override
    public URI presignedGet(String key, Duration expiry) {
        var request = presigner.get().presignGetObject(b -> b.signatureDuration(expiry)
                .getObjectRequest(g -> g.bucket(bucket).key(key)));
        return URI.create(request.url().toString());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
