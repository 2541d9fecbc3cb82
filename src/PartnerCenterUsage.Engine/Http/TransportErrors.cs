using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The exceptions the transport builds, in one place: what happened, with the request's MS-RequestId and the
/// operation's MS-CorrelationId. What to do about it is the cmdlet layer's to say.
/// </summary>
internal static class TransportErrors
{
    /// <summary>The ids that name one send in any error about it.</summary>
    internal readonly struct RequestIds(Guid requestId, Guid correlationId)
    {
        public Guid RequestId { get; } = requestId;

        public Guid CorrelationId { get; } = correlationId;

        public string RequestIdText => RequestId.ToString("D", CultureInfo.InvariantCulture);

        public string CorrelationIdText => CorrelationId.ToString("D", CultureInfo.InvariantCulture);
    }

    public static PartnerCenterInvalidResponseException Invalid(RequestIds ids, string message, Exception? inner = null) =>
        new($"{message} MS-RequestId: {ids.RequestId}, MS-CorrelationId: {ids.CorrelationId}.", inner)
        { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };

    public static PartnerCenterInvalidResponseException TooLarge(RequestIds ids, long maxBytes) =>
        new(string.Format(CultureInfo.InvariantCulture,
            "The answer is larger than {0:0.##} MB, the most this connection reads; it is not read further. MS-RequestId: {1}, MS-CorrelationId: {2}.",
            maxBytes / (1024.0 * 1024.0), ids.RequestId, ids.CorrelationId))
        { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText, IsTooLarge = true };

    public static PartnerCenterTransportException TimedOut(RequestState state, RequestIds ids, Exception? inner) =>
        new(string.Format(CultureInfo.InvariantCulture, "{0} {1} timed out after {2:0} s. MS-RequestId: {3}, MS-CorrelationId: {4}.",
                state.Method.Method, state.Path, state.AttemptTimeout.TotalSeconds, ids.RequestId, ids.CorrelationId),
            isTimeout: true,
            inner)
        { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };

    public static PartnerCenterTransportException NoAnswer(RequestState state, RequestIds ids, Exception inner) =>
        new($"{state.Method.Method} {state.Path} failed before Partner Center answered: {Innermost(inner).Message} MS-RequestId: {ids.RequestId}, MS-CorrelationId: {ids.CorrelationId}.",
            isTimeout: false,
            inner)
        { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };

    /// <summary>The request's own time ran out before any attempt was answered usably.</summary>
    public static PartnerCenterTransportException OutOfTime(RequestState state, TimeSpan limit, PartnerCenterTransportException last) =>
        new(string.Format(CultureInfo.InvariantCulture, "{0} {1} got no usable answer within {2:0} s ({3} attempts: {4}). MS-RequestId: {5}, MS-CorrelationId: {6}.",
                state.Method.Method, state.Path, limit.TotalSeconds, state.History.Count, History(state.History), state.SentRequestId, state.Operation.CorrelationId),
            isTimeout: true,
            last)
        {
            RequestId = state.SentRequestId.ToString("D", CultureInfo.InvariantCulture),
            CorrelationId = state.Operation.CorrelationId.ToString("D", CultureInfo.InvariantCulture),
            Attempts = state.History.Count,
        };

    /// <summary>The last failure, saying how many attempts were made when there were several.</summary>
    public static PartnerCenterTransportException GaveUp(PartnerCenterTransportException failure, RequestState state) =>
        state.History.Count > 1
            ? new PartnerCenterTransportException(failure.Message + GaveUpText(state), failure.IsTimeout, failure.InnerException)
            { RequestId = failure.RequestId, CorrelationId = failure.CorrelationId, Attempts = state.History.Count }
            : failure;

    /// <summary>" Gave up after N attempts (...)." when the request was sent more than once; empty otherwise.</summary>
    public static string GaveUpText(RequestState state) =>
        state.History.Count > 1
            ? string.Format(CultureInfo.InvariantCulture, " Gave up after {0} attempts ({1}).", state.History.Count, History(state.History))
            : string.Empty;

    /// <summary>
    /// " Partner Center asked for N s before the request is sent again, more than the run's throttling budget ...; it was
    /// not sent again." when throttling gave the request up after its refusal; empty otherwise.
    /// </summary>
    public static string ThrottleText(RequestState state) =>
        state.Shortfall is { } shortfall ? " " + Shortfall(shortfall, state.ShortfallAsked) + "; it was not sent again." : string.Empty;

    /// <summary>
    /// The operation's throttling pause outlasted what was left of its throttled time before the request could be sent
    /// (again), and its last answer, if any, was no refusal: it was not sent (again).
    /// </summary>
    public static PartnerCenterThrottledException NotSent(RequestState state, ThrottleShortfall shortfall)
    {
        var sent = state.History.Count;
        var what = sent == 0
            ? "was not sent"
            : string.Format(CultureInfo.InvariantCulture, "was not sent again after {0} {1} ({2})", sent, sent == 1 ? "attempt" : "attempts", History(state.History));
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1} {2}: {3}. MS-CorrelationId: {4}.",
            state.Method.Method, state.Path, what, Shortfall(shortfall, asked: true), state.Operation.CorrelationId);
        return new PartnerCenterThrottledException(message, shortfall)
        {
            RequestId = sent == 0 ? null : state.SentRequestId.ToString("D", CultureInfo.InvariantCulture),
            CorrelationId = state.Operation.CorrelationId.ToString("D", CultureInfo.InvariantCulture),
            Attempts = sent,
            CustomerId = state.Request.Customer,
        };
    }

    /// <summary>Partner Center answered with an error status.</summary>
    public static PartnerCenterApiException Api(
        RequestState state, RawResponse response, RequestIds ids, string gaveUp, int attempts, Func<string?, string?> redact, ThrottleShortfall? shortfall = null)
    {
        var (code, description) = response.Error;
        if (code is null && description is null && response.Body.Length > 0)
        {
            // Redacted before it is cut (the excerpt does both).
            description = BodyText.Excerpt(response.Body, redact);
        }

        // A careless service may echo the request, bearer token included, into its error: none of it reaches a message.
        code = redact(code);
        description = redact(description);

        var detail = (code, description) switch
        {
            (null, null) => string.Empty,
            (null, _) => $": {description}",
            (_, null) => $": code {code}",
            _ => $": code {code}, {description}",
        };
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Partner Center answered {0} {1} to {2} {3}{4} MS-RequestId: {5}, MS-CorrelationId: {6}.{7}",
            response.StatusCode, response.ReasonPhrase, state.Method.Method, state.Path, detail.Length == 0 ? "." : detail.TrimEnd('.') + ".",
            ids.RequestId, ids.CorrelationId, gaveUp);
        return new PartnerCenterApiException(message, response.StatusCode, code, description)
        {
            RequestId = ids.RequestIdText,
            CorrelationId = ids.CorrelationIdText,
            CorrelationVector = response.CorrelationVector,
            RetryAfter = response.RetryAfter,
            Attempts = attempts,
            CustomerId = state.Request.Customer,
            // Partner Center's errors carry a code; a gateway's {"statusCode", "message"} or an HTML page does not.
            HasErrorBody = code is not null,
            ThrottleShortfall = shortfall,
        };
    }

    public static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    // What the request had to wait for, against what the run's throttling budget had left.
    private static string Shortfall(ThrottleShortfall shortfall, bool asked)
    {
        var needed = Duration(shortfall.Needed);
        var wait = shortfall.Paused
            ? $"Partner Center is throttling the whole run, which waits {needed} more before it sends any request"
            : asked
                ? $"Partner Center asked for {needed} before the request is sent again"
                : $"Partner Center gave no usable Retry-After, and the next wait would be {needed}";
        var budget = shortfall.Left >= shortfall.Budget
            ? $"more than the run's throttling budget allows ({Duration(shortfall.Budget)})"
            : $"more than the run's throttling budget has left (only {Duration(shortfall.Left)} of {Duration(shortfall.Budget)}, the rest spent waiting out throttling)";
        return wait + ", " + budget;
    }

    // "57 s", "2.5 s", "5 min", "90 s".
    private static string Duration(TimeSpan duration)
    {
        if (duration >= TimeSpan.FromMinutes(1) && duration.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return string.Format(CultureInfo.InvariantCulture, "{0:0} min", duration.TotalMinutes);
        }

        return string.Format(CultureInfo.InvariantCulture, "{0:0.#} s", duration.TotalSeconds);
    }

    // Attempts as a readable list; a long run of them is shortened to its start and end.
    private static string History(List<string> history) =>
        history.Count <= 6
            ? string.Join(", ", history)
            : string.Join(", ", history.Take(3)) + string.Format(CultureInfo.InvariantCulture, ", ... {0} more ..., ", history.Count - 5) + string.Join(", ", history.Skip(history.Count - 2));
}
