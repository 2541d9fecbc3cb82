using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// One answer of a <see cref="HostileServer"/>: immutable, so one instance may answer many requests. The static
/// factories are the building blocks (well-formed bodies, broken framing, broken encodings, slow and endless bodies,
/// no answer at all); <see cref="WithHeader"/>, <see cref="WithStatus"/> and <see cref="Delayed"/> compose with any of
/// them. Headers go out as given, after the factory's own, replacing those of the same name (so a test can lie in
/// Content-Type, Content-Encoding or even Content-Length); Kestrel still refuses CR or LF in a header value.
/// </summary>
public sealed class HostileResponse
{
    private const string JsonType = "application/json; charset=utf-8";

    // Control characters go out as JSON escapes (as they must), everything else as it is: a test's \r\n in a token
    // arrives in the client as a real CR/LF once the JSON is decoded, and names read as written in the raw body.
    private static readonly JsonWriterOptions JsonWriting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Endless bodies are flushed in batches of at least this size: a 10-byte chunk flushed alone would take a hundred
    // thousand writes to reach a megabyte.
    private const int EndlessBatch = 16 * 1024;

    private readonly BodyWriter _body;
    private readonly bool _sendsHeaders;
    private readonly long? _contentLength;
    private readonly TimeProvider? _delayClock;

    private HostileResponse(
        int statusCode, string? contentType, long? contentLength, ReadOnlyMemory<byte> body, BodyWriter writer, bool sendsHeaders = true)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        _contentLength = contentLength;
        Body = body;
        _body = writer;
        _sendsHeaders = sendsHeaders;
    }

    private HostileResponse(HostileResponse other, int statusCode, IReadOnlyList<(string Name, string Value)> headers, TimeSpan delay, TimeProvider? delayClock)
        : this(other.StatusCode, other.ContentType, other._contentLength, other.Body, other._body, other._sendsHeaders)
    {
        StatusCode = statusCode;
        Headers = headers;
        Delay = delay;
        _delayClock = delayClock;
    }

    private delegate Task BodyWriter(HttpContext context, HostileRequest request, TimeProvider clock, CancellationToken cancellationToken);

    /// <summary>The status it answers with; 0 for <see cref="Hang"/> and <see cref="Drop"/>, which send none.</summary>
    public int StatusCode { get; }

    /// <summary>The Content-Type it sends, or null for none.</summary>
    public string? ContentType { get; }

    /// <summary>The headers added with <see cref="WithHeader"/> or the factory, in the order they go out.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers { get; } = [];

    /// <summary>The body of a fixed answer, to reuse it in another building block (drip a customer page, corrupt it);
    /// empty for a streamed or computed body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary><see cref="Body"/> as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>How long it waits before answering at all (see <see cref="Delayed"/>).</summary>
    public TimeSpan Delay { get; }

    /// <summary>A JSON body with Content-Length; <paramref name="body"/> goes out as given, valid JSON or not.</summary>
    public static HostileResponse Json(string body, int status = 200, params (string Name, string Value)[] headers) =>
        Bytes(Encoding.UTF8.GetBytes(body), JsonType, status).WithHeaders(headers);

    /// <summary>A body of any bytes and type, with Content-Length.</summary>
    public static HostileResponse Bytes(byte[] body, string contentType, int status = 200)
    {
        var copy = body.ToArray();
        return new(status, contentType, copy.Length, copy, (context, request, _, cancellationToken) => SendAsync(context, request, copy, cancellationToken));
    }

    /// <summary>A status with no body (Kestrel adds Content-Length: 0 where the status allows a body).</summary>
    public static HostileResponse Status(int status) => new(status, null, null, default, static (_, _, _, _) => Task.CompletedTask);

    /// <summary>
    /// A 200 that never ends: <paramref name="prefix"/> (if any), then <paramref name="chunk"/> again and again in chunked
    /// transfer, flushed as it goes, until the client goes away or the server is disposed.
    /// </summary>
    public static HostileResponse Endless(byte[] chunk, byte[]? prefix = null, string contentType = JsonType)
    {
        ArgumentOutOfRangeException.ThrowIfZero(chunk.Length);
        var repeated = new byte[(EndlessBatch + chunk.Length - 1) / chunk.Length * chunk.Length];
        for (var offset = 0; offset < repeated.Length; offset += chunk.Length)
        {
            chunk.CopyTo(repeated, offset);
        }

        var head = prefix?.ToArray();
        return new(200, contentType, null, default, async (context, request, _, cancellationToken) =>
        {
            if (head is { Length: > 0 })
            {
                await SendAsync(context, request, head, cancellationToken);
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                await SendAsync(context, request, repeated, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
        });
    }

    /// <summary>
    /// A slow-loris answer: the headers and the first <paramref name="bytesPerDrip"/> bytes at once, then as many more after
    /// each <paramref name="interval"/> of <paramref name="clock"/> (the server's clock when null), with the whole length
    /// announced in Content-Length. With a <see cref="Support.TestClock"/> that does not auto-advance, each drip waits for
    /// <see cref="Support.TestClock.Advance"/>.
    /// </summary>
    public static HostileResponse Dripping(
        byte[] body, TimeSpan interval, TimeProvider? clock = null, int bytesPerDrip = 1, string contentType = JsonType, int status = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerDrip, 1);
        var copy = body.ToArray();
        return new(status, contentType, copy.Length, copy, async (context, request, serverClock, cancellationToken) =>
        {
            await context.Response.StartAsync(cancellationToken);
            for (var offset = 0; offset < copy.Length; offset += bytesPerDrip)
            {
                if (offset > 0)
                {
                    await Task.Delay(interval, clock ?? serverClock, cancellationToken);
                }

                await SendAsync(context, request, copy.AsMemory(offset, Math.Min(bytesPerDrip, copy.Length - offset)), cancellationToken);
            }
        });
    }

    /// <summary>Takes the request and never answers: no status, no headers, until the client goes away or the server is disposed.</summary>
    public static HostileResponse Hang() =>
        new(0, null, null, default, static (_, _, _, cancellationToken) => Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken), sendsHeaders: false);

    /// <summary>Aborts the connection without a byte of answer.</summary>
    public static HostileResponse Drop() =>
        new(0, null, null, default, static (context, request, _, _) =>
        {
            request.MarkDropped();
            context.Abort();
            return Task.CompletedTask;
        }, sendsHeaders: false);

    /// <summary>
    /// Content-Encoding: gzip over bytes that do not inflate. Without <paramref name="validPrefixJson"/>: a well-formed gzip
    /// header, then a deflate block of a type that does not exist, so decompression fails on the first read. With it: a
    /// whole, valid gzip member of that text first, then the bad member: the client reads the text, then the failure.
    /// </summary>
    public static HostileResponse CorruptGzip(string? validPrefixJson = null)
    {
        var body = new List<byte>();
        if (validPrefixJson is not null)
        {
            // A member of its own, not deflate data flushed before the bad block: an inflater that meets the bad block in
            // the read that inflates the text throws that read's output away, and the client would never see the text.
            // Gzip readers (.NET's included) hand out a member's text before they look at the next member.
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes(validPrefixJson));
            }

            body.AddRange(buffer.ToArray());
        }

        // A gzip header (magic, deflate, no flags, no time, unknown OS), then BFINAL=1 with BTYPE=11: the reserved block
        // type, which every inflater rejects.
        body.AddRange([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF]);
        body.AddRange(Enumerable.Repeat((byte)0xFF, 16));
        return Bytes([.. body], JsonType).WithHeader("Content-Encoding", "gzip");
    }

    /// <summary>
    /// Content-Encoding: gzip of <paramref name="json"/> cut short: the first half of its UTF-8 bytes, compressed and
    /// flushed, then the end of the body, without the final block and without the gzip trailer (CRC and length).
    /// </summary>
    public static HostileResponse TruncatedGzip(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        using var buffer = new MemoryStream();
        var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true);
        gzip.Write(utf8.AsSpan(0, utf8.Length / 2));

        // A sync flush: every byte written so far inflates, yet the stream is not finished.
        gzip.Flush();
        var truncated = buffer.ToArray();

        // Disposed after the copy: disposing writes the final block and the trailer, which the body must not have.
        gzip.Dispose();
        return Bytes(truncated, JsonType).WithHeader("Content-Encoding", "gzip");
    }

    /// <summary>An answer of <paramref name="status"/> with no body whose reason phrase quotes the request's Authorization header.</summary>
    public static HostileResponse ReasonEcho(int status) =>
        new(status, null, null, default, (context, request, _, _) =>
        {
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = "Refused " + request.Authorization;
            return Task.CompletedTask;
        });

    /// <summary>A small gzip body that inflates to <paramref name="megabytes"/> MB: the start of a collection, then spaces.</summary>
    public static HostileResponse GzipBomb(long megabytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("{\"totalCount\":1,\"items\":["));
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < megabytes; i++)
            {
                gzip.Write(spaces);
            }
        }

        return Bytes(buffer.ToArray(), JsonType).WithHeader("Content-Encoding", "gzip");
    }

    /// <summary>A redirect (301, 302, 303, 307, 308) to <paramref name="location"/>, with no body.</summary>
    public static HostileResponse Redirect(int status, string location) => Status(status).WithHeader("Location", location);

    /// <summary>
    /// What a careless server does: an error in Partner Center's shape whose description quotes the request's
    /// Authorization header, token and all ({"code":"400","description":"...","data":[],"source":"PartnerFD"}).
    /// </summary>
    public static HostileResponse EchoAuthorization(int status = 400) =>
        new(status, JsonType, null, default, (context, request, _, cancellationToken) =>
        {
            var body = Encoding.UTF8.GetBytes(WriteJson(json =>
            {
                json.WriteStartObject();
                json.WriteString("code", status.ToString(CultureInfo.InvariantCulture));
                json.WriteString("description", $"The authorization header '{request.Authorization}' is not valid for this request.");
                json.WriteStartArray("data");
                json.WriteEndArray();
                json.WriteString("source", "PartnerFD");
                json.WriteEndObject();
            }));
            context.Response.ContentLength = body.Length;
            return SendAsync(context, request, body, cancellationToken);
        });

    /// <summary>
    /// A 429 as the gateway sends it, outside Partner Center's error schema:
    /// {"statusCode":429,"message":"Rate limit is exceeded. Try again in N seconds."}, N being
    /// <paramref name="retryAfter"/> when it is a number of seconds, else 1; with a Retry-After header unless it is null.
    /// </summary>
    public static HostileResponse Throttle(string? retryAfter = null)
    {
        var seconds = int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 1;
        var throttle = Json($$"""{"statusCode":429,"message":"Rate limit is exceeded. Try again in {{seconds}} seconds."}""", 429);
        return retryAfter is null ? throttle : throttle.WithHeader("Retry-After", retryAfter);
    }

    /// <summary>
    /// A page of GET /v1/customers in the classic shape: totalCount (the number of items unless given), items with
    /// id, companyProfile (companyName, a domain made of the name's letters and digits, tenantId = id), then links.next
    /// when <paramref name="nextUri"/> is given (its headers carry MS-ContinuationToken when the token is given) and
    /// continuationToken when given. Control characters in names and tokens go out as JSON escapes.
    /// </summary>
    public static HostileResponse CustomerPage(
        IEnumerable<(Guid Id, string Name)> customers, string? nextUri, string? continuationToken, int? totalCount = null)
    {
        var items = customers.ToList();
        return Json(WriteJson(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("totalCount", totalCount ?? items.Count);
            json.WriteStartArray("items");
            foreach (var (id, name) in items)
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteStartObject("companyProfile");
                json.WriteString("companyName", name);
                json.WriteString("domain", DomainOf(id, name));
                json.WriteString("tenantId", id);
                json.WriteEndObject();
                json.WriteStartObject("attributes");
                json.WriteString("objectType", "Customer");
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (nextUri is not null)
            {
                json.WriteStartObject("links");
                json.WriteStartObject("next");
                json.WriteString("uri", nextUri);
                json.WriteString("method", "GET");
                json.WriteStartArray("headers");
                if (continuationToken is not null)
                {
                    json.WriteStartObject();
                    json.WriteString("key", "MS-ContinuationToken");
                    json.WriteString("value", continuationToken);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            if (continuationToken is not null)
            {
                json.WriteString("continuationToken", continuationToken);
            }

            json.WriteEndObject();
        }));
    }

    /// <summary>
    /// A classic collection of per-customer usage, {"totalCount":n,"items":[...]}: each item written as given, unchecked
    /// (a test may pass broken JSON); totalCount is the number of items unless given.
    /// </summary>
    public static HostileResponse UsageCollection(IEnumerable<string> rawItems, long? totalCount = null)
    {
        var items = rawItems.ToList();
        return Json(WriteJson(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("totalCount", totalCount ?? items.Count);
            json.WriteStartArray("items");
            foreach (var item in items)
            {
                json.WriteRawValue(item, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }));
    }

    /// <summary>
    /// A page of the commercial analytics in Pascal casing, {"Value":[...],"@nextLink":...,"TotalCount":n}: rows written as
    /// given, unchecked; "@nextLink" is null when <paramref name="nextLink"/> is; TotalCount is left out when null.
    /// </summary>
    public static HostileResponse CommercialPage(IEnumerable<string> rawItems, string? nextLink, long? totalCount)
    {
        var items = rawItems.ToList();
        return Json(WriteJson(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("Value");
            foreach (var item in items)
            {
                json.WriteRawValue(item, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteString("@nextLink", nextLink);
            if (totalCount is { } total)
            {
                json.WriteNumber("TotalCount", total);
            }

            json.WriteEndObject();
        }));
    }

    /// <summary>The same answer with one more header (replacing the factory's header of that name).</summary>
    public HostileResponse WithHeader(string name, string value) => WithHeaders((name, value));

    /// <summary>The same answer with more headers, in order; a name given twice goes out twice.</summary>
    public HostileResponse WithHeaders(params (string Name, string Value)[] headers) =>
        headers.Length == 0 ? this : new(this, StatusCode, [.. Headers, .. headers], Delay, _delayClock);

    /// <summary>The same answer with another status (no effect on <see cref="Hang"/> and <see cref="Drop"/>).</summary>
    public HostileResponse WithStatus(int status) => new(this, status, Headers, Delay, _delayClock);

    /// <summary>The same answer, sent only after <paramref name="delay"/> of <paramref name="clock"/> (the server's clock
    /// when null): nothing at all goes out before.</summary>
    public HostileResponse Delayed(TimeSpan delay, TimeProvider? clock = null) => new(this, StatusCode, Headers, delay, clock);

    /// <summary>Writes the answer; throws OperationCanceledException or IOException when the client goes away.</summary>
    internal async Task WriteAsync(HttpContext context, HostileRequest request, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, _delayClock ?? clock, cancellationToken);
        }

        if (_sendsHeaders)
        {
            var response = context.Response;
            response.StatusCode = StatusCode;
            if (ContentType is not null)
            {
                response.ContentType = ContentType;
            }

            if (_contentLength is { } length)
            {
                response.ContentLength = length;
            }

            foreach (var name in Headers.Select(h => h.Name).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                response.Headers.Remove(name);
            }

            foreach (var (name, value) in Headers)
            {
                response.Headers.Append(name, value);
            }
        }

        await _body(context, request, clock, cancellationToken);
    }

    private static async Task SendAsync(HttpContext context, HostileRequest request, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        // Counted before the write, which may put the bytes on the wire before it returns: a client never holds more
        // than BytesSent, and a test comparing the two needs no wait.
        request.AddSent(bytes.Length);
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonWriting))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string DomainOf(Guid id, string name)
    {
        var letters = new string([.. name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        return (letters.Length > 0 ? letters : id.ToString("N")) + ".onmicrosoft.com";
    }
}
