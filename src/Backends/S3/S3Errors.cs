using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using StashMount.Backends.Http;

namespace StashMount.Backends.S3;

/// <summary>Maps AWS SDK exceptions to the backend exception kinds, one clear line each, no secrets.</summary>
internal static class S3Errors
{
    public static BackendException Map(Exception e, string location, string bucket, string what)
    {
        switch (e)
        {
            case AmazonS3Exception s3:
                var code = s3.ErrorCode ?? "";
                if (code == "NoSuchBucket")
                    return new BackendException($"{location}: bucket \"{bucket}\" does not exist", e);
                if (code is "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" or "TokenRefreshRequired")
                    return new BackendException($"{location}: bad credentials ({code}) while trying to {what}", e);
                if (code is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable")
                    return new TransientBackendException($"{location}: {what} failed ({code}), will retry", e);
                if (code == "AccessDenied")
                    return new BackendException($"{location}: access denied while trying to {what}", e);
                if (s3.StatusCode == HttpStatusCode.Forbidden)
                    // A HEAD answer carries no error code: wrong keys and a missing permission look the same.
                    return new BackendException($"{location}: access denied while trying to {what} (wrong keys or missing permission)", e);
                return HttpFailures.FromStatus(s3.StatusCode, location, what, code);
            case AmazonServiceException service when service.InnerException is HttpRequestException or IOException:
                return HttpFailures.FromTransport(service.InnerException, location, what);
            case AmazonServiceException service:
                return HttpFailures.FromStatus(service.StatusCode, location, what, service.ErrorCode);
            case AmazonClientException client when client.InnerException is HttpRequestException or IOException:
                return HttpFailures.FromTransport(client.InnerException, location, what);
            case AmazonClientException client:
                return new BackendException($"{location}: {what} failed: {HttpFailures.OneLine(client.Message)}", e);
            case HttpRequestException or IOException:
                return HttpFailures.FromTransport(e, location, what);
            default:
                return new BackendException($"{location}: {what} failed: {HttpFailures.OneLine(e.Message)}", e);
        }
    }
}
