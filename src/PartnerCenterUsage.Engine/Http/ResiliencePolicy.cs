using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine.Diagnostics;
using Polly;
using Polly.Retry;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The one retry policy every Partner Center request goes through (Polly): 429 waits the server's Retry-After;
/// 408, 5xx, dropped connections and timeouts back off exponentially with jitter; each request has a bounded number
/// of retries and the run a <see cref="RetryBudget"/>. 401 renewal is not a retry: the client does it in the attempt.
/// </summary>
internal static class ResiliencePolicy
{
    public static readonly ResiliencePropertyKey<RequestState> RequestKey = new("PartnerCenterUsage.Request");

    public static ResiliencePipeline<Attempt> Create(PartnerCenterClientOptions options) =>
        options.MaxRetryAttempts <= 0
            ? new ResiliencePipelineBuilder<Attempt>().Build()
            : new ResiliencePipelineBuilder<Attempt> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => new ValueTask<bool>(
                    args.Outcome.Result is { IsTransient: true } attempt
                    && !(attempt.RetryAfter > options.MaxRetryAfter) // longer than we wait: report it rather than retry early
                    && args.AttemptNumber < options.MaxRetryAttempts
                    && args.Context.Properties.GetValue(RequestKey, null!).Operation.RetryBudget.TryWithdraw()),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    request.Operation.Log.Write(PartnerCenterLogLevel.Verbose, string.Format(
                        CultureInfo.InvariantCulture,
                        "{0} {1}: {2}; retry {3} of {4} in {5:0.0} s (MS-RequestId {6}).",
                        request.Method.Method, request.Path, args.Outcome.Result?.Describe(), args.AttemptNumber + 1, options.MaxRetryAttempts,
                        args.RetryDelay.TotalSeconds, request.SentRequestId));
                    return default;
                },
            })
            .Build();

    /// <summary>What one request carries from attempt to attempt.</summary>
    internal sealed class RequestState(HttpMethod method, string path, PartnerCenterOperation operation)
    {
        public HttpMethod Method { get; } = method;

        public string Path { get; } = path;

        public PartnerCenterOperation Operation { get; } = operation;

        /// <summary>The MS-RequestId of the next send: kept after no answer (the server may have the request), new after an answer.</summary>
        public Guid RequestId { get; set; } = Guid.NewGuid();

        /// <summary>The MS-RequestId of the last send, for messages.</summary>
        public Guid SentRequestId { get; set; }

        public List<string> History { get; } = new();
    }

    /// <summary>One send: an answer, or no answer.</summary>
    internal sealed class Attempt
    {
        public Attempt(RawResponse response) => Response = response;

        public Attempt(PartnerCenterTransportException failure) => Failure = failure;

        public RawResponse? Response { get; }

        public PartnerCenterTransportException? Failure { get; }

        public bool IsTransient => Failure is not null || Response!.StatusCode is 408 or 429 or 500 or 502 or 503 or 504;

        /// <summary>The wait a 429 asked for; null to back off instead.</summary>
        public TimeSpan? RetryAfter => Response is { StatusCode: 429 } ? Response.RetryAfter : null;

        public string Describe() => Failure is not null
            ? (Failure.IsTimeout ? "timed out" : "no answer (connection failed)")
            : string.Format(CultureInfo.InvariantCulture, "{0} {1}", Response!.StatusCode, Response.ReasonPhrase);
    }
}

/// <summary>An HTTP answer, read whole.</summary>
internal sealed class RawResponse(int statusCode, string? reasonPhrase, byte[] body, TimeSpan? retryAfter, string? correlationVector)
{
    public int StatusCode { get; } = statusCode;

    public string? ReasonPhrase { get; } = reasonPhrase;

    public byte[] Body { get; } = body;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string? CorrelationVector { get; } = correlationVector;

    public bool IsSuccess => StatusCode is >= 200 and <= 299;
}
