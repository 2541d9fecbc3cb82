using System.Globalization;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>One send of a request: an answer, or no answer.</summary>
internal sealed class Attempt
{
    public Attempt(RawResponse response) => Response = response;

    public Attempt(PartnerCenterTransportException failure) => Failure = failure;

    public RawResponse? Response { get; }

    public PartnerCenterTransportException? Failure { get; }

    /// <summary>A refusal (429): throttling, waited out, never a failure.</summary>
    public bool IsThrottled => Response?.StatusCode == 429;

    /// <summary>A failure worth retrying: no answer, 408 or a 5xx that may pass.</summary>
    public bool IsFailure => Failure is not null || Response!.StatusCode is 408 or 500 or 502 or 503 or 504;

    public string Describe() => Failure is not null
        ? (Failure.IsTimeout ? "timed out" : "no answer (connection failed)")
        : string.Format(CultureInfo.InvariantCulture, "{0} {1}", Response!.StatusCode, Response.ReasonPhrase);
}
