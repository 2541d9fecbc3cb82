using System;
using System.Net.Http;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>Settings of a <see cref="PartnerCenterClient"/>.</summary>
public sealed class PartnerCenterClientOptions
{
    /// <summary>The X-Locale header.</summary>
    public string Locale { get; set; } = PartnerCenterHeaders.DefaultLocale;

    /// <summary>How long one attempt may take, headers and body, before it counts as timed out (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one request may take in all, its retries and their backoff included but waits for throttling not: a
    /// service that accepts and never answers fails a customer within this time.
    /// </summary>
    public TimeSpan MaxRequestDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an operation (one command) may spend waiting out throttling in all. A wait is taken only when what is left
    /// covers it whole; a 429 asking for longer is final at once, and the request is not sent again.
    /// </summary>
    public TimeSpan MaxThrottleWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest response body read; a larger one is an invalid response (the largest documented page is about 6 MB).</summary>
    public long MaxResponseBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The most bytes of answers the connection holds at once, read and not yet parsed, whatever the number of requests
    /// in flight; null (the default) for four times <see cref="MaxResponseBytes"/> (256 MB). An answer that would go past
    /// it waits, within its attempt's <see cref="RequestTimeout"/>, until others are parsed. The oldest answer holding
    /// bytes never waits, so an answer larger than this is still read, alone, and the bytes held are at most this plus
    /// one answer's. Read when the client is created.
    /// </summary>
    public long? MaxBufferedResponseBytes { get; set; }

    /// <summary>What <see cref="MaxBufferedResponseBytes"/> comes to.</summary>
    internal long BufferedResponseBudget =>
        MaxBufferedResponseBytes ?? (MaxResponseBytes > long.MaxValue / 4 ? long.MaxValue : 4 * Math.Max(1, MaxResponseBytes));

    /// <summary>Retries of one request after a transient failure (429, 408, 5xx, no answer), at most.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first backoff delay; it doubles with each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest single wait after a 429. A Retry-After of 0, none, or longer than this is not believed: the wait is a
    /// second, doubling with each refusal of the same request, up to this.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The clock of every wait, timeout and token expiry of the connection: the system clock, or one a test controls
    /// so that no test waits on real seconds.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The handler to send through (a proxy, a test handler); null for the default.</summary>
    public HttpMessageHandler? Handler { get; set; }
}
