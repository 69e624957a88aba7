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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 emulator's storage as one function sees it: each object operation is authorised against the
 * function's role first, with the action S3 requires for it (multipart uploads need {@code s3:PutObject},
 * a HEAD needs {@code s3:GetObject}, a copy both), and a refusal is S3's own 403 {@code AccessDenied}.
 * Bucket-level changes are authorised too. S3Proxy has already checked the request's signature with the function's credentials. A presigned URL is
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
        String resource = bucket.equals("*") ? "*" : "arn:aws:s3:::" + bucket + (key == null ? "" : "/" + key);
        Optional<String> denied = iam.authorize(caller, action, resource);
        if (denied.isPresent()) throw accessDenied(denied.get());
    }

    private static S3Exception accessDenied(String message) {
        return (S3Exception) S3Exception.builder().statusCode(403).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(message).build())
                .build();
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
        return absentAs403WithoutListBucket(request.bucket(), () -> super.blobMetadata(request));
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        check("s3:GetObject", request.bucket(), request.key());
        return absentAs403WithoutListBucket(request.bucket(), () -> super.getBlob(request));
    }

    /** S3 tells a caller that may not list the bucket 403, not 404, for a key that does not exist. */
    private <T> T absentAs403WithoutListBucket(String bucket, Supplier<T> read) {
        try {
            return read.get();
        } catch (NoSuchKeyException absent) {
            if (caller instanceof Iam.Caller.Function f && f.role().allowing("s3:ListBucket", "arn:aws:s3:::" + bucket).isEmpty()) {
                throw accessDenied("Access Denied");
            }
            throw absent;
        }
    }

    // Bucket-level changes: no function here may make them, and none may slip past unchecked.
    @Override
    public software.amazon.awssdk.services.s3.model.ListBucketsResponse list() {
        check("s3:ListAllMyBuckets", "*", null);
        return super.list();
    }

    @Override
    public software.amazon.awssdk.services.s3.model.CreateBucketResponse createContainer(software.amazon.awssdk.services.s3.model.CreateBucketRequest request) {
        check("s3:CreateBucket", request.bucket(), null);
        return super.createContainer(request);
    }

    @Override
    public void deleteContainer(String bucket) {
        check("s3:DeleteBucket", bucket, null);
        super.deleteContainer(bucket);
    }

    @Override
    public void deleteBucket(String bucket) {
        check("s3:DeleteBucket", bucket, null);
        super.deleteBucket(bucket);
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        check("s3:DeleteObject", request.bucket(), "*");
        super.clearContainer(request);
    }

    @Override
    public void setContainerAccess(String bucket, software.amazon.awssdk.services.s3.model.BucketCannedACL access) {
        check("s3:PutBucketAcl", bucket, null);
        super.setContainerAccess(bucket, access);
    }

    @Override
    public void setBlobAccess(String bucket, String key, software.amazon.awssdk.services.s3.model.ObjectCannedACL access) {
        check("s3:PutObjectAcl", bucket, key);
        super.setBlobAccess(bucket, key, access);
    }

    @Override
    public software.amazon.awssdk.services.s3.model.PutBucketVersioningResponse putBucketVersioning(
            software.amazon.awssdk.services.s3.model.PutBucketVersioningRequest request) {
        check("s3:PutBucketVersioning", request.bucket(), null);
        return super.putBucketVersioning(request);
    }

    @Override
    public software.amazon.awssdk.services.s3.model.PutBucketEncryptionResponse putBucketEncryption(
            software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest request) {
        check("s3:PutEncryptionConfiguration", request.bucket(), null);
        return super.putBucketEncryption(request);
    }

    @Override
    public java.util.List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String bucket) {
        check("s3:ListBucketMultipartUploads", bucket, null);
        return super.listMultipartUploads(bucket);
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
