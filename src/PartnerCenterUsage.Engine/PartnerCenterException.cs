using System;
using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// The base of every failure the engine reports. The cmdlets turn these into ErrorRecords;
/// the engine never decides whether a failure is terminating.
/// </summary>
public abstract class PartnerCenterException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected PartnerCenterException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The MS-RequestId of the failed request, when a request was made.</summary>
    public string? RequestId { get; init; }

    /// <summary>The MS-CorrelationId of the operation, when a request was made.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>How many times the request was sent before giving up (1 when it was not retried, 0 when it was not sent).</summary>
    public int Attempts { get; init; } = 1;
}

/// <summary>Partner Center answered with an HTTP error status.</summary>
public sealed class PartnerCenterApiException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterApiException(string message, int statusCode, string? errorCode, string? errorDescription)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorDescription = errorDescription;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The Partner Center error <c>code</c> of the body, when the body follows the error schema.</summary>
    public string? ErrorCode { get; }

    /// <summary>The Partner Center error <c>description</c> (or the throttling <c>message</c>) of the body.</summary>
    public string? ErrorDescription { get; }

    /// <summary>The server's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The MS-CV response header, for support cases.</summary>
    public string? CorrelationVector { get; init; }

    /// <summary>The customer the request was about, when it was about one (a 404 then means that customer is unknown).</summary>
    public Guid? CustomerId { get; init; }

    /// <summary>True when the body was a Partner Center error (code, description); false for an empty or foreign body.</summary>
    public bool HasErrorBody { get; init; }

    /// <summary>
    /// For a refusal (429) that was given up: the wait the request needed before it could be sent again, more than the
    /// run's throttling budget had left. Null for other errors.
    /// </summary>
    public ThrottleShortfall? ThrottleShortfall { get; init; }
}

/// <summary>
/// Partner Center was throttling the run, and the request was not sent (again): it would have had to wait for the run's
/// pause longer than the run's throttling budget had left, and sending it earlier is what the service asked not to do.
/// A request that was refused itself (429) reports that refusal as a <see cref="PartnerCenterApiException"/> with its
/// <see cref="PartnerCenterApiException.ThrottleShortfall"/> instead.
/// </summary>
public sealed class PartnerCenterThrottledException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterThrottledException(string message, ThrottleShortfall shortfall)
        : base(message)
    {
        ThrottleShortfall = shortfall;
    }

    /// <summary>The wait the request needed, and what was left of the run's throttling budget.</summary>
    public ThrottleShortfall ThrottleShortfall { get; }

    /// <summary>The customer the request was about, when it was about one.</summary>
    public Guid? CustomerId { get; init; }
}

/// <summary>Partner Center answered success with a body that is not the documented JSON.</summary>
public sealed class PartnerCenterInvalidResponseException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterInvalidResponseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the answer was larger than the connection reads (its MaxResponseBytes), not malformed.</summary>
    public bool IsTooLarge { get; init; }
}

/// <summary>No HTTP answer: the connection failed, was dropped, or the request timed out.</summary>
public sealed class PartnerCenterTransportException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterTransportException(string message, bool isTimeout, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTimeout = isTimeout;
    }

    /// <summary>True when the request timed out rather than failed to connect.</summary>
    public bool IsTimeout { get; }
}

/// <summary>An API endpoint that the module refuses to use.</summary>
public sealed class PartnerCenterEndpointException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterEndpointException(string message)
        : base(message)
    {
    }
}

/// <summary>An access token that cannot be used at all (empty, or not a token).</summary>
public sealed class PartnerCenterTokenException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterTokenException(string message)
        : base(message)
    {
    }
}

/// <summary>Signing in, or renewing the sign-in, failed.</summary>
public sealed class PartnerCenterSignInException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterSignInException(string message, bool duringRenewal, string? errorCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        DuringRenewal = duringRenewal;
        ErrorCode = errorCode;
    }

    /// <summary>True when an existing sign-in could not be renewed (the run cannot go on); false when signing in failed.</summary>
    public bool DuringRenewal { get; }

    /// <summary>The identity provider's error (invalid_grant, authorization_declined...), when it gave one.</summary>
    public string? ErrorCode { get; }

    /// <summary>True when an interactive sign-in found no browser to open: another way to sign in is needed.</summary>
    public bool BrowserUnavailable { get; init; }

    /// <summary>What the identity provider said was wrong (an expired or revoked refresh token, MFA required), when it said so.</summary>
    public SignInFailure Failure { get; init; }
}

/// <summary>The connection's token was issued to an application alone; Partner Center's license analytics need a user.</summary>
public sealed class PartnerCenterAppOnlyTokenException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterAppOnlyTokenException(string message)
        : base(message)
    {
    }
}
