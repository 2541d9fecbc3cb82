using System;
using PartnerCenterUsage.Engine.Json;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>An HTTP answer, read whole. Its error body, if it is asked for, is parsed once.</summary>
internal sealed class RawResponse(int statusCode, string? reasonPhrase, byte[] body, TimeSpan? retryAfter, string? correlationVector)
{
    private (string? Code, string? Description)? _error;

    public int StatusCode { get; } = statusCode;

    public string? ReasonPhrase { get; } = reasonPhrase;

    public byte[] Body { get; } = body;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string? CorrelationVector { get; } = correlationVector;

    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    /// <summary>The code and description of a Partner Center error body (both null for another body), parsed on first use.</summary>
    public (string? Code, string? Description) Error => _error ??= PartnerCenterJson.ReadError(Body);

    /// <summary>A 401 that says the token lacks multi-factor authentication: renewing the token would not help.</summary>
    public bool IsMfaRefusal => StatusCode == 401 && Error.Code == PartnerCenterErrorCodes.MfaRequired;
}
