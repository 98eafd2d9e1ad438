using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StashMount.Backends.Tests.Http;

/// <summary>Starts a quiet Kestrel app on a free 127.0.0.1 port, for the loopback API servers of the backend tests.</summary>
public static class LoopbackHttpApp
{
    public static async Task<(WebApplication App, string Endpoint)> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/'));
    }

    /// <summary>
    /// Answers a GET of <paramref name="data"/> honouring a "bytes=first-last" Range (206 with Content-Range), or
    /// calls <paramref name="notSatisfiable"/> when the range starts past the end.
    /// </summary>
    public static async Task WriteBytesAsync(HttpContext context, byte[] data, Func<Task> notSatisfiable)
    {
        var response = context.Response;
        var range = context.Request.Headers.Range.ToString();
        if (!range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            response.ContentLength = data.Length;
            await response.Body.WriteAsync(data);
            return;
        }
        var parts = range["bytes=".Length..].Split('-');
        var first = long.Parse(parts[0]);
        var last = parts[1].Length == 0 ? data.Length - 1 : Math.Min(long.Parse(parts[1]), data.Length - 1);
        if (first >= data.Length)
        {
            await notSatisfiable();
            return;
        }
        response.StatusCode = 206;
        response.Headers.ContentRange = $"bytes {first}-{last}/{data.Length}";
        response.ContentLength = last - first + 1;
        await response.Body.WriteAsync(data.AsMemory((int)first, (int)(last - first + 1)));
    }
}
