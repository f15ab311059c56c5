using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;

namespace Dokodemo.Bench;

public sealed record PageWeight(string Path, string As, int Status, string? ContentEncoding, long HtmlRaw, long HtmlGzip, long CssGzip, long JsGzip, int Stylesheets, int Scripts)
{
    public long TotalGzip => HtmlGzip + CssGzip + JsGzip;
}

public sealed record Latency(int Sent, int Ok, int Failed, double P50, double P95, double P99, double Max, double AchievedRate);

/// <summary>Sign-in, page weights and a small open-loop load driver, all to loopback.</summary>
public static partial class Http
{
    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValueAttr();

    [GeneratedRegex("<link\\b[^>]*rel=\"stylesheet\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex StylesheetLink();

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex HrefAttr();

    [GeneratedRegex("<script\\b[^>]*src=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSrc();

    [GeneratedRegex("<script\\b(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    /// <summary>Persona sign-in (demo mode, loopback): GET /signin for the antiforgery token, POST /signin/persona; returns the session cookie value.</summary>
    public static async Task<string> SignInAsync(Uri baseUri, string persona)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
        var page = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var input = TokenInput().Match(page);
        if (!input.Success)
        {
            throw new InvalidOperationException("no antiforgery token on /signin");
        }

        var token = WebUtility.HtmlDecode(ValueAttr().Match(input.Value).Groups[1].Value);
        using var form = new FormUrlEncodedContent([new("persona", persona), new("__RequestVerificationToken", token)]);
        using var response = await client.PostAsync(new Uri("/signin/persona", UriKind.Relative), form);
        var session = cookies.GetCookies(baseUri)["dokodemo.session"]?.Value;
        if (response.StatusCode != HttpStatusCode.Redirect || string.IsNullOrEmpty(session))
        {
            throw new InvalidOperationException($"persona sign-in as {persona} failed: {(int)response.StatusCode}");
        }

        return session;
    }

    /// <summary>A client for load runs: no cookies or redirects, <paramref name="connections"/> pooled connections kept open, 60 s timeout.</summary>
    public static HttpClient LoadClient(Uri baseUri, int connections) => new(new SocketsHttpHandler
    {
        UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = connections, AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };

    public static HttpClient Client(Uri baseUri, string? session)
    {
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 256, AutomaticDecompression = DecompressionMethods.None };
        var client = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
        if (session is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $"dokodemo.session={session}");
        }

        return client;
    }

    public static long GzipSize(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.Length;
    }

    /// <summary>HTML + every linked stylesheet + every script (external and inline), each gzip-compressed on its own as a browser would fetch it.</summary>
    public static async Task<PageWeight> WeighAsync(Uri baseUri, string path, string? session, string who)
    {
        using var client = Client(baseUri, session);
        // Ask for gzip, to record whether the server compresses (the weight is computed here either way).
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
        using var response = await client.SendAsync(request);
        var encoding = response.Content.Headers.ContentEncoding.Count == 0 ? null : string.Join(',', response.Content.Headers.ContentEncoding);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (encoding is not null)
        {
            throw new InvalidOperationException($"{path} came {encoding}-encoded; this bench expects identity bodies");
        }

        var html = System.Text.Encoding.UTF8.GetString(bytes);
        long css = 0, js = 0;
        var sheets = 0;
        var scripts = 0;
        foreach (Match link in StylesheetLink().Matches(html))
        {
            var href = WebUtility.HtmlDecode(HrefAttr().Match(link.Value).Groups[1].Value);
            css += GzipSize(await client.GetByteArrayAsync(new Uri(baseUri, href)));
            sheets++;
        }

        foreach (Match script in ScriptSrc().Matches(html))
        {
            js += GzipSize(await client.GetByteArrayAsync(new Uri(baseUri, WebUtility.HtmlDecode(script.Groups[1].Value))));
            scripts++;
        }

        foreach (Match inline in InlineScript().Matches(html))
        {
            js += GzipSize(System.Text.Encoding.UTF8.GetBytes(inline.Groups[1].Value));
            scripts++;
        }

        return new PageWeight(path, who, (int)response.StatusCode, encoding, bytes.Length, GzipSize(bytes), css, js, sheets, scripts);
    }

    /// <summary>
    /// Open loop: requests start on a fixed schedule whatever the server does, and each latency is measured from
    /// its scheduled start (no coordinated omission). Stops by itself after <paramref name="duration"/> plus at most 10 s.
    /// </summary>
    public static async Task<Latency> OpenLoopAsync(Uri baseUri, string path, string? session, double ratePerSecond, TimeSpan duration)
    {
        using var client = Client(baseUri, session);
        var uri = new Uri(path, UriKind.Relative);
        var count = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[count];
        var ok = new bool[count];
        var tasks = new Task[count];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / ratePerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var n = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    using var r = await client.GetAsync(uri, HttpCompletionOption.ResponseContentRead);
                    ok[n] = r.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                latencies[n] = (clock.Elapsed - due).TotalMilliseconds;
            });
        }

        var sentIn = clock.Elapsed;
        await Task.WhenAll(tasks);
        var good = latencies.Where((_, i) => ok[i]).Order().ToArray();
        return new Latency(count, good.Length, count - good.Length, Pct(good, 50), Pct(good, 95), Pct(good, 99), good.Length == 0 ? double.NaN : good[^1], count / sentIn.TotalSeconds);
    }

    /// <summary>Closed-loop warm-up, so JIT and first-use costs are not in the figures.</summary>
    public static async Task WarmUpAsync(Uri baseUri, string path, string? session, int requests)
    {
        using var client = Client(baseUri, session);
        var uri = new Uri(path, UriKind.Relative);
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
        {
            using var r = await client.GetAsync(uri, ct);
        });
    }

    public static double Pct(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
