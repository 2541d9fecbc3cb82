using System;
using System.Net.Http;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>Settings of a <see cref="PartnerCenterClient"/>.</summary>
public sealed class PartnerCenterClientOptions
{
    /// <summary>The X-Locale header.</summary>
    public string Locale { get; set; } = PartnerCenterHeaders.DefaultLocale;

    /// <summary>How long one request may take, headers and body, before it counts as timed out.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of one request after a transient failure (429, 408, 5xx, no answer), at most.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first backoff delay; it doubles with each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest Retry-After waited for; a 429 asking for longer fails with the wait in its message.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The clock of every wait, timeout and token expiry of the connection: the system clock, or one a test controls
    /// so that no test waits on real seconds.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The handler to send through (a proxy, a test handler); null for the default.</summary>
    public HttpMessageHandler? Handler { get; set; }
}
