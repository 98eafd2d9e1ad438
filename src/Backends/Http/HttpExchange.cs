namespace StashMount.Backends.Http;

/// <summary>Sends one request and maps transport exceptions; the status code is left to the caller.</summary>
public static class HttpExchange
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string location, string what,
        CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseHeadersRead)
    {
        try
        {
            return await client.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw HttpFailures.FromTransport(e, location, what);
        }
        catch (IOException e)
        {
            throw HttpFailures.FromTransport(e, location, what);
        }
    }

    /// <summary>Reads the body into <paramref name="destination"/>; a body of any other length is an error.</summary>
    public static async Task ReadExactlyAsync(HttpResponseMessage response, Memory<byte> destination, string location, string what, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var done = 0;
            while (done < destination.Length)
            {
                var n = await stream.ReadAsync(destination[done..], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    throw new BackendException($"{location}: {what} returned {done} bytes, expected {destination.Length} (read past the end?)");
                done += n;
            }
            var probe = new byte[1];
            if (await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) != 0)
                throw new BackendException($"{location}: {what} returned more than the {destination.Length} bytes asked for");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw HttpFailures.FromTransport(e, location, what);
        }
    }

    /// <summary>
    /// Reads the body of a successful ranged GET into <paramref name="destination"/>. A server that ignored the Range
    /// header is an error unless its whole-file answer is exactly the range asked for.
    /// </summary>
    public static Task ReadRangeAsync(HttpResponseMessage response, long offset, Memory<byte> destination, string location, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != System.Net.HttpStatusCode.PartialContent && (offset != 0 || response.Content.Headers.ContentLength != destination.Length))
            throw new BackendException($"{location}: the server ignored the byte range while trying to {what}");
        return ReadExactlyAsync(response, destination, location, what, cancellationToken);
    }

    /// <summary>Parses a JSON answer; anything else is one line naming the service (<paramref name="service"/>).</summary>
    public static async Task<System.Text.Json.JsonDocument> ReadJsonAsync(HttpResponseMessage response, string location, string what, string service, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await System.Text.Json.JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new BackendException($"{location}: the answer to {what} is not {service} JSON");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw HttpFailures.FromTransport(e, location, what);
        }
    }

    public static async Task<string> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return HttpFailures.OneLine(text);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "";
        }
    }
}
