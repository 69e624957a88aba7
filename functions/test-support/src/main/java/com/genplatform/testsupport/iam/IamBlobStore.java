package com.genplatform.testsupport.iam;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.Supplier;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 emulator's storage as one function sees it: each object operation is authorised against the
 * function's role first, with the action S3 requires for it (multipart uploads need {@code s3:PutObject},
 * a HEAD needs {@code s3:GetObject}, a copy both), and a refusal is S3's own 403 {@code AccessDenied}.
 * S3Proxy has already checked the request's signature with the function's credentials. A presigned URL is
 * judged as its signer, as on AWS.
 */
public final class IamBlobStore extends ForwardingBlobStore {
    private final Iam iam;
    private final Iam.Caller caller;

    private IamBlobStore(BlobStore delegate, Iam iam, Iam.Caller caller) {
        super(delegate);
        this.iam = iam;
        this.caller = caller;
    }

    /**
     * S3Proxy asks this for the secret of each request's access key (it checks the signature with it) and
     * for the storage to serve it from: the administrator's is unchecked, a function's authorises as it.
     */
    public static BlobStoreLocator locator(BlobStore blobs, String adminKeyId, String adminSecret, Supplier<Iam> iam) {
        return (identity, container, blob) -> {
            if (adminKeyId.equals(identity)) return new AccessGrant(adminSecret, blobs);
            Iam current = iam.get();
            if (current == null || !(current.caller(identity) instanceof Iam.Caller.Function function)) return null;
            return new AccessGrant(Iam.secretAccessKey(function.role().functionId()), new IamBlobStore(blobs, current, function));
        };
    }

    private void check(String action, String bucket, String key) {
        String resource = "arn:aws:s3:::" + bucket + (key == null ? "" : "/" + key);
        Optional<String> denied = iam.authorize(caller, action, resource);
        if (denied.isPresent()) {
            throw (S3Exception) S3Exception.builder().statusCode(403).message(denied.get())
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(denied.get()).build())
                    .build();
        }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        check("s3:PutObject", request.bucket(), request.key());
        return super.putBlob(request, input);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        check("s3:GetObject", request.sourceBucket(), request.sourceKey());
        check("s3:PutObject", request.destinationBucket(), request.destinationKey());
        return super.copyBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        check("s3:GetObject", request.bucket(), request.key());
        return super.blobMetadata(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        check("s3:GetObject", request.bucket(), request.key());
        return super.getBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        check("s3:DeleteObject", request.bucket(), request.key());
        return super.removeBlob(request);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        check("s3:ListBucket", request.bucket(), null);
        return super.list(request);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        check("s3:PutObject", request.bucket(), request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream input) {
        check("s3:PutObject", upload.containerName(), upload.blobName());
        return super.uploadMultipartPart(upload, request, input);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        check("s3:PutObject", upload.containerName(), upload.blobName());
        return super.completeMultipartUpload(upload, request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        check("s3:AbortMultipartUpload", upload.containerName(), upload.blobName());
        super.abortMultipartUpload(upload);
    }
}
