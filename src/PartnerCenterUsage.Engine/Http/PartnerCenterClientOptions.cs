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

    /// <summary>The handler to send through (a proxy, a test handler); null for the default.</summary>
    public HttpMessageHandler? Handler { get; set; }
}
