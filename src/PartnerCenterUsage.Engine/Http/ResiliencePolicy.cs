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
/// The one retry policy every Partner Center request goes through (Polly), in three layers:
/// <list type="number">
/// <item>Throttling (429) is waited out, as long as the operation's throttled time allows (see <see cref="ThrottleGate"/>):
/// the Retry-After the service asks for, or when it asks for none, 0 or more than <see cref="PartnerCenterClientOptions.MaxRetryAfter"/>,
/// a second doubling with each refusal of the same request. These waits spend neither the request's retries nor the
/// operation's retry budget, which are for failures.</item>
/// <item>Each request takes at most <see cref="PartnerCenterClientOptions.MaxRequestDuration"/> of its own time: its attempts
/// and the backoff between them, not the time it waits for its turn, for a pause of the operation or for throttling
/// (see <see cref="RequestState.Remaining"/>). Each attempt takes at most <see cref="PartnerCenterClientOptions.RequestTimeout"/>
/// of what is left.</item>
/// <item>Failures (408, 5xx, no answer, a timed-out attempt) back off exponentially with jitter, up to
/// <see cref="PartnerCenterClientOptions.MaxRetryAttempts"/> retries per request and the operation's <see cref="RetryBudget"/>.</item>
/// </list>
/// With no retries of failures (MaxRetryAttempts 0) a failure is final at once; throttling is still waited out. 401 renewal is not a retry: the client does it
/// in the attempt.
/// </summary>
internal static class ResiliencePolicy
{
    public static readonly ResiliencePropertyKey<RequestState> RequestKey = new("PartnerCenterUsage.Request");

    private static readonly TimeSpan FirstThrottleWait = TimeSpan.FromSeconds(1);

    public static ResiliencePipeline<Attempt> Create(PartnerCenterClientOptions options)
    {
        var builder = new ResiliencePipelineBuilder<Attempt> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                Name = "Throttling",
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => new ValueTask<bool>(
                    args.Outcome.Result is { Response.StatusCode: 429 } attempt
                    && Request(args.Context).Throttled(attempt.Response!.RetryAfter, options)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(Request(args.Context).ThrottleWait(options.TimeProvider)),
                OnRetry = args =>
                {
                    var request = Request(args.Context);
                    request.Operation.Log.Write(PartnerCenterLogLevel.Verbose, string.Format(
                        CultureInfo.InvariantCulture,
                        "{0} {1}: 429 Too Many Requests; waiting {2:0.0} s for Partner Center's throttling (MS-RequestId {3}).",
                        request.Method.Method, request.Path, args.RetryDelay.TotalSeconds, request.SentRequestId));
                    return default;
                },
            });

        // Throttling is waited out whatever the retries of failures allow; with none, a failure is final at once.
        if (options.MaxRetryAttempts <= 0)
        {
            return builder.Build();
        }

        return builder
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                Name = "Failures",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => new ValueTask<bool>(
                    args.Outcome.Result is { IsFailure: true }
                    && args.AttemptNumber < options.MaxRetryAttempts
                    && Request(args.Context).HasTimeLeft(options)
                    && Request(args.Context).Operation.RetryBudget.TryWithdraw()),
                OnRetry = args =>
                {
                    var request = Request(args.Context);
                    request.Own += args.RetryDelay;
                    request.Operation.Log.Write(PartnerCenterLogLevel.Verbose, string.Format(
                        CultureInfo.InvariantCulture,
                        "{0} {1}: {2}; retry {3} of {4} in {5:0.0} s (MS-RequestId {6}).",
                        request.Method.Method, request.Path, args.Outcome.Result?.Describe(), args.AttemptNumber + 1, options.MaxRetryAttempts,
                        args.RetryDelay.TotalSeconds, request.SentRequestId));
                    return default;
                },
            })
            .Build();
    }

    private static RequestState Request(ResilienceContext context) => context.Properties.GetValue(RequestKey, null!);

    /// <summary>What one request carries from attempt to attempt.</summary>
    internal sealed class RequestState(HttpMethod method, string path, PartnerCenterOperation operation)
    {
        public HttpMethod Method { get; } = method;

        /// <summary>
        /// The request's own time so far: its attempts and the backoff between them. What it waited for others (a slot, a
        /// pause of the operation, throttling) is not in it, nor is it counted against
        /// <see cref="PartnerCenterClientOptions.MaxRequestDuration"/>.
        /// </summary>
        public TimeSpan Own { get; set; }

        /// <summary>How long the latest attempt may take: the per-attempt timeout, or what is left of the request's time.</summary>
        public TimeSpan AttemptTimeout { get; set; }

        /// <summary>True once the request gave up because its own time was spent.</summary>
        public bool OutOfTime { get; private set; }

        /// <summary>What is left of the request's own time: its duration limit, less <see cref="Own"/>.</summary>
        public TimeSpan Remaining(PartnerCenterClientOptions options) => options.MaxRequestDuration - Own;

        /// <summary>True while some of the request's own time is left; otherwise notes that it ran out.</summary>
        public bool HasTimeLeft(PartnerCenterClientOptions options)
        {
            OutOfTime = Remaining(options) <= TimeSpan.Zero;
            return !OutOfTime;
        }

        public string Path { get; } = path;

        public PartnerCenterOperation Operation { get; } = operation;

        /// <summary>The MS-RequestId of the next send: kept after no answer (the server may have the request), new after an answer.</summary>
        public Guid RequestId { get; set; } = Guid.NewGuid();

        /// <summary>The MS-RequestId of the last send, for messages.</summary>
        public Guid SentRequestId { get; set; }

        public List<string> History { get; } = new();

        /// <summary>How many times in a row this request was refused (429).</summary>
        public int Refusals { get; private set; }

        /// <summary>When the request may be sent again after its last refusal.</summary>
        public DateTimeOffset WaitUntil { get; private set; }

        /// <summary>
        /// A 429 came: true to wait and send again, when the operation's throttled time allows the wait; the wait is the
        /// Retry-After when it is believable, otherwise a second doubling with each refusal, up to the longest wait.
        /// </summary>
        public bool Throttled(TimeSpan? retryAfter, PartnerCenterClientOptions options)
        {
            Refusals++;
            var wait = retryAfter is { } asked && asked > TimeSpan.Zero && asked <= options.MaxRetryAfter
                ? asked
                : Backoff(Refusals, options.MaxRetryAfter);
            var now = options.TimeProvider.GetUtcNow();
            if (!Operation.Throttle.TryWait(now, wait, Operation.Limiter.Limit, options.MaxThrottleWait, out var until, out var pauseStarted))
            {
                History.Add(string.Format(CultureInfo.InvariantCulture, "throttled for {0:0.#} min in all, the most this run waits", Operation.Throttle.Spent.TotalMinutes));
                return false;
            }

            WaitUntil = until;
            var seconds = Math.Ceiling((until - now).TotalSeconds);
            if (pauseStarted)
            {
                Operation.Log.Write(PartnerCenterLogLevel.Waiting, string.Format(
                    CultureInfo.InvariantCulture, "Waiting {0:0} s for Partner Center's throttling: every request of this run pauses until then", seconds));
            }

            if (seconds >= LongWait.TotalSeconds && Operation.Throttle.ShouldSayLongWait(now, until))
            {
                Operation.Log.Write(PartnerCenterLogLevel.Warning, string.Format(
                    CultureInfo.InvariantCulture, "Partner Center is throttling: waiting {0:0} s before {1} {2} is sent again.", seconds, Method.Method, Path));
            }

            return true;
        }

        /// <summary>The wait before the next send after a refusal: until the request's own wait, or the operation's pause, ends.</summary>
        public TimeSpan ThrottleWait(TimeProvider clock)
        {
            var until = Operation.Throttle.PausedUntil is { } paused && paused > WaitUntil ? paused : WaitUntil;
            var wait = until - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        /// <summary>An answer other than 429: the next refusal starts from the shortest wait again.</summary>
        public void Answered() => Refusals = 0;

        private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(30);

        // 1, 2, 4... seconds, up to the longest wait, with up to a fifth more at random so that refused requests spread.
        private static TimeSpan Backoff(int refusals, TimeSpan longest)
        {
            var seconds = FirstThrottleWait.TotalSeconds * Math.Pow(2, Math.Min(refusals - 1, 20));
            var jittered = seconds * (1 + (0.2 * Jitter.NextDouble()));
            return TimeSpan.FromSeconds(Math.Min(jittered, longest.TotalSeconds));
        }

        [ThreadStatic]
        private static Random? t_jitter;

        private static Random Jitter => t_jitter ??= new Random();
    }

    /// <summary>One send: an answer, or no answer.</summary>
    internal sealed class Attempt
    {
        public Attempt(RawResponse response) => Response = response;

        public Attempt(PartnerCenterTransportException failure) => Failure = failure;

        public RawResponse? Response { get; }

        public PartnerCenterTransportException? Failure { get; }

        /// <summary>A failure worth retrying: no answer, 408 or a 5xx that may pass (not a refusal: 429 is throttling).</summary>
        public bool IsFailure => Failure is not null || Response!.StatusCode is 408 or 500 or 502 or 503 or 504;

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
