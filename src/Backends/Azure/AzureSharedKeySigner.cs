using System.Security.Cryptography;
using System.Text;

namespace StashMount.Backends.Azure;

/// <summary>
/// Signs Blob service requests with an account key (the "SharedKey" scheme of the Azure Storage REST docs).
/// Written by hand because Azure.Storage.Blobs is not served here, and Azure.Core (which is) has no storage
/// SharedKey policy; the scheme itself is one canonical string and one HMAC-SHA256.
/// </summary>
internal sealed class AzureSharedKeySigner
{
    private readonly string _account;
    private readonly byte[] _key;

    public AzureSharedKeySigner(string account, string base64Key)
    {
        _account = account;
        try
        {
            _key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            throw new BackendException($"{CredentialNames.AzureAccountKey} is not valid base64");
        }
    }

    public void Sign(HttpRequestMessage request)
    {
        var headers = request.Headers;
        var content = request.Content?.Headers;
        var length = content?.ContentLength ?? 0;
        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Header(content, "Content-Encoding")).Append('\n')
            .Append(Header(content, "Content-Language")).Append('\n')
            .Append(length == 0 ? "" : length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
            .Append(Header(content, "Content-MD5")).Append('\n')
            .Append(Header(content, "Content-Type")).Append('\n')
            .Append('\n') // Date: x-ms-date is used instead
            .Append(Header(headers, "If-Modified-Since")).Append('\n')
            .Append(Header(headers, "If-Match")).Append('\n')
            .Append(Header(headers, "If-None-Match")).Append('\n')
            .Append(Header(headers, "If-Unmodified-Since")).Append('\n')
            .Append(Header(headers, "Range")).Append('\n');
        foreach (var (name, value) in headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value).Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
            builder.Append(name).Append(':').Append(value).Append('\n');
        var uri = request.RequestUri!;
        builder.Append('/').Append(_account).Append(uri.AbsolutePath);
        foreach (var parameter in ParseQuery(uri.Query).OrderBy(p => p.Key, StringComparer.Ordinal))
            builder.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(",", parameter.Value.Order(StringComparer.Ordinal)));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(builder.ToString())));
        headers.TryAddWithoutValidation("Authorization", $"SharedKey {_account}:{signature}");
    }

    private static string Header(System.Net.Http.Headers.HttpHeaders? headers, string name) =>
        headers != null && headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static Dictionary<string, List<string>> ParseQuery(string query)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!result.TryGetValue(name, out var list))
                result[name] = list = [];
            list.Add(value);
        }
        return result;
    }
}
