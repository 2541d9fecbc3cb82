using System;
using PartnerCenterUsage.Engine.Json;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// An HTTP answer, read whole. A success keeps its body, and the bytes it holds of the connection's
/// <see cref="ResponseBudget"/> until <see cref="TakeLease"/> hands them on. Any other answer is wanted for its error
/// only: its error body is parsed at once, the body kept as its first <see cref="ErrorHeadBytes"/> (what an excerpt of
/// it can show), and its bytes given back, so that an error of any size costs nothing once it is read.
/// </summary>
internal sealed class RawResponse
{
    /// <summary>What an answer that is not a success keeps of its body.</summary>
    internal const int ErrorHeadBytes = 4096;

    private ResponseBudget.Lease? _lease;

    public RawResponse(int statusCode, string? reasonPhrase, byte[] body, ResponseBudget.Lease? lease, TimeSpan? retryAfter, string? correlationVector)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        RetryAfter = retryAfter;
        CorrelationVector = correlationVector;
        if (IsSuccess)
        {
            Body = body;
            _lease = lease;
            return;
        }

        Error = PartnerCenterJson.ReadError(body);
        if (body.Length > ErrorHeadBytes)
        {
            Array.Resize(ref body, ErrorHeadBytes);
        }

        Body = body;
        lease?.Dispose();
    }

    public int StatusCode { get; }

    public string? ReasonPhrase { get; }

    /// <summary>The whole body of a success; the head of any other answer's.</summary>
    public byte[] Body { get; }

    public TimeSpan? RetryAfter { get; }

    public string? CorrelationVector { get; }

    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    /// <summary>The code and description of a Partner Center error body (both null for another body, and for a success).</summary>
    public (string? Code, string? Description) Error { get; }

    /// <summary>A 401 that says the token lacks multi-factor authentication: renewing the token would not help.</summary>
    public bool IsMfaRefusal => StatusCode == 401 && Error.Code == PartnerCenterErrorCodes.MfaRequired;

    /// <summary>The bytes a success holds, handed to whoever parses it (once; null after).</summary>
    public ResponseBudget.Lease? TakeLease()
    {
        var lease = _lease;
        _lease = null;
        return lease;
    }

    /// <summary>Gives back what a success still holds, when it is not handed on.</summary>
    public void Release() => TakeLease()?.Dispose();
}
